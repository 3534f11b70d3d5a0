using System.Text;

namespace Repro.Core.Projects.Python;

/// <summary>The parts of Python's <c>urllib.parse</c> and <c>posixpath</c> that MLflow uses on parameter values.</summary>
internal static class PythonPaths
{
    private const string SchemeCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.";

    private static readonly char[] s_whatwgC0ControlOrSpace = [.. Enumerable.Range(0, 0x20).Select(code => (char)code), ' '];

    /// <summary>
    /// <c>urllib.parse.urlsplit(url)</c> (CPython 3.11 and later): leading C0 controls and spaces dropped, tabs and line
    /// breaks removed; a scheme when the text before the first <c>:</c> starts with an ASCII letter and holds only
    /// letters, digits, <c>+</c>, <c>-</c> and <c>.</c> (lowered); a network location after <c>//</c>; then the
    /// fragment after <c>#</c> and the query after <c>?</c>.
    /// </summary>
    public static (string Scheme, string Netloc, string Path) UrlSplit(string url)
    {
        var rest = new string([.. url.TrimStart(s_whatwgC0ControlOrSpace).Where(c => c is not ('\t' or '\r' or '\n'))]);
        var scheme = string.Empty;
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && char.IsAsciiLetter(rest[0]) && rest[..colon].All(c => SchemeCharacters.Contains(c, StringComparison.Ordinal)))
        {
            scheme = rest[..colon].ToLowerInvariant();
            rest = rest[(colon + 1)..];
        }

        var netloc = string.Empty;
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            var end = rest.IndexOfAny(['/', '?', '#'], 2);
            netloc = end < 0 ? rest[2..] : rest[2..end];
            rest = end < 0 ? string.Empty : rest[end..];
        }

        var hash = rest.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            rest = rest[..hash];
        }

        var question = rest.IndexOf('?', StringComparison.Ordinal);
        return (scheme, netloc, question >= 0 ? rest[..question] : rest);
    }

    /// <summary>
    /// <c>urllib.parse.unquote(text)</c>: each run of ASCII text has its <c>%XX</c> escapes turned into bytes and is
    /// decoded as UTF-8, invalid sequences becoming U+FFFD; a <c>%</c> not followed by two hex digits stays.
    /// </summary>
    public static string Unquote(string text)
    {
        if (!text.Contains('%', StringComparison.Ordinal))
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        var bytes = new List<byte>();
        for (var index = 0; index < text.Length; index++)
        {
            var c = text[index];
            if (c > 0x7f)
            {
                Flush();
                result.Append(c);
            }
            else if (c == '%' && index + 2 < text.Length && IsHex(text[index + 1]) && IsHex(text[index + 2]))
            {
                bytes.Add(Convert.ToByte(text.Substring(index + 1, 2), 16));
                index += 2;
            }
            else
            {
                bytes.Add((byte)c);
            }
        }

        Flush();
        return result.ToString();

        void Flush()
        {
            result.Append(Encoding.UTF8.GetString([.. bytes]));
            bytes.Clear();
        }
    }

    /// <summary>
    /// <c>posixpath.normpath(path)</c>: empty and <c>.</c> segments dropped, <c>..</c> applied where it can be (at the
    /// root it is dropped), exactly two leading slashes kept, <c>.</c> for nothing.
    /// </summary>
    public static string NormPath(string path)
    {
        if (path.Length == 0)
        {
            return ".";
        }

        var initialSlashes = path.StartsWith('/') ? (path.StartsWith("//", StringComparison.Ordinal) && !path.StartsWith("///", StringComparison.Ordinal) ? 2 : 1) : 0;
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part != ".." || (initialSlashes == 0 && parts.Count == 0) || (parts.Count > 0 && parts[^1] == ".."))
            {
                parts.Add(part);
            }
            else if (parts.Count > 0)
            {
                parts.RemoveAt(parts.Count - 1);
            }
        }

        var joined = new string('/', initialSlashes) + string.Join('/', parts);
        return joined.Length == 0 ? "." : joined;
    }

    /// <summary><c>os.path.abspath(path)</c> with <paramref name="baseDirectory"/> in place of the current directory.</summary>
    public static string AbsPath(string path, string baseDirectory) =>
        NormPath(path.StartsWith('/') ? path : baseDirectory.TrimEnd('/') + "/" + path);

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

}
