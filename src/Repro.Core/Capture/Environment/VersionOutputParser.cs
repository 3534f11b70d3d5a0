using System.Text.RegularExpressions;

namespace Repro.Core.Capture.Environment;

/// <summary>Reads versions from the output of <c>python --version</c> and <c>dotnet --version</c>.</summary>
internal static partial class VersionOutputParser
{
    /// <summary>Parses <c>Python 3.11.7</c>; Python 2 writes it to standard error, so callers pass both streams.</summary>
    /// <param name="output">The command's output.</param>
    /// <returns>The version (for example <c>3.11.7</c> or <c>3.13.0rc1</c>), or null when the output is not a Python version line.</returns>
    public static string? ParsePython(string output) =>
        PythonVersion().Match(output) is { Success: true } match ? match.Groups["version"].Value : null;

    /// <summary>Parses the single line <c>dotnet --version</c> prints, such as <c>10.0.100</c> or <c>10.0.100-rc.2.25502.107</c>.</summary>
    /// <param name="output">The command's standard output.</param>
    /// <returns>The SDK version, or null when the output is not a version.</returns>
    public static string? ParseDotnetSdk(string output)
    {
        var line = output.Trim();
        return SdkVersion().IsMatch(line) ? line : null;
    }

    /// <summary>
    /// The most useful line of a failed <c>dotnet --version</c>: the requested SDK when global.json asks for one
    /// that is not installed, otherwise the first non-empty line.
    /// </summary>
    /// <param name="stderr">The command's standard error.</param>
    /// <returns>One line, or null when there was no output.</returns>
    public static string? DescribeDotnetFailure(string stderr)
    {
        var lines = stderr.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0).ToList();
        var requested = lines.FirstOrDefault(line => line.StartsWith("Requested SDK version:", StringComparison.Ordinal));
        return requested is not null ? $"global.json asks for an SDK that is not installed ({requested})" : lines.FirstOrDefault();
    }

    [GeneratedRegex(@"^Python\s+(?<version>[0-9]+\.[0-9]+(?:\.[0-9]+)?[A-Za-z0-9.+]*)\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex PythonVersion();

    [GeneratedRegex(@"^[0-9]+\.[0-9]+\.[0-9]+(?:[-+][0-9A-Za-z.\-+]*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex SdkVersion();
}
