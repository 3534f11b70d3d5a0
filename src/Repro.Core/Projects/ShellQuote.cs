namespace Repro.Core.Projects;

/// <summary>Quotes text for a POSIX shell exactly as Python's <c>shlex.quote</c> does, which is what MLflow applies to parameters.</summary>
public static class ShellQuote
{
    /// <summary>
    /// <paramref name="value"/> unchanged when it is non-empty and only ASCII letters, digits and <c>_@%+=:,./-</c>;
    /// otherwise wrapped in single quotes with each <c>'</c> written as <c>'"'"'</c>; the empty string becomes <c>''</c>.
    /// </summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            return "''";
        }

        return value.All(IsSafe) ? value : "'" + value.Replace("'", "'\"'\"'", StringComparison.Ordinal) + "'";
    }

    private static bool IsSafe(char c) => char.IsAsciiLetterOrDigit(c) || "_@%+=:,./-".Contains(c, StringComparison.Ordinal);
}
