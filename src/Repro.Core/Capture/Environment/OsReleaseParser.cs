namespace Repro.Core.Capture.Environment;

/// <summary>Reads the distribution name and version from <c>os-release</c> text (freedesktop.org format).</summary>
internal static class OsReleaseParser
{
    /// <summary>Parses <c>/etc/os-release</c> content.</summary>
    /// <param name="text">The file's text.</param>
    /// <returns>NAME, and VERSION_ID (falling back to VERSION, then BUILD_ID for rolling releases); null where absent.</returns>
    public static (string? Name, string? Version) Parse(string text)
    {
        var values = ParseAssignments(text);
        var name = values.GetValueOrDefault("NAME");
        var version = values.GetValueOrDefault("VERSION_ID") ?? values.GetValueOrDefault("VERSION") ?? values.GetValueOrDefault("BUILD_ID");
        return (name, version);
    }

    /// <summary>Parses shell-style <c>KEY=value</c> lines; quotes are removed and backslash escapes inside double quotes honoured.</summary>
    /// <param name="text">The file's text.</param>
    /// <returns>Non-empty values by key; the last assignment of a key wins, as in a shell.</returns>
    public static IReadOnlyDictionary<string, string> ParseAssignments(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var value = Unquote(line[(equals + 1)..].Trim());
            if (value.Length > 0)
            {
                values[line[..equals].Trim()] = value;
            }
        }

        return values;
    }

    private static string Unquote(string value)
    {
        if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'')
        {
            return value[1..^1];
        }

        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            var inner = value[1..^1];
            var builder = new System.Text.StringBuilder(inner.Length);
            for (var i = 0; i < inner.Length; i++)
            {
                if (inner[i] == '\\' && i + 1 < inner.Length)
                {
                    i++;
                }

                builder.Append(inner[i]);
            }

            return builder.ToString();
        }

        return value;
    }
}
