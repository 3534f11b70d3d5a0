using System.Text;

namespace Repro.Core.Capture.Git;

/// <summary>
/// Reads a git configuration file (git's <c>Documentation/config.txt</c>, "Syntax") into its entries, for
/// <see cref="RepositoryFiles"/>. It knows the forms git itself writes and people commonly type; anything else (a
/// legacy <c>[section.sub]</c> header, an escape in a subsection, a key on a header's line, a line continued with a
/// backslash, an escape other than <c>\\ \" \n \t \b</c>, an unclosed quote, a byte-order mark, a carriage return,
/// bytes that are not UTF-8) makes it answer null, and the caller leaves the repository to libgit2, whose parser then
/// decides as it always did.
/// </summary>
internal static class GitConfigText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Parses the bytes of one configuration file; null when they hold a form this reader leaves to libgit2.</summary>
    public static List<GitConfigEntry>? Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith("\xEF\xBB\xBF"u8) || bytes.Contains((byte)'\r'))
        {
            return null;
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        var entries = new List<GitConfigEntry>();
        string? section = null;
        string? subsection = null;
        var position = 0;
        while (position < text.Length)
        {
            position = SkipBlanks(text, position);
            if (position >= text.Length)
            {
                break;
            }

            var c = text[position];
            if (c == '\n')
            {
                position++;
            }
            else if (c is '#' or ';')
            {
                position = EndOfLine(text, position);
            }
            else if (c == '[')
            {
                if (!TryParseHeader(text, ref position, out section, out subsection))
                {
                    return null;
                }
            }
            else if (char.IsAsciiLetter(c) && section is not null)
            {
                var start = position;
                while (position < text.Length && (char.IsAsciiLetterOrDigit(text[position]) || text[position] == '-'))
                {
                    position++;
                }

                var key = text[start..position].ToLowerInvariant();
                position = SkipBlanks(text, position);
                string? value = null;
                if (position < text.Length && text[position] == '=')
                {
                    if (!TryParseValue(text, ref position, out value))
                    {
                        return null;
                    }
                }
                else if (position < text.Length && text[position] is not ('\n' or '#' or ';'))
                {
                    return null;
                }
                else
                {
                    position = EndOfLine(text, position);
                }

                entries.Add(new GitConfigEntry(section, subsection, key, value));
            }
            else
            {
                return null;
            }
        }

        return entries;
    }

    /// <summary>
    /// git's boolean for a value: null (a key without <c>=</c>) and yes, on, true, 1 are true; no, off, false, 0 and
    /// the empty string are false; null for anything else (libgit2 reads other integers, which this leaves to it).
    /// </summary>
    public static bool? ParseBoolean(string? value) => value?.ToLowerInvariant() switch
    {
        null or "true" or "yes" or "on" or "1" => true,
        "false" or "no" or "off" or "0" or "" => false,
        _ => null,
    };

    private static int SkipBlanks(string text, int position)
    {
        while (position < text.Length && text[position] is ' ' or '\t')
        {
            position++;
        }

        return position;
    }

    private static int EndOfLine(string text, int position)
    {
        var end = text.IndexOf('\n', position);
        return end < 0 ? text.Length : end + 1;
    }

    private static bool TryParseHeader(string text, ref int position, out string? section, out string? subsection)
    {
        section = null;
        subsection = null;
        var end = text.IndexOf('\n', position);
        var line = end < 0 ? text[position..] : text[position..end];
        var close = line.LastIndexOf(']');
        if (close < 0)
        {
            return false;
        }

        var inside = line[1..close];
        var quote = inside.IndexOf('"');
        var name = quote < 0 ? inside : inside[..quote].TrimEnd(' ', '\t');
        if (name.Length == 0 || !name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '-'))
        {
            // A legacy "[section.subsection]" header, or something else this reader leaves to libgit2.
            return false;
        }

        if (quote >= 0)
        {
            if (quote == name.Length || inside[^1] != '"' || inside.Length - quote < 2)
            {
                return false;
            }

            var sub = inside[(quote + 1)..^1];
            if (sub.Contains('"') || sub.Contains('\\'))
            {
                return false;
            }

            subsection = sub;
        }

        var rest = line[(close + 1)..].TrimStart(' ', '\t');
        if (rest.Length > 0 && rest[0] is not ('#' or ';'))
        {
            return false;
        }

        section = name.ToLowerInvariant();
        position = end < 0 ? text.Length : end + 1;
        return true;
    }

    // From the '=' to the end of the line: quotes joined, escapes read, a comment outside quotes dropped, blanks around
    // the value dropped.
    private static bool TryParseValue(string text, ref int position, out string? value)
    {
        value = null;
        position = SkipBlanks(text, position + 1);
        var builder = new StringBuilder();
        var quoted = false;
        var kept = 0;
        while (position < text.Length)
        {
            var c = text[position];
            if (c == '\n')
            {
                if (quoted)
                {
                    return false;
                }

                break;
            }

            position++;
            if (!quoted && c is '#' or ';')
            {
                position = EndOfLine(text, position);
                value = builder.ToString(0, kept);
                return true;
            }

            if (c == '"')
            {
                quoted = !quoted;
                kept = builder.Length;
                continue;
            }

            if (c == '\\')
            {
                if (position >= text.Length)
                {
                    return false;
                }

                var escaped = text[position++];
                switch (escaped)
                {
                    case '\\' or '"':
                        builder.Append(escaped);
                        break;
                    case 'n':
                        builder.Append('\n');
                        break;
                    case 't':
                        builder.Append('\t');
                        break;
                    case 'b':
                        builder.Append('\b');
                        break;
                    default:
                        return false;
                }

                kept = builder.Length;
                continue;
            }

            builder.Append(c);
            if (quoted || c is not (' ' or '\t'))
            {
                kept = builder.Length;
            }
        }

        if (quoted)
        {
            return false;
        }

        if (position < text.Length)
        {
            position++;
        }

        value = builder.ToString(0, kept);
        return true;
    }
}

/// <summary>One entry of a git configuration file.</summary>
/// <param name="Section">The section name, lower case.</param>
/// <param name="Subsection">The subsection, as written (case matters), or null.</param>
/// <param name="Key">The key, lower case.</param>
/// <param name="Value">The value, or null for a key written without <c>=</c> (a boolean true).</param>
internal sealed record GitConfigEntry(string Section, string? Subsection, string Key, string? Value);
