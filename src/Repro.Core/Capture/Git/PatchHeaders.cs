using System.Text;

namespace Repro.Core.Capture.Git;

/// <summary>Reads which paths a git patch touches, from its <c>diff --git</c> headers.</summary>
internal static class PatchHeaders
{
    private const string DiffLine = "diff --git ";
    private const string GitLinkMode = "160000";

    /// <summary>
    /// Lists the paths of a patch made without rename detection and with the <c>a/</c>, <c>b/</c> prefixes, and which
    /// of them are submodules. Header lines cannot be mistaken for content: hunk lines start with a space, '+', '-' or
    /// '\', and the base-85 lines of binary hunks never contain a space.
    /// </summary>
    public static (List<string> Paths, List<string> Submodules) Read(string patchFile)
    {
        var paths = new List<string>();
        var submodules = new List<string>();
        // Latin-1 maps every byte to one char, so names come back byte for byte whatever their encoding.
        using var reader = new StreamReader(patchFile, Encoding.Latin1, detectEncodingFromByteOrderMarks: false);
        string? current = null;
        var inHeader = false;
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith(DiffLine, StringComparison.Ordinal))
            {
                current = ParseDiffLine(line.AsSpan(DiffLine.Length));
                if (current is not null)
                {
                    paths.Add(current);
                }

                inHeader = true;
                continue;
            }

            if (!inHeader)
            {
                continue;
            }

            if (line.StartsWith("--- ", StringComparison.Ordinal) || line.StartsWith("@@", StringComparison.Ordinal)
                || line.StartsWith("GIT binary patch", StringComparison.Ordinal) || line.StartsWith("Binary files", StringComparison.Ordinal))
            {
                inHeader = false;
            }
            else if (current is not null && IsGitLinkHeader(line) && !submodules.Contains(current))
            {
                submodules.Add(current);
            }
        }

        return (paths, submodules);
    }

    /// <summary>Parses the part after <c>diff --git </c>; null when it is not a same-name pair.</summary>
    internal static string? ParseDiffLine(ReadOnlySpan<char> rest)
    {
        if (rest.Length > 0 && rest[0] == '"')
        {
            var bytes = new List<byte>();
            if (!TryUnquote(rest, bytes, out _) || bytes.Count < 2 || bytes[0] != 'a' || bytes[1] != '/')
            {
                return null;
            }

            return Encoding.UTF8.GetString(bytes.ToArray(), 2, bytes.Count - 2);
        }

        // Without renames both names are equal, so the line is "a/NAME b/NAME" and NAME may itself contain " b/".
        if ((rest.Length - 5) % 2 != 0 || rest.Length < 7 || !rest.StartsWith("a/"))
        {
            return null;
        }

        var length = (rest.Length - 5) / 2;
        var name = rest.Slice(2, length);
        var second = rest[(2 + length)..];
        if (!second.StartsWith(" b/") || !second[3..].SequenceEqual(name))
        {
            return null;
        }

        return Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(name.ToString()));
    }

    private static bool TryUnquote(ReadOnlySpan<char> text, List<byte> bytes, out int end)
    {
        end = 0;
        for (var i = 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"')
            {
                end = i + 1;
                return true;
            }

            if (c != '\\')
            {
                bytes.Add((byte)c);
                continue;
            }

            if (++i >= text.Length)
            {
                return false;
            }

            var escaped = text[i];
            if (escaped is >= '0' and <= '3' && i + 2 < text.Length)
            {
                bytes.Add((byte)(((escaped - '0') << 6) | ((text[i + 1] - '0') << 3) | (text[i + 2] - '0')));
                i += 2;
                continue;
            }

            bytes.Add(escaped switch
            {
                'a' => 7,
                'b' => 8,
                't' => 9,
                'n' => 10,
                'v' => 11,
                'f' => 12,
                'r' => 13,
                _ => (byte)escaped,
            });
        }

        return false;
    }

    private static bool IsGitLinkHeader(string line) =>
        line.EndsWith(" " + GitLinkMode, StringComparison.Ordinal) && (line.StartsWith("index ", StringComparison.Ordinal)
            || line.StartsWith("new file mode ", StringComparison.Ordinal) || line.StartsWith("deleted file mode ", StringComparison.Ordinal)
            || line.StartsWith("new mode ", StringComparison.Ordinal) || line.StartsWith("old mode ", StringComparison.Ordinal));
}
