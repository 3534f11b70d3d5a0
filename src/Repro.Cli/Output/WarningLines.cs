namespace Repro.Cli.Output;

/// <summary>How a warning is printed on stderr.</summary>
internal static class WarningLines
{
    /// <summary>
    /// An MLproject warning already reads <c>FILE:LINE:COL: warning: message</c> and is printed as it is; any other
    /// warning gets repro's prefix, <c>repro: warning: message</c>.
    /// </summary>
    public static string Format(string warning) =>
        warning.Contains(": warning: ", StringComparison.Ordinal) ? warning : $"repro: warning: {warning}";
}
