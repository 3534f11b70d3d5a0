using System.IO.Compression;
using System.Text;

namespace Repro.Core.Capture.Git;

/// <summary>
/// Writes the <c>GIT binary patch</c> literal hunk that <c>git apply --binary</c> reads: the new content,
/// zlib-deflated, in base-85 lines of at most 52 bytes each, prefixed by a letter giving the line's byte count.
/// </summary>
internal static class GitBinaryLiteral
{
    private const int BytesPerLine = 52;
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~";

    private static ReadOnlySpan<byte> EmptyZlibStream => [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01];

    /// <summary>Appends <c>GIT binary patch</c>, the literal hunk for <paramref name="content"/> and the closing blank line.</summary>
    public static void Append(StringBuilder patch, ReadOnlySpan<byte> content)
    {
        patch.Append("GIT binary patch\n");
        patch.Append("literal ").Append(content.Length).Append('\n');
        var deflated = Deflate(content);
        for (var offset = 0; offset < deflated.Length; offset += BytesPerLine)
        {
            var count = Math.Min(BytesPerLine, deflated.Length - offset);
            patch.Append(count <= 26 ? (char)('A' + count - 1) : (char)('a' + count - 27));
            Encode(patch, deflated.AsSpan(offset, count));
            patch.Append('\n');
        }

        patch.Append('\n');
    }

    /// <summary>Git's base-85: big-endian groups of 4 bytes (the last one zero-padded) as 5 digits each.</summary>
    internal static void Encode(StringBuilder text, ReadOnlySpan<byte> data)
    {
        Span<char> digits = stackalloc char[5];
        for (var i = 0; i < data.Length; i += 4)
        {
            uint group = 0;
            for (var j = 0; j < 4; j++)
            {
                group = (group << 8) | (i + j < data.Length ? data[i + j] : 0u);
            }

            for (var k = 4; k >= 0; k--)
            {
                digits[k] = Alphabet[(int)(group % 85)];
                group /= 85;
            }

            text.Append(digits);
        }
    }

    private static byte[] Deflate(ReadOnlySpan<byte> content)
    {
        if (content.IsEmpty)
        {
            // ZLibStream writes nothing at all when given nothing, but git apply needs a complete zlib stream.
            return [.. EmptyZlibStream];
        }

        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(content);
        }

        return output.ToArray();
    }
}
