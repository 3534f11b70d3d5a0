using System.Security.Cryptography;
using Repro.Core.Errors;
using Repro.Core.FileSystem;

namespace Repro.Core.Capture.Data;

/// <summary>
/// Content-addressed copies of outputs and metrics files, so verify and diff can show what changed:
/// <c>&lt;store&gt;/objects/sha256/ab/cdef…</c>, where <c>ab</c> is the first two hex digits of the SHA-256 and the
/// file name the other 62. An object is written once (an existing one is never touched again), through a temporary
/// file renamed into place so readers never see a partial object, and made read-only.
/// </summary>
public sealed class ObjectStore
{
    /// <summary>The default size limit per file: 100 MiB.</summary>
    public const long DefaultMaxFileBytes = 100L << 20;

    private const int CopyBufferSize = 1 << 20;

    private readonly string _root;

    /// <summary>An object store inside <paramref name="storeDirectory"/>; nothing is created until the first put.</summary>
    /// <param name="storeDirectory">The run store.</param>
    /// <param name="maxFileBytes">Files larger than this are not copied.</param>
    public ObjectStore(string storeDirectory, long maxFileBytes = DefaultMaxFileBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(storeDirectory);
        ArgumentOutOfRangeException.ThrowIfNegative(maxFileBytes);
        _root = Path.Combine(Path.GetFullPath(storeDirectory), "objects", "sha256");
        MaxFileBytes = maxFileBytes;
    }

    /// <summary>Files larger than this many bytes are not copied.</summary>
    public long MaxFileBytes { get; }

    /// <summary>
    /// Copies <paramref name="file"/> into the store under <paramref name="sha256"/> unless an object with that
    /// digest is already there.
    /// </summary>
    /// <param name="file">The file to copy.</param>
    /// <param name="sha256">Its SHA-256, lower-case hex, as fingerprinted.</param>
    /// <returns>
    /// Whether the object is in the store afterwards: false when the file is larger than <see cref="MaxFileBytes"/>
    /// or its contents no longer have that digest (it changed since it was hashed); nothing is stored then.
    /// </returns>
    /// <exception cref="StoreException">The store cannot be written, or the file cannot be read.</exception>
    public bool TryPut(string file, string sha256)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        var target = ObjectPath(sha256);
        if (File.Exists(target))
        {
            return true;
        }

        var directory = Path.GetDirectoryName(target)!;
        var temporary = Path.Combine(directory, $".tmp-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(directory);
            if (!CopyVerified(file, temporary, sha256))
            {
                File.Delete(temporary);
                return false;
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }

            File.Move(temporary, target, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(target))
        {
            // Another process stored the same content first: same digest, same bytes.
            File.Delete(temporary);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new StoreException($"cannot store {file} in the object store {_root}: {e.Message}", e);
        }
    }

    /// <summary>Whether an object with this digest is stored.</summary>
    public bool Contains(string sha256) => File.Exists(ObjectPath(sha256));

    /// <summary>The path of the stored object, or null when it is not stored.</summary>
    public string? PathOf(string sha256)
    {
        var path = ObjectPath(sha256);
        return File.Exists(path) ? path : null;
    }

    /// <summary>Opens a stored object for reading, or returns null when it is not stored.</summary>
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

        return Path.Combine(_root, sha256[..2], sha256[2..]);
    }

    private static bool IsSha256(string? value) =>
        value is { Length: 64 } && value.AsSpan().IndexOfAnyExcept("0123456789abcdef") < 0;

    /// <summary>Copies while hashing, so what is stored is exactly the content the digest names.</summary>
    private bool CopyVerified(string source, string destination, string sha256)
    {
        using var input = new FileStream(NativeFiles.OpenRead(source), FileAccess.Read, 1);
        if (input.Length > MaxFileBytes)
        {
            return false;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[CopyBufferSize];
        long copied = 0;
        using (var output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
        {
            int read;
            while ((read = input.Read(buffer)) > 0)
            {
                copied += read;
                if (copied > MaxFileBytes)
                {
                    return false;
                }

                hash.AppendData(buffer, 0, read);
                output.Write(buffer, 0, read);
            }

            output.Flush(flushToDisk: true);
        }

        return FileHasher.ToHex(hash.GetHashAndReset()) == sha256;
    }
}
