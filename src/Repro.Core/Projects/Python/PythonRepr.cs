using System.Globalization;
using System.Text;

namespace Repro.Core.Projects.Python;

/// <summary>CPython's <c>repr()</c> of <c>str</c> and <c>bytes</c>, which <c>str()</c> of a list or dict default shows.</summary>
internal static class PythonRepr
{
    /// <summary>
    /// <c>repr(text)</c>: single quotes unless the text holds a single quote and no double quote; backslash, the quote,
    /// tab, newline and carriage return escaped; other non-printable characters as <c>\xhh</c>, <c>\uhhhh</c> or
    /// <c>\Uhhhhhhhh</c>; printable non-ASCII characters kept (Objects/unicodeobject.c, <c>unicode_repr</c>).
    /// </summary>
    public static string Text(string text)
    {
        var quote = text.Contains('\'', StringComparison.Ordinal) && !text.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var repr = new StringBuilder(text.Length + 2).Append(quote);
        foreach (var rune in text.EnumerateRunes())
        {
            var value = rune.Value;
            if (value == quote || value == '\\')
            {
                repr.Append('\\').Append((char)value);
            }
            else if (value is '\t' or '\n' or '\r')
            {
                repr.Append(value switch { '\t' => "\\t", '\n' => "\\n", _ => "\\r" });
            }
            else if (value < ' ' || value == 0x7f)
            {
                repr.Append(CultureInfo.InvariantCulture, $"\\x{value:x2}");
            }
            else if (value < 0x7f || IsPrintable(rune))
            {
                repr.Append(rune.ToString());
            }
            else if (value <= 0xff)
            {
                repr.Append(CultureInfo.InvariantCulture, $"\\x{value:x2}");
            }
            else if (value <= 0xffff)
            {
                repr.Append(CultureInfo.InvariantCulture, $"\\u{value:x4}");
            }
            else
            {
                repr.Append(CultureInfo.InvariantCulture, $"\\U{value:x8}");
            }
        }

        return repr.Append(quote).ToString();
    }

    /// <summary><c>repr(bytes)</c>: <c>b'…'</c> with the same quote rule, and <c>\xhh</c> for anything outside printable ASCII.</summary>
    public static string Bytes(IReadOnlyList<byte> bytes)
    {
        var quote = bytes.Contains((byte)'\'') && !bytes.Contains((byte)'"') ? '"' : '\'';
        var repr = new StringBuilder(bytes.Count + 3).Append('b').Append(quote);
        foreach (var value in bytes)
        {
            if (value == quote || value == '\\')
            {
                repr.Append('\\').Append((char)value);
            }
            else if (value is (byte)'\t' or (byte)'\n' or (byte)'\r')
            {
                repr.Append(value switch { (byte)'\t' => "\\t", (byte)'\n' => "\\n", _ => "\\r" });
            }
            else if (value < ' ' || value >= 0x7f)
            {
                repr.Append(CultureInfo.InvariantCulture, $"\\x{value:x2}");
            }
            else
            {
                repr.Append((char)value);
            }
        }

        return repr.Append(quote).ToString();
    }

    // Python's str.isprintable(): everything but the Other (Cc, Cf, Cs, Co, Cn) and Separator (Zl, Zp, Zs) categories,
    // except the ASCII space. .NET's Unicode tables may be a version newer than the Python that runs MLflow; only
    // characters assigned in between can differ.
    private static bool IsPrintable(Rune rune) => rune.Value == ' ' || Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
            or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
            or UnicodeCategory.SpaceSeparator => false,
        _ => true,
    };
}
