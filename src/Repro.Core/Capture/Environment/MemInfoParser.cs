using System.Globalization;

namespace Repro.Core.Capture.Environment;

/// <summary>Reads total physical memory from <c>/proc/meminfo</c> text.</summary>
internal static class MemInfoParser
{
    /// <summary>Parses the <c>MemTotal</c> line.</summary>
    /// <param name="text">The file's text.</param>
    /// <returns>Total memory in bytes, or null when the line is absent or malformed.</returns>
    public static long? ParseTotalBytes(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                continue;
            }

            var parts = line["MemTotal:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length is 0 or > 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
            {
                return null;
            }

            // The kernel always writes "kB", meaning KiB; a bare number is bytes.
            return parts.Length == 1 ? amount
                : string.Equals(parts[1], "kB", StringComparison.OrdinalIgnoreCase) ? checked(amount * 1024)
                : null;
        }

        return null;
    }
}
