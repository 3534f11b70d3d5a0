using System.Globalization;
using System.Text;

namespace Repro.Core.FileSystem;

/// <summary>
/// File names on Linux are bytes, not text: a name need not be valid UTF-8, and .NET's own file APIs turn such bytes
/// into U+FFFD, after which the file can be neither opened nor told apart from another. repro keeps every name
/// losslessly in two forms.
/// </summary>
/// <remarks>
/// <para>
/// In memory (the <em>native</em> form) a name is decoded as UTF-8 and each byte that is not part of valid UTF-8
/// becomes one lone surrogate, U+DC80 to U+DCFF (as Python's <c>surrogateescape</c> does); valid UTF-8 never yields a
/// lone surrogate, so the bytes come back exactly. <see cref="NativeFiles"/> passes such names to the system as bytes.
/// </para>
/// <para>
/// In a manifest (the <em>recorded</em> form) a path that is valid UTF-8 and does not start with a double quote is
/// written as it is, as every path always was. Any other path is written in double quotes, as git quotes paths: inside
/// them a byte that is not valid UTF-8 is <c>\xHH</c> (two lower-case hex digits), a backslash is <c>\\</c> and a double
/// quote is <c>\"</c>; everything else stays itself. An unquoted path is therefore always literal, and a quoted one
/// always decodes to exactly one sequence of bytes (docs/manifest.md).
/// </para>
/// </remarks>
public static class PathText
{
    private const char Quote = '"';

    /// <summary>Whether <paramref name="path"/> (native form) holds a byte that is not valid UTF-8.</summary>
    public static bool HasRawBytes(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        foreach (var c in path)
        {
            if (IsRawByte(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The native form of a name or path given as bytes.</summary>
    public static string FromBytes(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length);
        var rest = bytes;
        while (!rest.IsEmpty)
        {
            if (System.Text.Rune.DecodeFromUtf8(rest, out var rune, out var consumed) == System.Buffers.OperationStatus.Done)
            {
                text.Append(rune.ToString());
                rest = rest[consumed..];
            }
            else
            {
                text.Append((char)(0xDC00 | rest[0]));
                rest = rest[1..];
            }
        }

        return text.ToString();
    }

    /// <summary>The bytes of a native-form path, NUL-terminated, for the system.</summary>
    public static byte[] ToNullTerminatedBytes(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = new List<byte>(path.Length + 1);
        Span<byte> one = stackalloc byte[4];
        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (IsRawByte(c))
            {
                bytes.Add((byte)(c & 0xFF));
            }
            else if (char.IsHighSurrogate(c) && i + 1 < path.Length && char.IsLowSurrogate(path[i + 1]))
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(path.Substring(i, 2)));
                i++;
            }
            else
            {
                var written = Encoding.UTF8.GetBytes([c], one);
                bytes.AddRange(one[..written]);
            }
        }

        bytes.Add(0);
        return [.. bytes];
    }

    /// <summary>The recorded form of a native-form path (see the remarks).</summary>
    public static string ToRecorded(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!HasRawBytes(path) && !path.StartsWith(Quote))
        {
            return path;
        }

        var text = new StringBuilder(path.Length + 8).Append(Quote);
        foreach (var c in path)
        {
            if (IsRawByte(c))
            {
                text.Append(CultureInfo.InvariantCulture, $"\\x{c & 0xFF:x2}");
            }
            else if (c is '\\' or Quote)
            {
                text.Append('\\').Append(c);
            }
            else
            {
                text.Append(c);
            }
        }

        return text.Append(Quote).ToString();
    }

    /// <summary>The native form of a recorded path; a path that is not quoted is returned as it is.</summary>
    /// <exception cref="FormatException">A quoted path with a malformed escape.</exception>
    public static string FromRecorded(string recorded)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        if (recorded.Length < 2 || recorded[0] != Quote || recorded[^1] != Quote)
        {
            return recorded;
        }

        var text = new StringBuilder(recorded.Length);
        for (var i = 1; i < recorded.Length - 1; i++)
        {
            var c = recorded[i];
            if (c != '\\')
            {
                text.Append(c);
                continue;
            }

            if (i + 1 >= recorded.Length - 1)
            {
                throw new FormatException($"the recorded path {recorded} ends in a lone backslash");
            }

            var escaped = recorded[++i];
            if (escaped is '\\' or Quote)
            {
                text.Append(escaped);
            }
            else if (escaped == 'x' && i + 2 < recorded.Length - 1
                && byte.TryParse(recorded.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value) && value >= 0x80)
            {
                text.Append((char)(0xDC00 | value));
                i += 2;
            }
            else
            {
                throw new FormatException($"the recorded path {recorded} holds an unknown escape \\{escaped}");
            }
        }

        return text.ToString();
    }

    /// <summary>Whether a native-form path is valid UTF-8 text, so .NET's own file APIs reach the file it names.</summary>
    public static bool IsPlain(string path) => !HasRawBytes(path);

    private static bool IsRawByte(char c) => c is >= '\uDC80' and <= '\uDCFF';
}
