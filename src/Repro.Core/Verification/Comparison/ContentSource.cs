using System.IO.Compression;
using System.Text;
using Repro.Core.FileSystem;

namespace Repro.Core.Verification.Comparison;

/// <summary>
/// Something whose bytes can be read, possibly more than once: a file, a zip entry or bytes in memory.
/// Lets the same comparers work on files and on the entries of a zip.
/// </summary>
internal abstract class ContentSource
{
    private const int SniffBytes = 4;

    /// <summary>The file path or entry name; its extension picks the comparer.</summary>
    public abstract string Name { get; }

    /// <summary>Size in bytes.</summary>
    public abstract long Length { get; }

    /// <summary>A new stream over the content from its start.</summary>
    public abstract Stream Open();

    public byte[] ReadAll()
    {
        using var stream = Open();
        using var buffer = new MemoryStream(Length is > 0 and < int.MaxValue ? (int)Length : 0);
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    public string ReadAllText() => Encoding.UTF8.GetString(StripBom(ReadAll()));

    public bool HasExtension(params ReadOnlySpan<string> extensions)
    {
        var extension = Path.GetExtension(Name);
        foreach (var candidate in extensions)
        {
            if (string.Equals(extension, candidate, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the content starts like a zip archive (a local file header, or the end record of an empty one).</summary>
    public bool LooksLikeZip()
    {
        Span<byte> head = stackalloc byte[SniffBytes];
        using var stream = Open();
        var read = stream.ReadAtLeast(head, SniffBytes, throwOnEndOfStream: false);
        return read == SniffBytes && head[0] == 'P' && head[1] == 'K'
            && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6));
    }

    /// <summary>Whether the content is valid UTF-8 without NUL characters, which is what this tool calls text.</summary>
    public bool IsText()
    {
        var decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetDecoder();
        var bytes = new byte[81920];
        var chars = new char[bytes.Length + 1];
        using var stream = Open();
        try
        {
            int read;
            while ((read = stream.Read(bytes)) > 0)
            {
                if (bytes.AsSpan(0, read).Contains((byte)0))
                {
                    return false;
                }

                decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
            }

            decoder.GetChars([], 0, 0, chars, 0, flush: true);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static ReadOnlySpan<byte> StripBom(byte[] bytes) =>
        bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? bytes.AsSpan(Encoding.UTF8.Preamble.Length) : bytes;
}

/// <summary>A file on disk.</summary>
internal sealed class FileContentSource(string path, string? name = null) : ContentSource
{
    public override string Name => name ?? path;

    public override long Length => NativeFiles.Status(path, followLinks: true)?.Size ?? throw new FileNotFoundException($"{PathText.ToRecorded(path)} does not exist", PathText.ToRecorded(path));

    public override Stream Open() => new FileStream(NativeFiles.OpenRead(path), FileAccess.Read, bufferSize: 81920);
}

/// <summary>An entry of an open zip archive, decompressed on each read.</summary>
internal sealed class ZipEntryContentSource(ZipArchiveEntry entry) : ContentSource
{
    public override string Name => entry.FullName;

    public override long Length => entry.Length;

    public override Stream Open() => entry.Open();
}

/// <summary>Bytes already in memory.</summary>
internal sealed class MemoryContentSource(string name, byte[] content) : ContentSource
{
    public override string Name => name;

    public override long Length => content.Length;

    public override Stream Open() => new MemoryStream(content, writable: false);
}
