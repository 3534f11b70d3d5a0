using System.Globalization;
using System.Text.RegularExpressions;

namespace Repro.Core.Capture.Environment;

/// <summary>Parsers for the text macOS detection captures.</summary>
internal static partial class MacOsParsers
{
    /// <summary>Reads ProductName and ProductVersion from <c>/System/Library/CoreServices/SystemVersion.plist</c>.</summary>
    /// <param name="plist">The XML property list.</param>
    /// <returns>Name and version; null where absent.</returns>
    public static (string? Name, string? Version) ParseSystemVersion(string plist) =>
        (PlistString(plist, "ProductName"), PlistString(plist, "ProductVersion"));

    /// <summary>Reads the two lines of <c>sysctl -n machdep.cpu.brand_string hw.memsize</c>.</summary>
    /// <param name="output">The command's standard output.</param>
    /// <returns>The processor brand and memory in bytes; null where missing or malformed.</returns>
    public static (string? CpuModel, long? MemoryBytes) ParseSysctl(string output)
    {
        var lines = output.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0).ToArray();
        var model = lines.Length > 0 ? lines[0] : null;
        long? memory = lines.Length > 1 && long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) ? bytes : null;
        return (model, memory);
    }

    /// <summary>Reads the Darwin kernel release from <c>RuntimeInformation.OSDescription</c> ("Darwin 23.1.0 Darwin Kernel Version …").</summary>
    /// <param name="description">The OS description.</param>
    /// <returns>The release, or null when the description is not Darwin's.</returns>
    public static string? ParseDarwinRelease(string description) =>
        DarwinRelease().Match(description) is { Success: true } match ? match.Groups["release"].Value : null;

    private static string? PlistString(string plist, string key)
    {
        var match = Regex.Match(plist, $@"<key>{Regex.Escape(key)}</key>\s*<string>(?<value>[^<]*)</string>", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return match.Success && match.Groups["value"].Value.Trim() is { Length: > 0 } value ? value : null;
    }

    [GeneratedRegex(@"^Darwin\s+(?<release>[0-9][0-9A-Za-z.\-]*)", RegexOptions.CultureInvariant)]
    private static partial Regex DarwinRelease();
}
