using System.Globalization;
using System.Text.RegularExpressions;

namespace Repro.Core.Capture.Environment;

/// <summary>Reads the cuDNN version from <c>cudnn_version.h</c> (cuDNN 8 and later) or <c>cudnn.h</c> (earlier).</summary>
internal static partial class CudnnVersionParser
{
    /// <summary>Parses the <c>CUDNN_MAJOR</c>, <c>CUDNN_MINOR</c> and <c>CUDNN_PATCHLEVEL</c> defines.</summary>
    /// <param name="header">The header's text.</param>
    /// <returns><c>MAJOR.MINOR.PATCH</c>, or null when any define is missing.</returns>
    public static string? Parse(string header)
    {
        var parts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Match match in Define().Matches(header))
        {
            parts.TryAdd(match.Groups["part"].Value, int.Parse(match.Groups["value"].Value, NumberStyles.None, CultureInfo.InvariantCulture));
        }

        return parts.TryGetValue("MAJOR", out var major) && parts.TryGetValue("MINOR", out var minor) && parts.TryGetValue("PATCHLEVEL", out var patch)
            ? string.Create(CultureInfo.InvariantCulture, $"{major}.{minor}.{patch}")
            : null;
    }

    [GeneratedRegex(@"^\s*#\s*define\s+CUDNN_(?<part>MAJOR|MINOR|PATCHLEVEL)\s+(?<value>[0-9]{1,6})\b", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex Define();
}
