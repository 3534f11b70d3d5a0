using Repro.Core.Capture.Data;
using Repro.Core.Errors;

namespace Repro.Core.Remotes;

/// <summary>
/// A remote that is a folder (a shared drive, an NFS mount). Each file is written to a temporary name beside its
/// target (by the kernel: a clone or <c>copy_file_range</c>), flushed to disk, its size checked, and renamed into place, so a reader (or an interrupted push run again) only ever
/// sees whole files. Objects are made read-only, as in a local store. The folder itself must exist: a missing one is
/// most often a share that is not mounted, and creating it would fill the local disk instead.
/// </summary>
internal sealed class DirectoryRemoteStorage : IRemoteStorage
{
    private const string TemporaryPrefix = ".tmp-";
    private const UnixFileMode ReadOnly = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly string _root;
    private bool _checked;

    public DirectoryRemoteStorage(RemoteDefinition remote)
    {
        _root = remote.Location.DirectoryPath!;
        Display = remote.Display;
    }

    public string Display { get; }

    public Task<IReadOnlyDictionary<string, long>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        EnsureRoot();
        var listed = new Dictionary<string, long>(StringComparer.Ordinal);
        var directory = PathOf(prefix.TrimEnd('/'));
        if (!Directory.Exists(directory))
        {
            return Task.FromResult<IReadOnlyDictionary<string, long>>(listed);
        }

        try
        {
            foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false }))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (file.Name.StartsWith(TemporaryPrefix, StringComparison.Ordinal) || file.LinkTarget is not null)
                {
                    continue;
                }

                listed[prefix + Path.GetRelativePath(directory, file.FullName).Replace(Path.DirectorySeparatorChar, '/')] = file.Length;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure($"cannot list {directory}", e);
        }

        return Task.FromResult<IReadOnlyDictionary<string, long>>(listed);
    }

    public Task<long?> SizeOfAsync(string key, CancellationToken cancellationToken)
    {
        EnsureRoot();
        var info = new FileInfo(PathOf(key));
        return Task.FromResult(info.Exists ? info.Length : (long?)null);
    }

    public Task PutFileAsync(string key, string localPath, string? sha256, CancellationToken cancellationToken)
    {
        EnsureRoot();
        var target = PathOf(key);
        var directory = Path.GetDirectoryName(target)!;
        var temporary = Path.Combine(directory, $"{TemporaryPrefix}{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(directory);
            long length;
            using (var input = File.OpenHandle(localPath, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan))
            using (var output = File.OpenHandle(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
            {
                length = RandomAccess.GetLength(input);

                // The kernel copies (or, on a file system that can, clones) without the bytes passing through repro:
                // objects were checked when they entered the store, and are checked again by whoever pulls them.
                if (!FileCloning.TryClone(input, output) && !FileCloning.TryKernelCopy(input, output, length))
                {
                    var actual = HashingCopy.Copy(input, output, long.MaxValue);
                    if (sha256 is not null && actual != sha256)
                    {
                        throw new StoreException($"object {sha256} in the local store is damaged (its content hashes to {actual}): it was not sent to {Display}");
                    }
                }

                RandomAccess.FlushToDisk(output);
            }

            if (sha256 is not null && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, ReadOnly);
            }

            File.Move(temporary, target, overwrite: true);
            var stored = new FileInfo(target).Length;
            if (stored != length)
            {
                throw new StoreException($"{Display} holds {stored} bytes at {key} where {length} were written");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw Failure($"cannot write {target}", e);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }

        return Task.CompletedTask;
    }

    public async Task GetAsync(string key, Stream destination, CancellationToken cancellationToken)
    {
        EnsureRoot();
        var path = PathOf(key);
        try
        {
            await using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
            await input.CopyToAsync(destination, 1 << 20, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new StoreException($"{Display} has no {key}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure($"cannot read {path}", e);
        }
    }

    public string? LocalPathOf(string key)
    {
        EnsureRoot();
        return PathOf(key);
    }

    public void Dispose()
    {
    }

    private void EnsureRoot()
    {
        if (_checked)
        {
            return;
        }

        if (!Directory.Exists(_root))
        {
            throw new StoreException($"remote {Display}: the folder {_root} does not exist (is the share mounted?)");
        }

        _checked = true;
    }

    private string PathOf(string key) => Path.Combine(_root, key.Replace('/', Path.DirectorySeparatorChar));

    private StoreException Failure(string what, Exception e) => new($"remote {Display}: {what}: {e.Message}", e);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The failure being reported matters more; a temporary name is never listed as content.
        }
    }
}
