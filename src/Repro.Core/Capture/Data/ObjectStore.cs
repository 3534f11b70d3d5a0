using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using Repro.Core.Errors;
using Repro.Core.FileSystem;

namespace Repro.Core.Capture.Data;

/// <summary>
/// Content-addressed copies of run data: <c>&lt;store&gt;/objects/sha256/ab/cdef…</c>, where <c>ab</c> is the first
/// two hex digits of the SHA-256 and the file name the other 62. An object is written once (an existing one is never
/// touched again), through a temporary file renamed into place so readers never see a partial object, and made
/// read-only. It is added by a copy-on-write clone where the file system supports one, by a copy otherwise, and
/// never by a hard link (a program that rewrites its file in place would change the stored copy too).
/// </summary>
/// <remarks>
/// Every way out of the store checks the content against the name: <see cref="CopyOut"/>, <see cref="CheckIntact"/>,
/// and whatever is received from a remote (<see cref="ReceiveAsync"/>) is hashed before it is renamed into place. A
/// damaged object is reported and never restored.
/// </remarks>
public sealed class ObjectStore
{
    /// <summary>The default size limit per file: none, every file is kept (<c>--object-size-limit</c> opts out).</summary>
    public const long DefaultMaxFileBytes = long.MaxValue;

    private const UnixFileMode ReadOnly = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>An object store inside <paramref name="storeDirectory"/>; nothing is created until the first put.</summary>
    /// <param name="storeDirectory">The run store.</param>
    /// <param name="maxFileBytes">Files larger than this are not copied.</param>
    public ObjectStore(string storeDirectory, long maxFileBytes = DefaultMaxFileBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(storeDirectory);
        ArgumentOutOfRangeException.ThrowIfNegative(maxFileBytes);
        Root = Path.Combine(Path.GetFullPath(storeDirectory), "objects", "sha256");
        MaxFileBytes = maxFileBytes;
    }

    /// <summary>Files larger than this many bytes are not copied.</summary>
    public long MaxFileBytes { get; }

    /// <summary>The folder holding the objects (<c>&lt;store&gt;/objects/sha256</c>).</summary>
    public string Root { get; }

    /// <summary>Whether <paramref name="value"/> is a SHA-256 as objects are named: 64 lower-case hex digits.</summary>
    public static bool IsSha256(string? value) =>
        value is { Length: 64 } && value.AsSpan().IndexOfAnyExcept("0123456789abcdef") < 0;

    /// <summary>
    /// Copies <paramref name="file"/> into the store under <paramref name="sha256"/> unless an object with that
    /// digest is already there, reading the file to check the digest.
    /// </summary>
    /// <param name="file">The file to copy.</param>
    /// <param name="sha256">Its SHA-256, lower-case hex, as fingerprinted.</param>
    /// <returns>
    /// Whether the object is in the store afterwards: false when the file is larger than <see cref="MaxFileBytes"/>
    /// or its contents no longer have that digest (it changed since it was hashed); nothing is stored then.
    /// </returns>
    /// <exception cref="StoreException">The store cannot be written, or the file cannot be read.</exception>
    public bool TryPut(string file, string sha256) => TryPut(file, sha256, hashedAs: null);

    /// <summary>
    /// Copies <paramref name="file"/> into the store under <paramref name="sha256"/> unless an object with that digest
    /// is already there.
    /// </summary>
    /// <param name="file">The file to copy.</param>
    /// <param name="sha256">Its SHA-256, lower-case hex, as fingerprinted.</param>
    /// <param name="hashedAs">
    /// The status the file had when <paramref name="sha256"/> was measured, when that measurement can be trusted as
    /// the hash cache trusts one (timestamps safely older than the start of hashing, or a cache hit): when the file
    /// still has exactly this status before and after the copy, the copy is not read again. Null reads it.
    /// </param>
    /// <returns>Whether the object is in the store afterwards (see <see cref="TryPut(string, string)"/>).</returns>
    /// <exception cref="StoreException">The store cannot be written, or the file cannot be read.</exception>
    public bool TryPut(string file, string sha256, FileStatus? hashedAs) =>
        Put(file, sha256, hashedAs) is PutOutcome.AlreadyStored or PutOutcome.Cloned or PutOutcome.Copied;

    /// <summary>Whether an object with this digest is stored.</summary>
    public bool Contains(string sha256) => File.Exists(ObjectPath(sha256));

    /// <summary>The path of the stored object, or null when it is not stored.</summary>
    public string? PathOf(string sha256)
    {
        var path = ObjectPath(sha256);
        return File.Exists(path) ? path : null;
    }

    /// <summary>The size of the stored object, or null when it is not stored.</summary>
    public long? SizeOf(string sha256)
    {
        var info = new FileInfo(ObjectPath(sha256));
        return info.Exists ? info.Length : null;
    }

    /// <summary>
    /// Opens a stored object for reading, or returns null when it is not stored. The stream is not checked: callers
    /// that hand the content on use <see cref="CopyOut"/> or <see cref="CheckIntact"/>.
    /// </summary>
    public Stream? OpenRead(string sha256)
    {
        try
        {
            return new FileStream(ObjectPath(sha256), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Where the object with this digest lives, whether or not it exists.</summary>
    /// <exception cref="ArgumentException"><paramref name="sha256"/> is not 64 lower-case hex digits.</exception>
    public string ObjectPath(string sha256)
    {
        if (!IsSha256(sha256))
        {
            throw new ArgumentException($"'{sha256}' is not a lower-case hex SHA-256", nameof(sha256));
        }

        return Path.Combine(Root, sha256[..2], sha256[2..]);
    }

    /// <summary>
    /// Writes the object's content to a new file at <paramref name="destination"/> (a clone where the file system
    /// allows), checking it against the name on the way. A damaged object leaves no file behind.
    /// </summary>
    /// <param name="sha256">The object.</param>
    /// <param name="destination">A path where no file exists yet.</param>
    /// <param name="flushToDisk">Whether the copy is flushed to the disk before this returns; false when the caller flushes it with others later (<see cref="FileSystem.DurableWrites"/>).</param>
    /// <returns>True when the file was cloned rather than copied.</returns>
    /// <exception cref="StoreException">The object is missing or damaged, or the copy failed.</exception>
    public bool CopyOut(string sha256, string destination, bool flushToDisk = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(destination);
        var path = ObjectPath(sha256);
        var created = false;
        try
        {
            using var source = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
            string actual;
            bool cloned;
            using (var target = NativeFiles.CreateNew(destination))
            {
                created = true;
                cloned = FileCloning.TryClone(source, target);
                if (cloned || FileCloning.TryKernelCopy(source, target, RandomAccess.GetLength(source)))
                {
                    // Read back and hashed while the disk writes it: what is handed out is what was checked.
                    FileCloning.StartWriteback(target, 0, RandomAccess.GetLength(target));
                    actual = HashingCopy.Hash(target);
                }
                else
                {
                    actual = HashingCopy.Copy(source, target, long.MaxValue) ?? string.Empty;
                }

                if (flushToDisk)
                {
                    Sync(target);
                }
            }

            if (!string.Equals(actual, sha256, StringComparison.Ordinal))
            {
                NativeFiles.DeleteFile(destination);
                throw Damaged(sha256, actual);
            }

            return cloned;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException && !created)
        {
            throw new StoreException($"object {sha256} is not in the store {Root}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (created)
            {
                TryDelete(destination);
            }

            throw new StoreException($"cannot copy object {sha256} to {destination}: {e.Message}", e);
        }
    }

    /// <summary>Reads a stored object and checks its content against its name.</summary>
    /// <exception cref="StoreException">The object is missing, unreadable or damaged.</exception>
    public void CheckIntact(string sha256)
    {
        string actual;
        try
        {
            using var handle = File.OpenHandle(ObjectPath(sha256), FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
            actual = HashingCopy.Hash(handle);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new StoreException($"object {sha256} is not in the store {Root}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"cannot read object {sha256}: {e.Message}", e);
        }

        if (!string.Equals(actual, sha256, StringComparison.Ordinal))
        {
            throw Damaged(sha256, actual);
        }
    }

    /// <summary>
    /// Stores content that <paramref name="write"/> produces (a download), hashing it as it is written: only content
    /// that hashes to <paramref name="sha256"/> and has <paramref name="expectedSize"/> bytes is renamed into place.
    /// </summary>
    /// <param name="sha256">The digest the content must have.</param>
    /// <param name="expectedSize">The size it must have, when known.</param>
    /// <param name="source">Describes where the content comes from, for messages.</param>
    /// <param name="write">Writes the content into the stream it is given.</param>
    /// <param name="cancellationToken">Stops the transfer; nothing is stored then.</param>
    /// <returns>False when the object was already stored (nothing was written).</returns>
    /// <exception cref="StoreException">The content is not what its name says, or the store cannot be written.</exception>
    public async Task<bool> ReceiveAsync(
        string sha256,
        long? expectedSize,
        string source,
        Func<Stream, CancellationToken, Task> write,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        var target = ObjectPath(sha256);
        if (File.Exists(target))
        {
            return false;
        }

        var directory = Path.GetDirectoryName(target)!;
        var temporary = Path.Combine(directory, $".tmp-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(directory);
            string actual;
            long length;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            await using (var hashing = new HashingWriteStream(file))
            {
                await write(hashing, cancellationToken).ConfigureAwait(false);
                await hashing.FlushAsync(cancellationToken).ConfigureAwait(false);
                (actual, length) = hashing.Finish();
                file.Flush(flushToDisk: true);
            }

            if (expectedSize is { } size && size != length)
            {
                throw new StoreException($"object {sha256} from {source} has {length} bytes, not {size}: it was not stored");
            }

            if (!string.Equals(actual, sha256, StringComparison.Ordinal))
            {
                throw new StoreException($"object {sha256} from {source} is damaged: its content hashes to {actual}; it was not stored");
            }

            Commit(temporary, target);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new StoreException($"cannot store object {sha256} in {Root}: {e.Message}", e);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Stores a copy of a file from elsewhere (a folder remote) under <paramref name="sha256"/>: cloned or copied by
    /// the kernel, then read once and hashed; only a copy that hashes to its name is renamed into place.
    /// </summary>
    /// <param name="sha256">The digest the content must have.</param>
    /// <param name="expectedSize">The size it must have.</param>
    /// <param name="sourcePath">The file to copy.</param>
    /// <param name="source">Describes where it comes from, for messages.</param>
    /// <returns>False when the object was already stored (nothing was written).</returns>
    /// <exception cref="StoreException">The content is not what its name says, or a file cannot be read or written.</exception>
    public bool ReceiveFile(string sha256, long expectedSize, string sourcePath, string source)
    {
        var target = ObjectPath(sha256);
        if (File.Exists(target))
        {
            return false;
        }

        var directory = Path.GetDirectoryName(target)!;
        var temporary = Path.Combine(directory, $".tmp-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(directory);
            string actual;
            long length;
            using (var input = File.OpenHandle(sourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan))
            using (var output = File.OpenHandle(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
            {
                length = RandomAccess.GetLength(input);
                if (FileCloning.TryClone(input, output) || FileCloning.TryKernelCopy(input, output, length))
                {
                    // The disk writes the copy while it is read back and hashed; the flush below waits for the rest.
                    FileCloning.StartWriteback(output, 0, RandomAccess.GetLength(output));
                    actual = HashingCopy.Hash(output);
                }
                else
                {
                    actual = HashingCopy.Copy(input, output, long.MaxValue)!;
                }

                length = RandomAccess.GetLength(output);
                Sync(output);
            }

            if (length != expectedSize)
            {
                throw new StoreException($"object {sha256} from {source} has {length} bytes, not {expectedSize}: it was not stored");
            }

            if (!string.Equals(actual, sha256, StringComparison.Ordinal))
            {
                throw new StoreException($"object {sha256} from {source} is damaged: its content hashes to {actual}; it was not stored");
            }

            Commit(temporary, target);
            return true;
        }
        catch (IOException) when (File.Exists(target))
        {
            TryDelete(temporary);
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new StoreException($"cannot store object {sha256} from {source}: {e.Message}", e);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Adds one file; see <see cref="TryPut(string, string, FileStatus?)"/>.</summary>
    internal PutOutcome Put(string file, string sha256, FileStatus? hashedAs)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        var target = ObjectPath(sha256);
        if (File.Exists(target))
        {
            return PutOutcome.AlreadyStored;
        }

        var directory = Path.GetDirectoryName(target)!;
        var temporary = Path.Combine(directory, $".tmp-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(directory);
            var outcome = CopyIn(file, temporary, sha256, hashedAs);
            if (outcome is PutOutcome.TooLarge or PutOutcome.Changed)
            {
                File.Delete(temporary);
                return outcome;
            }

            Commit(temporary, target);
            return outcome;
        }
        catch (IOException) when (File.Exists(target))
        {
            // Another process stored the same content first: same digest, same bytes.
            TryDelete(temporary);
            return PutOutcome.AlreadyStored;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new StoreException($"cannot store {file} in the object store {Root}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Adds a file whose digest is not known yet (an output just written): it is cloned or copied by the kernel into a
    /// temporary object, the copy is read back and hashed while the disk writes it, and the temporary is renamed to that
    /// digest. The file itself is read only by the kernel's copy, so the digest returned is the file's fingerprint and
    /// the object's name at the cost of one read.
    /// </summary>
    /// <remarks>
    /// The file's status is taken before and right after the copy: a file that changed during the copy gives
    /// <see cref="PutOutcome.Changed"/> and nothing is stored. A change after the copy (while the copy is hashed) is
    /// not seen, and need not be: the digest is that of the copy, which is what the store keeps and the run records,
    /// so record and object agree; the file in the workspace then simply differs from the record, as it would had it
    /// been changed a moment after the run. When an object with that digest is already stored the copy is dropped
    /// without being flushed.
    /// </remarks>
    /// <param name="input">The file, open for reading.</param>
    /// <param name="file">Its path, for messages and its status.</param>
    /// <param name="progress">Told the size of each chunk hashed; may be null.</param>
    /// <param name="cancellationToken">Stops hashing between chunks; nothing is stored then.</param>
    /// <returns>
    /// The outcome with the digest and size of what was copied, and the file's status before the copy (unchanged
    /// through it); no digest when the file is larger than <see cref="MaxFileBytes"/> or changed during the copy.
    /// </returns>
    /// <exception cref="StoreException">The store cannot be written, or the copy failed.</exception>
    internal ContentPut PutContent(SafeFileHandle input, string file, Action<int>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var before = NativeFiles.Status(input, file);
        if (before.Size > MaxFileBytes)
        {
            return new ContentPut(PutOutcome.TooLarge, null, before.Size, before);
        }

        // Named by content only once hashed, so the temporary waits at the top of the store (same file system, so the
        // rename into its fan-out folder stays atomic).
        var temporary = Path.Combine(Root, $".tmp-{Guid.NewGuid():N}");
        string? target = null;
        string? actual = null;
        var committed = false;
        try
        {
            Directory.CreateDirectory(Root);
            long length;
            bool cloned;
            using (var output = File.OpenHandle(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
            {
                cloned = FileCloning.TryClone(input, output);
                if (cloned || FileCloning.TryKernelCopy(input, output, before.Size))
                {
                    length = RandomAccess.GetLength(output);
                    if (length != before.Size || NativeFiles.Status(input, file) != before)
                    {
                        return new ContentPut(PutOutcome.Changed, null, before.Size, before);
                    }

                    // Read back (from the page cache) and hashed while the disk writes it: the flush below waits for the rest.
                    FileCloning.StartWriteback(output, 0, length);
                    actual = HashingCopy.Hash(output, progress, cancellationToken);
                }
                else
                {
                    // No kernel copy here: one pass that reads, hashes and writes, so the bytes hashed are the bytes stored.
                    actual = HashingCopy.Copy(input, output, MaxFileBytes);
                    length = RandomAccess.GetLength(output);
                    if (actual is null)
                    {
                        return new ContentPut(PutOutcome.TooLarge, null, length, before);
                    }

                    progress?.Invoke((int)Math.Min(length, int.MaxValue));
                    if (length != before.Size || NativeFiles.Status(input, file) != before)
                    {
                        return new ContentPut(PutOutcome.Changed, null, before.Size, before);
                    }
                }

                target = ObjectPath(actual);
                if (File.Exists(target))
                {
                    // Dropped unflushed: the bytes are already stored.
                    return new ContentPut(PutOutcome.AlreadyStored, actual, length, before);
                }

                Sync(output);
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            Commit(temporary, target);
            committed = true;
            return new ContentPut(cloned ? PutOutcome.Cloned : PutOutcome.Copied, actual, length, before);
        }
        catch (IOException) when (target is not null && File.Exists(target))
        {
            // Another process stored the same content first: same digest, same bytes.
            return new ContentPut(PutOutcome.AlreadyStored, actual, before.Size, before);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"cannot store {file} in the object store {Root}: {e.Message}", e);
        }
        finally
        {
            if (!committed)
            {
                TryDelete(temporary);
            }
        }
    }

    private static void Commit(string temporary, string target)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, ReadOnly);
        }

        File.Move(temporary, target, overwrite: false);
    }

    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="temporary"/> the cheapest way that still proves the copy
    /// has the digest: a clone or kernel copy when the trusted status proves nothing changed; otherwise a clone or
    /// kernel copy that is then read back once and hashed (the object holds exactly the bytes hashed), or, where the
    /// kernel cannot copy, one pass that reads, hashes and writes.
    /// </summary>
    /// <remarks>
    /// Reading the copy back rather than hashing while copying through a buffer costs the same CPU (one pass through
    /// memory and the hash) but lets the disk work during the hash: writeback of the copy is started before it is
    /// read back, so the flush before the rename finds most of it written. Measured in bench/hashing --store.
    /// </remarks>
    private PutOutcome CopyIn(string source, string temporary, string sha256, FileStatus? hashedAs)
    {
        using var input = NativeFiles.OpenRead(source);
        var before = NativeFiles.Status(input, source);
        if (before.Size > MaxFileBytes)
        {
            return PutOutcome.TooLarge;
        }

        var trusted = hashedAs is { HasIdentity: true } known && known == before;
        using var output = File.OpenHandle(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        var cloned = FileCloning.TryClone(input, output);
        var copied = !cloned && FileCloning.TryKernelCopy(input, output, before.Size);
        if (trusted && (cloned || copied)
            && NativeFiles.Status(input, source) == before && RandomAccess.GetLength(output) == before.Size)
        {
            // The file has had the same size, times, inode and device since it was hashed: same bytes.
            Sync(output);
            return cloned ? PutOutcome.Cloned : PutOutcome.Copied;
        }

        string? actual;
        if (cloned || copied)
        {
            // The copy is read back (from the page cache) and hashed: what is stored is what was checked.
            var length = RandomAccess.GetLength(output);
            if (length > MaxFileBytes)
            {
                return PutOutcome.TooLarge;
            }

            FileCloning.StartWriteback(output, 0, length);
            actual = HashingCopy.Hash(output);
        }
        else
        {
            RandomAccess.SetLength(output, 0);
            actual = HashingCopy.Copy(input, output, MaxFileBytes);
            if (actual is null)
            {
                return PutOutcome.TooLarge;
            }
        }

        if (actual != sha256)
        {
            return PutOutcome.Changed;
        }

        Sync(output);
        return cloned ? PutOutcome.Cloned : PutOutcome.Copied;
    }

    private static void Sync(SafeFileHandle handle) => RandomAccess.FlushToDisk(handle);

    private StoreException Damaged(string sha256, string actual) =>
        new($"object {sha256} in {Root} is damaged: its content hashes to {actual}; it was not used (delete {ObjectPath(sha256)} and fetch it again with `repro pull`)");

    private static void TryDelete(string path)
    {
        try
        {
            NativeFiles.DeleteFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The failure being reported matters more than a leftover temporary file, which no reader ever opens.
        }
    }
}

/// <summary>What adding a file to the <see cref="ObjectStore"/> did.</summary>
internal enum PutOutcome
{
    /// <summary>An object with that digest was already there; nothing was read.</summary>
    AlreadyStored,

    /// <summary>Stored as a copy-on-write clone.</summary>
    Cloned,

    /// <summary>Stored as a copy.</summary>
    Copied,

    /// <summary>Not stored: larger than the limit.</summary>
    TooLarge,

    /// <summary>Not stored: the content no longer has the digest.</summary>
    Changed,
}

/// <summary>What <see cref="ObjectStore.PutContent"/> did with a file whose digest was not known.</summary>
/// <param name="Outcome">Stored, already there, too large or changed during the copy.</param>
/// <param name="Sha256">The digest of what was copied; null when too large or changed.</param>
/// <param name="Size">The bytes copied (the file's size when nothing was).</param>
/// <param name="Status">The file's status before the copy, unchanged through it when a digest is given.</param>
internal readonly record struct ContentPut(PutOutcome Outcome, string? Sha256, long Size, FileStatus Status);
