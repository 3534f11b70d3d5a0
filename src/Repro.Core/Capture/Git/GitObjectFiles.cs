using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Repro.Core.Capture.Git;

/// <summary>
/// Reads one commit object of a repository from its files, for <see cref="RepositoryFiles"/>: a loose object
/// (<c>objects/xx/…</c>, zlib), or a whole (not delta-compressed) object in a pack found through a version 2
/// <c>.idx</c> (git's <c>Documentation/gitformat-pack.txt</c>). Every object read is checked against its SHA-1, as
/// libgit2 checks it, so what comes back is the object or nothing. Anything else (a delta, an index of version 1, an
/// object that is not a commit, one that is not there, a repository borrowing objects from another through
/// <c>objects/info/alternates</c>) answers null and the caller leaves the repository to libgit2.
/// </summary>
internal static class GitObjectFiles
{
    private const int Sha1Length = 20;
    private const int FanoutOffset = 8;
    private const int FanoutLength = 256 * 4;
    private const int CommitType = 1;

    /// <summary>The body of commit <paramref name="sha"/> (40 lower-case hex digits), or null when it is left to libgit2.</summary>
    /// <param name="gitDirectory">The repository's git directory.</param>
    /// <param name="sha">The object name.</param>
    /// <exception cref="IOException">A file could not be read.</exception>
    /// <exception cref="UnauthorizedAccessException">A file may not be read.</exception>
    public static byte[]? TryReadCommit(string gitDirectory, string sha)
    {
        var objects = Path.Combine(gitDirectory, "objects");
        if (File.Exists(Path.Combine(objects, "info", "alternates")))
        {
            return null;
        }

        var name = Convert.FromHexString(sha);
        var loose = Path.Combine(objects, sha[..2], sha[2..]);
        var body = File.Exists(loose) ? ReadLoose(loose) : ReadPacked(Path.Combine(objects, "pack"), name);
        return body is not null && GitSha1.HashData(WithHeader(body)).AsSpan().SequenceEqual(name) ? body : null;
    }

    private static byte[] WithHeader(byte[] body)
    {
        var header = Encoding.ASCII.GetBytes($"commit {body.Length}\0");
        var whole = new byte[header.Length + body.Length];
        header.CopyTo(whole, 0);
        body.CopyTo(whole, header.Length);
        return whole;
    }

    // "commit SIZE\0BODY", deflated.
    private static byte[]? ReadLoose(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
        using var inflated = new ZLibStream(file, CompressionMode.Decompress);
        Span<byte> header = stackalloc byte[32];
        var length = 0;
        while (true)
        {
            if (length == header.Length || inflated.Read(header.Slice(length, 1)) == 0)
            {
                return null;
            }

            if (header[length++] == 0)
            {
                break;
            }
        }

        var text = header[..(length - 1)];
        if (!text.StartsWith("commit "u8) || !int.TryParse(text["commit "u8.Length..], System.Globalization.NumberStyles.None, null, out var size))
        {
            return null;
        }

        var body = new byte[size];
        inflated.ReadExactly(body);
        return inflated.Read(stackalloc byte[1]) == 0 ? body : null;
    }

    private static byte[]? ReadPacked(string packFolder, byte[] name)
    {
        if (!Directory.Exists(packFolder))
        {
            return null;
        }

        foreach (var index in Directory.EnumerateFiles(packFolder, "pack-*.idx"))
        {
            using var handle = File.OpenHandle(index, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (!TryFind(handle, name, out var found, out var offset))
            {
                return null;
            }

            if (found)
            {
                return ReadPackEntry(Path.ChangeExtension(index, ".pack"), offset);
            }
        }

        return null;
    }

    // The object's offset in the pack, through the fan-out table and the sorted names of a version 2 index. False when
    // the index is not one this reader knows.
    private static bool TryFind(Microsoft.Win32.SafeHandles.SafeFileHandle handle, byte[] name, out bool found, out long offset)
    {
        found = false;
        offset = 0;
        Span<byte> head = stackalloc byte[FanoutOffset + FanoutLength];
        if (RandomAccess.Read(handle, head, 0) != head.Length
            || !head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0x74, 0x4F, 0x63])
            || BinaryPrimitives.ReadUInt32BigEndian(head[4..]) != 2)
        {
            return false;
        }

        var fanout = head[FanoutOffset..];
        var count = BinaryPrimitives.ReadUInt32BigEndian(fanout[(255 * 4)..]);
        var first = name[0] == 0 ? 0 : BinaryPrimitives.ReadUInt32BigEndian(fanout[((name[0] - 1) * 4)..]);
        var end = BinaryPrimitives.ReadUInt32BigEndian(fanout[(name[0] * 4)..]);
        if (end < first || end > count)
        {
            return false;
        }

        var names = new byte[(end - first) * Sha1Length];
        if (RandomAccess.Read(handle, names, FanoutOffset + FanoutLength + ((long)first * Sha1Length)) != names.Length)
        {
            return false;
        }

        var low = 0;
        var high = (int)(end - first) - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            var comparison = names.AsSpan(middle * Sha1Length, Sha1Length).SequenceCompareTo(name);
            if (comparison == 0)
            {
                var position = first + (uint)middle;
                var offsets = FanoutOffset + FanoutLength + ((long)count * (Sha1Length + 4));
                Span<byte> word = stackalloc byte[8];
                if (RandomAccess.Read(handle, word[..4], offsets + (position * 4L)) != 4)
                {
                    return false;
                }

                var small = BinaryPrimitives.ReadUInt32BigEndian(word);
                if ((small & 0x80000000) == 0)
                {
                    offset = small;
                }
                else
                {
                    var large = offsets + (count * 4L) + ((small & 0x7FFFFFFF) * 8L);
                    if (RandomAccess.Read(handle, word, large) != 8)
                    {
                        return false;
                    }

                    offset = checked((long)BinaryPrimitives.ReadUInt64BigEndian(word));
                }

                found = true;
                return true;
            }

            if (comparison < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return true;
    }

    // An entry: a type and size header (little-endian base-128), then the deflated object. Deltas are left to libgit2.
    private static byte[]? ReadPackEntry(string pack, long offset)
    {
        if (!File.Exists(pack))
        {
            return null;
        }

        using var file = new FileStream(pack, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096);
        file.Position = offset;
        var c = file.ReadByte();
        if (c < 0 || ((c >> 4) & 7) != CommitType)
        {
            return null;
        }

        long size = c & 15;
        var shift = 4;
        while ((c & 0x80) != 0)
        {
            c = file.ReadByte();
            if (c < 0 || shift > 56)
            {
                return null;
            }

            size |= (long)(c & 0x7F) << shift;
            shift += 7;
        }

        if (size > int.MaxValue / 2)
        {
            return null;
        }

        using var inflated = new ZLibStream(file, CompressionMode.Decompress);
        var body = new byte[size];
        inflated.ReadExactly(body);
        return body;
    }
}
