using Repro.Core.Randomness;

namespace Repro.Core.FileSystem;

/// <summary>
/// Atomic writes made durable together. <see cref="AtomicFile"/> flushes each file to the disk before renaming it into
/// place: a journal commit and a disk cache flush per file. When many small files are written at once (a pipeline's
/// reused steps: a manifest, a parameters file and restored outputs each), those flushes cost more than the work. Here
/// the files are written first and flushed together:
/// <list type="number">
/// <item><see cref="Stage"/> writes a file's content beside its target under a temporary name: nothing is visible under
/// the final name yet; <see cref="Written"/> notes a file already in place whose bytes are not flushed yet;</item>
/// <item><see cref="Commit"/> flushes all of them, then renames the staged files into place, in the order staged, then
/// flushes the renames. On Linux each flush is one <c>syncfs</c> per file system written to (two calls however many
/// files) when that takes fewer calls than flushing each file and folder; otherwise each file is flushed, back to back,
/// then each folder once.</item>
/// </list>
/// A crash before <see cref="Commit"/> ends leaves some staged files under their temporary names, never a partly written
/// file under a final name; once it returns, every file is on the disk under its final name. Safe to use from several
/// threads.
/// </summary>
public sealed class DurableWrites
{
    private readonly Lock _lock = new();
    private readonly List<(string Target, string Temporary)> _staged = [];
    private readonly List<string> _written = [];

    /// <summary>How many files wait for <see cref="Commit"/>.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _staged.Count + _written.Count;
            }
        }
    }

    /// <summary>How many times a commit flushed a whole file system (<c>syncfs</c>), for tests and benchmarks.</summary>
    public int FileSystemFlushes { get; private set; }

    /// <summary>How many times a commit flushed one file or folder (<c>fsync</c>).</summary>
    public int FileFlushes { get; private set; }

    /// <summary>
    /// Writes <paramref name="content"/> beside <paramref name="path"/> under a temporary name, renamed over it by
    /// <see cref="Commit"/>. Staging the same path again replaces the earlier content.
    /// </summary>
    /// <exception cref="IOException">The temporary file cannot be written (nothing is left behind).</exception>
    /// <exception cref="UnauthorizedAccessException">Same as above.</exception>
    public void Stage(string path, ReadOnlySpan<byte> content)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var target = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{OsRandom.HexString(8)}.tmp");
        try
        {
            using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.None);
            stream.Write(content);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }

        Add([(target, temporary)], []);
    }

    /// <summary>Notes a file already in place whose bytes are not flushed to the disk yet; <see cref="Commit"/> flushes it.</summary>
    public void Written(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Add([], [Path.GetFullPath(path)]);
    }

    /// <summary>Whether <paramref name="path"/> is staged and waits for <see cref="Commit"/>.</summary>
    public bool IsStaged(string path)
    {
        var target = Path.GetFullPath(path);
        lock (_lock)
        {
            return _staged.Exists(entry => entry.Target == target);
        }
    }

    /// <summary>Hands every waiting file to <paramref name="other"/>, which commits them with its own.</summary>
    public void MoveTo(DurableWrites other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var (staged, written) = TakeAll();
        other.Add(staged, written);
    }

    /// <summary>
    /// Flushes every waiting file, renames the staged ones into place, and flushes the renames (see the class). After a
    /// failure no staged file is left under a temporary name.
    /// </summary>
    /// <param name="afterRenames">
    /// Called once the staged files are in place, before the renames are flushed: what it writes on the same file
    /// systems is flushed with them when a commit flushes whole file systems (an SQLite index of the files, say).
    /// </param>
    /// <exception cref="IOException">A file could not be flushed or renamed.</exception>
    /// <exception cref="UnauthorizedAccessException">Same as above.</exception>
    public void Commit(Action? afterRenames = null)
    {
        var (staged, written) = TakeAll();

        if (staged.Count == 0 && written.Count == 0)
        {
            afterRenames?.Invoke();
            return;
        }

        var renamed = 0;
        try
        {
            // The folders that hold the files, and those that hold them: a staged file's folder may be new (a run's).
            // Plain loops rather than LINQ over the staged tuples: this runs once, at the very end of a pipeline, where
            // each generic instantiation LINQ needs here is compiled by the JIT on the critical path (ReadyToRun has none).
            var files = new List<string>(staged.Count + written.Count);
            foreach (var (_, temporary) in staged)
            {
                files.Add(temporary);
            }

            files.AddRange(written);
            var folders = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var file in files)
            {
                var folder = Path.GetDirectoryName(file)!;
                if (seen.Add(folder))
                {
                    folders.Add(folder);
                }
            }

            for (int i = 0, count = folders.Count; i < count; i++)
            {
                if (Path.GetDirectoryName(folders[i]) is { } parent && seen.Add(parent))
                {
                    folders.Add(parent);
                }
            }

            var fileSystems = FileSystems(folders);
            var wholeFileSystems = fileSystems is not null && 2 * fileSystems.Count < files.Count + folders.Count;

            Flush(wholeFileSystems ? fileSystems! : files, wholeFileSystems);
            foreach (var (target, temporary) in staged)
            {
                NativeFiles.Rename(temporary, target);
                renamed++;
            }

            afterRenames?.Invoke();
            Flush(wholeFileSystems ? fileSystems! : folders, wholeFileSystems);
        }
        catch
        {
            foreach (var (_, temporary) in staged.Skip(renamed))
            {
                TryDelete(temporary);
            }

            throw;
        }
    }

    /// <summary>Deletes the staged files' temporary copies and forgets every waiting file (a run that never started).</summary>
    public void Discard()
    {
        var (staged, _) = TakeAll();

        foreach (var (_, temporary) in staged)
        {
            TryDelete(temporary);
        }
    }

    // Every waiting file, forgotten here: whoever takes them commits, hands on or deletes them.
    private (List<(string Target, string Temporary)> Staged, List<string> Written) TakeAll()
    {
        lock (_lock)
        {
            List<(string Target, string Temporary)> staged = [.. _staged];
            List<string> written = [.. _written];
            _staged.Clear();
            _written.Clear();
            return (staged, written);
        }
    }

    private void Add(List<(string Target, string Temporary)> staged, List<string> written)
    {
        var replaced = new List<string>();
        lock (_lock)
        {
            foreach (var entry in staged)
            {
                var index = _staged.FindIndex(other => other.Target == entry.Target);
                if (index >= 0)
                {
                    replaced.Add(_staged[index].Temporary);
                    _staged.RemoveAt(index);
                }

                _staged.Add(entry);
            }

            _written.AddRange(written);
        }

        foreach (var temporary in replaced)
        {
            TryDelete(temporary);
        }
    }

    // One folder on each file system the folders lie on; null when that cannot be told (no statx) or syncfs is missing.
    private static List<string>? FileSystems(List<string> folders)
    {
        if (!NativeFiles.CanSyncFileSystem)
        {
            return null;
        }

        var devices = new Dictionary<ulong, string>();
        var oneEach = new List<string>();
        foreach (var folder in folders)
        {
            if (NativeFiles.Status(folder, followLinks: true) is not { Kind: FileKind.Directory, HasIdentity: true } status)
            {
                return null;
            }

            if (devices.TryAdd(status.Device, folder))
            {
                oneEach.Add(folder);
            }
        }

        return oneEach;
    }

    private void Flush(List<string> paths, bool wholeFileSystems)
    {
        foreach (var path in paths)
        {
            if (wholeFileSystems)
            {
                NativeFiles.SyncFileSystem(path);
                FileSystemFlushes++;
            }
            else
            {
                NativeFiles.Sync(path);
                FileFlushes++;
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The original failure is the one worth reporting; a temporary file left behind is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }
}
