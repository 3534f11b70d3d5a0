using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Repro.Core.FileSystem;

namespace Repro.Core.Capture.Git;

/// <summary>
/// Reads a repository's index file (<c>.git/index</c>) in process: its tracked paths for the lock-file search, a
/// cut-down copy for the diff, and (for tests, against git) what <c>git ls-files -z --stage</c> would print for it,
/// byte for byte, for the index formats it knows; for any other it answers null and the caller starts git.
/// </summary>
/// <remarks>
/// <para>The lock-file search needs the tracked paths that can be lock files, and the submodules. On 100,000 files,
/// <c>git ls-files --stage</c> is a process that writes 7.5 MB through a pipe, and it ran beside <c>git status</c> on
/// two cores, slowing status, which a run waits for. Walking the index here costs a few milliseconds of one thread
/// and starts nothing; rendering its entries as that text cost 50.</para>
/// <para>Known: versions 2, 3 and 4 (path prefix compression) with SHA-1 object names. Left to git: an index split in
/// two files (<c>link</c> extension), a sparse index (<c>sdir</c> extension, or folder entries), a repository with
/// another object format (<c>extensions.objectFormat</c>), a truncated or malformed file. Extensions are skipped, not
/// read, apart from those checks; the trailing checksum is not checked (git does not check it either when it only
/// reads). The format: git's <c>Documentation/gitformat-index.txt</c>.</para>
/// </remarks>
internal static class GitIndexFile
{
    private const int Sha1Length = 20;

    // ctime, mtime (seconds and nanoseconds each), dev, ino, mode, uid, gid, size: ten 32-bit fields.
    private const int StatLength = 40;
    private const int ModeOffset = 24;
    private const int FlagsLength = 2;
    private const ushort ExtendedFlag = 0x4000;
    private const int GitlinkOrFolderMask = 0xF000;
    private const int FolderMode = 0x4000;
    private const int GitlinkMode = 0xE000;
    private const int NameLengthMask = 0xFFF;

    /// <summary>
    /// The <c>git ls-files -z --stage</c> output for the index of the repository whose working tree is
    /// <paramref name="root"/>, or null when the index is in a form this reader leaves to git or cannot be read.
    /// </summary>
    /// <param name="root">The working-tree root (it holds <c>.git</c>, a folder or a <c>gitdir:</c> file).</param>
    public static byte[]? TryListStaged(string root) => TryRead(root)?.ListStaged();

    /// <summary>
    /// The index of the repository whose working tree is <paramref name="root"/>, read once, or null when it cannot
    /// be read or the repository names objects otherwise than with SHA-1.
    /// </summary>
    /// <param name="root">The working-tree root (it holds <c>.git</c>, a folder or a <c>gitdir:</c> file).</param>
    public static Snapshot? TryRead(string root)
    {
        try
        {
            if (GitDirectory(root) is not { } gitDirectory || UsesAnotherObjectFormat(gitDirectory))
            {
                return null;
            }

            var index = Path.Combine(gitDirectory, "index");
            if (!File.Exists(index))
            {
                // A repository without an index (nothing was ever added) lists nothing, as git does.
                return new Snapshot([], default);
            }

            // The time first: should the index be rewritten between the two, the copy gets an older time than its
            // bytes, which only makes git compare more files by content (see WriteSubset).
            var modified = File.GetLastWriteTimeUtc(index);
            return new Snapshot(File.ReadAllBytes(index), modified);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The <c>git ls-files -z --stage</c> output for an index file's bytes, or null when they are left to git.</summary>
    /// <param name="index">The whole index file.</param>
    public static byte[]? ListStaged(ReadOnlySpan<byte> index)
    {
        if (index.Length < 12)
        {
            return null;
        }

        // The output is about as long as the paths plus 50 bytes an entry: start near that and let it grow.
        var count = BinaryPrimitives.ReadUInt32BigEndian(index[8..]);
        using var output = new MemoryStream(checked((int)Math.Min(index.Length + (Math.Min(count, (uint)int.MaxValue) * 16L), int.MaxValue / 2)));
        var lister = new Lister(output);
        var known = Visit(index, ref lister);
        return known ? output.ToArray() : null;
    }

    /// <summary>
    /// An index file holding only the entries of <paramref name="index"/> whose paths are in <paramref name="paths"/>
    /// (every stage of each), and every <c>.gitattributes</c> and <c>.gitmodules</c> entry, unchanged (stat data,
    /// object, flags) and in the same order, in version 2 (3 when an entry has extended flags), without extensions;
    /// null when the index is left to git or holds a submodule.
    /// </summary>
    /// <remarks>
    /// <c>git diff HEAD -- PATHS</c> with <c>GIT_INDEX_FILE</c> naming this file prints what it prints with the whole
    /// index, byte for byte: for the paths asked about it sees the same entries, and attributes come from the working
    /// tree or, for a <c>.gitattributes</c> missing there, from the same entries. It only reads a few entries instead
    /// of all of them: on 100,000 files that is 2 ms of CPU instead of 27. The file must get the index's modification
    /// time (or an older one): git compares by content an entry changed in the same second as the index was written
    /// (a "racily clean" one), and a newer time would make such an entry look unchanged.
    /// </remarks>
    /// <param name="index">The whole index file.</param>
    /// <param name="paths">Paths as in the index: bytes, without a trailing NUL.</param>
    public static byte[]? WriteSubset(ReadOnlySpan<byte> index, IReadOnlyCollection<byte[]> paths)
    {
        // By length, so that most of 100,000 entries are passed over after one lookup.
        var byLength = new Dictionary<int, List<byte[]>>();
        foreach (var path in paths)
        {
            if (!byLength.TryGetValue(path.Length, out var sameLength))
            {
                byLength[path.Length] = sameLength = [];
            }

            sameLength.Add(path);
        }

        using var output = new MemoryStream();
        output.Write(new byte[12]);
        var copier = new SubsetCopier(output, byLength);
        var known = Visit(index, ref copier);
        if (!known)
        {
            return null;
        }

        return Finish(output, copier.Count, copier.Extended);
    }

    private static bool IsWanted(ReadOnlySpan<byte> path, Dictionary<int, List<byte[]>> byLength)
    {
        if (IsNamed(path, ".gitattributes"u8) || IsNamed(path, ".gitmodules"u8))
        {
            return true;
        }

        if (byLength.TryGetValue(path.Length, out var sameLength))
        {
            foreach (var candidate in sameLength)
            {
                if (path.SequenceEqual(candidate))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsNamed(ReadOnlySpan<byte> path, ReadOnlySpan<byte> name) =>
        path.EndsWith(name) && (path.Length == name.Length || path[path.Length - name.Length - 1] == (byte)'/');

    // Calls visit with each entry (from its start: stat data, object, flags and extended flags), its whole path, mode
    // and flags, in the index's order; false when the index is in a form left to git or visit answered false.
    private static bool Visit<TVisitor>(ReadOnlySpan<byte> index, ref TVisitor visitor)
        where TVisitor : struct, IEntryVisitor
    {
        if (index.Length < 12 || !index[..4].SequenceEqual("DIRC"u8))
        {
            return false;
        }

        var version = BinaryPrimitives.ReadUInt32BigEndian(index[4..]);
        var count = BinaryPrimitives.ReadUInt32BigEndian(index[8..]);
        if (version is < 2 or > 4 || count > int.MaxValue)
        {
            return false;
        }

        var position = 12;
        // Version 4 builds each path on the previous one, in this buffer; earlier versions hold it whole in the entry.
        var path = new byte[4096];
        var pathLength = 0;
        for (var i = 0; i < count; i++)
        {
            var fixedLength = StatLength + Sha1Length + FlagsLength;
            if (index.Length - position < fixedLength)
            {
                return false;
            }

            var start = position;
            var entry = index[position..];
            var mode = BinaryPrimitives.ReadUInt32BigEndian(entry[ModeOffset..]);
            var flags = BinaryPrimitives.ReadUInt16BigEndian(entry[(StatLength + Sha1Length)..]);
            if ((mode & GitlinkOrFolderMask) == FolderMode)
            {
                return false;  // a sparse index's folder entry: git expands those, this reader does not
            }

            ReadOnlySpan<byte> current;
            var nameStart = fixedLength;
            if ((flags & ExtendedFlag) != 0)
            {
                if (version < 3)
                {
                    return false;
                }

                nameStart += 2;
            }

            if (version == 4)
            {
                // The path is the previous one less its last N bytes, followed by the NUL-terminated rest.
                var (strip, varintLength) = ReadOffset(entry[nameStart..]);
                if (varintLength == 0 || strip > (ulong)pathLength)
                {
                    return false;
                }

                var rest = entry[(nameStart + varintLength)..];
                var end = rest.IndexOf((byte)0);
                if (end < 0)
                {
                    return false;
                }

                pathLength -= (int)strip;
                if (pathLength + end > path.Length)
                {
                    Array.Resize(ref path, Math.Max(path.Length * 2, pathLength + end));
                }

                rest[..end].CopyTo(path.AsSpan(pathLength));
                pathLength += end;
                current = path.AsSpan(0, pathLength);
                position += nameStart + varintLength + end + 1;
            }
            else
            {
                var name = entry[nameStart..];
                var end = name.IndexOf((byte)0);
                if (end < 0)
                {
                    return false;
                }

                current = name[..end];

                // One to eight NULs pad each entry to a multiple of eight bytes.
                position += (nameStart + end + 8) & ~7;
            }

            if (position > index.Length)
            {
                return false;
            }

            if (!visitor.Visit(start, entry[..nameStart], current, mode, flags))
            {
                return false;
            }
        }

        // Extensions follow the entries: a four-letter signature and a 32-bit length each, then the 20-byte checksum.
        while (index.Length - position > Sha1Length)
        {
            if (index.Length - position < 8)
            {
                return false;
            }

            var signature = index.Slice(position, 4);
            var length = BinaryPrimitives.ReadUInt32BigEndian(index[(position + 4)..]);
            if ((signature.SequenceEqual("link"u8) || signature.SequenceEqual("sdir"u8)) || length > (uint)(index.Length - position - 8))
            {
                return false;
            }

            position += 8 + (int)length;
        }

        return true;
    }

    // git's variable-length offset (varint.c): seven bits a byte, most significant first, each continuation adding one.
    private static (ulong Value, int Length) ReadOffset(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return (0, 0);
        }

        var length = 0;
        var c = bytes[length++];
        ulong value = c & 127u;
        while ((c & 128) != 0)
        {
            if (length == bytes.Length || length > 9)
            {
                return (0, 0);
            }

            value++;
            c = bytes[length++];
            value = (value << 7) + (c & 127u);
        }

        return (value, length);
    }

    private static int WriteOctal(Span<byte> destination, uint mode)
    {
        var digits = 0;
        for (var rest = mode; rest != 0 || digits == 0; rest >>= 3)
        {
            digits++;
        }

        var width = Math.Max(digits, 6);
        for (var i = width - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + (mode & 7));
            mode >>= 3;
        }

        return width;
    }

    private static int WriteHex(Span<byte> destination, ReadOnlySpan<byte> bytes)
    {
        ReadOnlySpan<byte> digits = "0123456789abcdef"u8;
        for (var i = 0; i < bytes.Length; i++)
        {
            destination[2 * i] = digits[bytes[i] >> 4];
            destination[(2 * i) + 1] = digits[bytes[i] & 15];
        }

        return 2 * bytes.Length;
    }

    // The folder git would use for a working tree at root: root/.git, or where a "gitdir: " file there points
    // (a linked worktree or a submodule); null for anything else.
    private static string? GitDirectory(string root)
    {
        var dotGit = Path.Combine(root, ".git");
        if (Directory.Exists(dotGit))
        {
            return dotGit;
        }

        if (!File.Exists(dotGit))
        {
            return null;
        }

        var text = File.ReadAllText(dotGit, Encoding.UTF8);
        if (!text.StartsWith("gitdir: ", StringComparison.Ordinal))
        {
            return null;
        }

        var target = text["gitdir: ".Length..].TrimEnd('\r', '\n');
        var directory = Path.GetFullPath(target, root);
        return Directory.Exists(directory) ? directory : null;
    }

    // A SHA-256 repository names objects with 32 bytes, which changes every entry's length. The setting lives in the
    // repository's config (a linked worktree's is in the common folder, named by "commondir").
    private static bool UsesAnotherObjectFormat(string gitDirectory)
    {
        var commonDirectory = gitDirectory;
        var commonFile = Path.Combine(gitDirectory, "commondir");
        if (File.Exists(commonFile))
        {
            commonDirectory = Path.GetFullPath(File.ReadAllText(commonFile, Encoding.UTF8).TrimEnd('\r', '\n'), gitDirectory);
        }

        var config = Path.Combine(commonDirectory, "config");
        return !File.Exists(config) || File.ReadAllText(config, Encoding.UTF8).Contains("objectformat", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// One reading of an index file: its bytes and the modification time they had. A class, not a record: it caches
    /// what <see cref="TryWalk"/> found, which value equality or a <c>with</c> copy would carry along.
    /// </summary>
    /// <param name="bytes">The whole file; empty when the repository has no index.</param>
    /// <param name="modifiedUtc">The file's modification time, read before its bytes.</param>
    internal sealed class Snapshot(byte[] bytes, DateTime modifiedUtc)
    {
        /// <summary>The whole file; empty when the repository has no index.</summary>
        public byte[] Bytes { get; } = bytes;

        /// <summary>The file's modification time, read before its bytes.</summary>
        public DateTime ModifiedUtc { get; } = modifiedUtc;

        private EntryTable? _table;

        private bool? _walked;

        /// <summary>Whether an entry is a submodule (a gitlink); known once <see cref="TryWalk"/> answered true.</summary>
        public bool HasGitlink { get; private set; }

        /// <summary>
        /// Walks the entries once and answers whether this reader knows the index's form (false: it is left to git).
        /// Nothing is rendered: where the entries hold their whole paths (versions 2 and 3), the walk notes where each
        /// entry starts, so that <see cref="WriteSubset(IReadOnlyCollection{byte[]})"/> finds paths by binary search,
        /// and whether one is a submodule. On 100,000 entries that is a few milliseconds beside <c>git status</c>,
        /// where rendering them all as <c>git ls-files --stage</c> text (7.5 MB) for the lock-file search cost 50.
        /// </summary>
        public bool TryWalk()
        {
            if (_walked is { } known)
            {
                return known;
            }

            if (Bytes.Length == 0)
            {
                _walked = true;
                return true;
            }

            var table = Bytes.Length >= 12 && BinaryPrimitives.ReadUInt32BigEndian(Bytes.AsSpan(4)) is 2 or 3
                ? new EntryTable((int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(Bytes.AsSpan(8)), (uint)Bytes.Length / 64))
                : null;
            var recorder = new Recorder(table);
            var walked = Visit(Bytes, ref recorder);
            _table = walked ? table : null;
            HasGitlink = walked && recorder.HasGitlink;
            _walked = walked;
            return walked;
        }

        /// <summary>
        /// The paths of the entries <paramref name="keep"/> accepts, in the index's order, each once (a conflicted file
        /// has an entry per stage), as <see cref="PathText"/> strings: only the entries kept become strings. Call after
        /// <see cref="TryWalk"/> answered true.
        /// </summary>
        /// <param name="keep">Called with each entry's kind and file name (the last path component) as bytes.</param>
        public List<string> Paths(WorkingTreeListing.EntryFilter keep)
        {
            var collector = new PathCollector(keep, []);
            if (Bytes.Length > 0)
            {
                Visit(Bytes, ref collector);
            }

            return collector.Kept;
        }

        /// <summary>What <see cref="GitIndexFile.WriteSubset(ReadOnlySpan{byte}, IReadOnlyCollection{byte[]})"/> gives for this index.</summary>
        /// <param name="paths">Paths as in the index: bytes, without a trailing NUL.</param>
        public byte[]? WriteSubset(IReadOnlyCollection<byte[]> paths) =>
            _table is { } table ? table.WriteSubset(Bytes, paths) : GitIndexFile.WriteSubset(Bytes, paths);

        /// <summary>What <c>git ls-files -z --stage</c> prints for this index, or null when it is left to git (tests compare it with git's).</summary>
        public byte[]? ListStaged() => Bytes.Length == 0 ? [] : GitIndexFile.ListStaged(Bytes);
    }

    // Where each entry of a version 2 or 3 index starts, which entries are attribute files, and whether one is a
    // submodule: entries are sorted by path, so a path is found by binary search.
    private sealed class EntryTable(int entries)
    {
        private readonly List<int> _starts = new(entries);
        private readonly List<int> _attributes = [];
        private bool _hasGitlink;

        public void Record(int start, ReadOnlySpan<byte> path, uint mode)
        {
            _hasGitlink |= (mode & GitlinkOrFolderMask) == GitlinkMode;
            if (IsNamed(path, ".gitattributes"u8) || IsNamed(path, ".gitmodules"u8))
            {
                _attributes.Add(_starts.Count);
            }

            _starts.Add(start);
        }

        public byte[]? WriteSubset(ReadOnlySpan<byte> index, IReadOnlyCollection<byte[]> paths)
        {
            if (_hasGitlink)
            {
                return null;
            }

            var picked = new SortedSet<int>(_attributes);
            foreach (var path in paths)
            {
                // The first entry not before the path (git sorts by name, then stage), then each stage of it.
                int low = 0, high = _starts.Count;
                while (low < high)
                {
                    var middle = low + ((high - low) / 2);
                    if (NameAt(index, _starts[middle]).SequenceCompareTo(path) < 0)
                    {
                        low = middle + 1;
                    }
                    else
                    {
                        high = middle;
                    }
                }

                for (; low < _starts.Count && NameAt(index, _starts[low]).SequenceEqual(path); low++)
                {
                    picked.Add(low);
                }
            }

            using var output = new MemoryStream();
            output.Write(new byte[12]);
            var extended = false;
            foreach (var entry in picked)
            {
                var start = _starts[entry];
                var flags = BinaryPrimitives.ReadUInt16BigEndian(index[(start + StatLength + Sha1Length)..]);
                extended |= CopyEntry(output, index[start..], NameAt(index, start), flags);
            }

            return Finish(output, picked.Count, extended);
        }

        private static ReadOnlySpan<byte> NameAt(ReadOnlySpan<byte> index, int start)
        {
            var flags = BinaryPrimitives.ReadUInt16BigEndian(index[(start + StatLength + Sha1Length)..]);
            var name = index[(start + StatLength + Sha1Length + FlagsLength + ((flags & ExtendedFlag) != 0 ? 2 : 0))..];
            return name[..name.IndexOf((byte)0)];
        }
    }

    // Writes one entry as versions 2 and 3 hold it: stat data and object as they were, flags with the name's length,
    // extended flags when there are any, the whole path and one to eight NULs; true when it has extended flags.
    private static bool CopyEntry(MemoryStream output, ReadOnlySpan<byte> entry, ReadOnlySpan<byte> path, ushort flags)
    {
        output.Write(entry[..(StatLength + Sha1Length)]);
        Span<byte> flagBytes = stackalloc byte[FlagsLength];
        BinaryPrimitives.WriteUInt16BigEndian(flagBytes, (ushort)((flags & ~NameLengthMask) | Math.Min(path.Length, NameLengthMask)));
        output.Write(flagBytes);
        var fixedLength = StatLength + Sha1Length + FlagsLength;
        var extended = (flags & ExtendedFlag) != 0;
        if (extended)
        {
            output.Write(entry.Slice(fixedLength, 2));
            fixedLength += 2;
        }

        output.Write(path);
        Span<byte> padding = stackalloc byte[8];
        padding.Clear();
        output.Write(padding[..(((fixedLength + path.Length + 8) & ~7) - fixedLength - path.Length)]);
        return extended;
    }

    // The header (version 3 when an entry has extended flags, 2 otherwise) and the trailing checksum.
    private static byte[] Finish(MemoryStream output, int count, bool extended)
    {
        var bytes = output.ToArray();
        "DIRC"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), extended ? 3u : 2u);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8), (uint)count);
#pragma warning disable CA5350 // SHA-1 here is the index file's own checksum, as git writes it, not a security measure.
        return [.. bytes, .. SHA1.HashData(bytes)];
#pragma warning restore CA5350
    }

    // A struct, not a delegate, so that the walk over 100,000 entries is compiled for each use with the call inlined.
    private interface IEntryVisitor
    {
        bool Visit(int position, ReadOnlySpan<byte> entry, ReadOnlySpan<byte> path, uint mode, ushort flags);
    }

    private struct Recorder(EntryTable? table) : IEntryVisitor
    {
        public bool HasGitlink { get; private set; }

        public bool Visit(int position, ReadOnlySpan<byte> entry, ReadOnlySpan<byte> path, uint mode, ushort flags)
        {
            HasGitlink |= (mode & GitlinkOrFolderMask) == GitlinkMode;
            table?.Record(position, path, mode);
            return true;
        }
    }

    private struct PathCollector(WorkingTreeListing.EntryFilter keep, List<string> kept) : IEntryVisitor
    {
        private string? _previous;

        public readonly List<string> Kept => kept;

        public bool Visit(int position, ReadOnlySpan<byte> entry, ReadOnlySpan<byte> path, uint mode, ushort flags)
        {
            if (keep((mode & GitlinkOrFolderMask) == GitlinkMode, path[(path.LastIndexOf((byte)'/') + 1)..]))
            {
                var text = PathText.FromBytes(path);
                // A conflicted file has up to three entries, one per stage, one after the other.
                if (text != _previous)
                {
                    kept.Add(text);
                }

                _previous = text;
            }

            return true;
        }
    }

    private struct Lister(MemoryStream output) : IEntryVisitor
    {
        private readonly byte[] _line = new byte[6 + 1 + (2 * Sha1Length) + 1 + 1 + 1];

        public readonly bool Visit(int position, ReadOnlySpan<byte> entry, ReadOnlySpan<byte> path, uint mode, ushort flags)
        {
            // "MODE OBJECT STAGE\tPATH\0", as ls-files prints it: the mode in octal, six digits.
            var written = WriteOctal(_line, mode);
            _line[written++] = (byte)' ';
            written += WriteHex(_line.AsSpan(written), entry.Slice(StatLength, Sha1Length));
            _line[written++] = (byte)' ';
            _line[written++] = (byte)('0' + ((flags >> 12) & 3));
            _line[written++] = (byte)'\t';
            output.Write(_line, 0, written);
            output.Write(path);
            output.WriteByte(0);
            return true;
        }
    }

    private struct SubsetCopier(MemoryStream output, Dictionary<int, List<byte[]>> byLength) : IEntryVisitor
    {
        public int Count { get; private set; }

        public bool Extended { get; private set; }

        public bool Visit(int position, ReadOnlySpan<byte> entry, ReadOnlySpan<byte> path, uint mode, ushort flags)
        {
            if ((mode & GitlinkOrFolderMask) == GitlinkMode)
            {
                return false;  // a submodule's diff reads more than its entry; the whole index is left to git
            }

            if (!IsWanted(path, byLength))
            {
                return true;
            }

            Extended |= CopyEntry(output, entry, path, flags);
            Count++;
            return true;
        }
    }
}
