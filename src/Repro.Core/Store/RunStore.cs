using System.Runtime.InteropServices;
using Repro.Core.Diagnostics;
using Repro.Core.Errors;
using Repro.Core.FileSystem;
using Repro.Core.Runs;

namespace Repro.Core.Store;

/// <summary>
/// The embedded run store: a folder holding one sub-folder per run (<c>runs/RUN-ID/run.json</c> plus logs and patch),
/// a content-addressed object store, a hash cache and an SQLite index. <c>run.json</c> is the source of truth;
/// the index only makes listing fast and is rebuilt from the manifests whenever it is missing, stale or corrupt.
/// </summary>
public sealed partial class RunStore
{
    private RunStore(string root)
    {
        Root = root;
    }

    /// <summary>Absolute path of the store folder.</summary>
    public string Root { get; }

    /// <summary>
    /// Whether <see cref="Save"/> brings the SQLite index up to date. False for a cluster job (<see cref="ForJob"/>):
    /// SQLite on a network file system corrupts, so a job writes only its run folder and objects, and readers index the
    /// manifests they find, as they do for any stale entry.
    /// </summary>
    public bool WritesIndex { get; private init; } = true;

    /// <summary>The same store as written by a cluster job: manifests and objects only, never the index.</summary>
    public RunStore ForJob() => new(Root) { WritesIndex = false };

    /// <summary>Where <see cref="Save"/> stages manifests rather than writing them at once; null: written at once.</summary>
    public DurableWrites? DeferredWrites { get; private init; }

    /// <summary>
    /// The same store, saving manifests into <paramref name="writes"/>: each is made durable and renamed into place when
    /// <paramref name="writes"/> commits (with whatever else waits there), and indexed only then, by whoever commits
    /// it (<see cref="Index"/>): <see cref="Save"/> never writes the index.
    /// </summary>
    public RunStore Deferring(DurableWrites writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        return new(Root) { WritesIndex = false, DeferredWrites = writes };
    }

    /// <summary>Folder holding one sub-folder per run.</summary>
    public string RunsDirectory => Path.Combine(Root, StoreLayout.RunsFolderName);

    /// <summary>Path of the SQLite index.</summary>
    public string IndexPath => Path.Combine(Root, StoreLayout.IndexFileName);

    /// <summary>
    /// Picks the store folder: an explicit <paramref name="storeOption"/>, else <c>REPRO_STORE</c>, else <c>.repro</c>
    /// in <paramref name="projectDirectory"/>.
    /// </summary>
    public static string ChooseLocation(string? storeOption, string? storeVariable, string projectDirectory)
    {
        if (!string.IsNullOrWhiteSpace(storeOption))
        {
            return Path.GetFullPath(storeOption);
        }

        if (!string.IsNullOrWhiteSpace(storeVariable))
        {
            return Path.GetFullPath(storeVariable);
        }

        return Path.Combine(Path.GetFullPath(projectDirectory), StoreLayout.DefaultFolderName);
    }

    /// <summary>
    /// For commands that read runs without a project argument: --store, else REPRO_STORE, else the nearest <c>.repro</c>
    /// folder in <paramref name="currentDirectory"/> or one of its parents (as git finds <c>.git</c>), else <c>./.repro</c>.
    /// </summary>
    public static string FindLocation(string? storeOption, string? storeVariable, string currentDirectory)
    {
        if (!string.IsNullOrWhiteSpace(storeOption) || !string.IsNullOrWhiteSpace(storeVariable))
        {
            return ChooseLocation(storeOption, storeVariable, currentDirectory);
        }

        for (var directory = new DirectoryInfo(Path.GetFullPath(currentDirectory)); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, StoreLayout.DefaultFolderName);
            if (Directory.Exists(Path.Combine(candidate, StoreLayout.RunsFolderName)))
            {
                return candidate;
            }
        }

        return Path.Combine(Path.GetFullPath(currentDirectory), StoreLayout.DefaultFolderName);
    }

    /// <summary>Opens the store at <paramref name="root"/>, creating its layout when needed.</summary>
    /// <exception cref="StoreException">The folder cannot be created or written.</exception>
    public static RunStore Open(string root)
    {
        var store = new RunStore(Path.GetFullPath(root));
        try
        {
            Directory.CreateDirectory(store.RunsDirectory);
            var gitignore = Path.Combine(store.Root, ".gitignore");
            if (!File.Exists(gitignore))
            {
                // The store lives inside the user's repository by default: it must never make the tree dirty.
                AtomicFile.WriteAllBytes(gitignore, "# Written by repro: the run store is never part of the repository.\n*\n"u8);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"cannot open the run store {store.Root}: {exception.Message}", exception);
        }

        return store;
    }

    /// <summary>Opens an existing store for reading; a missing store is bad input (nothing to show).</summary>
    /// <exception cref="InputException">No store exists at <paramref name="root"/>.</exception>
    public static RunStore OpenExisting(string root)
    {
        var full = Path.GetFullPath(root);
        if (!Directory.Exists(Path.Combine(full, StoreLayout.RunsFolderName)))
        {
            throw new InputException($"no run store at {full} (run `repro run` first, or pass --store DIR / set {StoreLayout.StoreVariable})");
        }

        return new RunStore(full);
    }

    /// <summary>Allocates a new run id and creates its folder; never reuses an existing folder.</summary>
    public RunFolder CreateRun(DateTimeOffset startedAt)
    {
        for (var attempt = 0; attempt < 16; attempt++)
        {
            var directory = Path.Combine(RunsDirectory, RunId.New(startedAt));
            if (TryCreateDirectoryExclusively(directory))
            {
                return new RunFolder(directory);
            }
        }

        throw new StoreException($"cannot allocate a run folder in {RunsDirectory}");
    }

    /// <summary>The folder of a run and the files in it, for a well-formed id.</summary>
    /// <exception cref="InputException"><paramref name="runId"/> is not a run id.</exception>
    public RunFolder GetRunFolder(string runId) => new(GetRunDirectory(runId));

    /// <summary>The folder of a run, for a well-formed id.</summary>
    /// <exception cref="InputException"><paramref name="runId"/> is not a run id.</exception>
    public string GetRunDirectory(string runId)
    {
        if (!RunId.IsWellFormed(runId))
        {
            throw new InputException($"'{runId}' is not a run id");
        }

        return Path.Combine(RunsDirectory, runId);
    }

    /// <summary>
    /// Takes the lock of a new run's folder, for as long as this process records the run (see
    /// <see cref="RunFolder.LockFileName"/>): while it is held, reading commands know the run is alive.
    /// </summary>
    /// <exception cref="StoreException">The lock file cannot be created, or another process holds it.</exception>
    public static FileLock LockRun(RunFolder folder) => LockRun(folder, TimeSpan.Zero);

    /// <summary>
    /// Takes the lock of a run's folder, waiting up to <paramref name="patience"/> for a holder to let go. A queued run
    /// is locked again by the process that queued it: the lock follows the open file, and a program this process
    /// starts holds a copy of every open file from its fork until its exec closes them, so for a moment after the
    /// queueing released the lock, a program just being started (for another sweep point, say) can still hold it.
    /// </summary>
    /// <exception cref="StoreException">The lock file cannot be created, or another process held it all that time.</exception>
    public static FileLock LockRun(RunFolder folder, TimeSpan patience)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var deadline = DateTime.UtcNow + patience;
        try
        {
            while (true)
            {
                if (FileLock.TryAcquire(folder.Lock) is { } acquired)
                {
                    return acquired;
                }

                if (DateTime.UtcNow >= deadline)
                {
                    throw new StoreException($"{folder.Lock} is locked by another process");
                }

                Thread.Sleep(20);
            }
        }
        catch (IOException exception)
        {
            throw new StoreException(exception.Message, exception);
        }
    }

    /// <summary>
    /// Whether a repro process is still recording the run in <paramref name="runId"/>'s folder: false once its lock is
    /// free or gone (its repro exited or was killed); true when a live process holds it or it cannot be told.
    /// </summary>
    public bool IsRecording(string runId) => FileLock.Probe(GetRunFolder(runId).Lock) is LockState.Held or LockState.Unknown;

    /// <summary>
    /// The status to show for a run: its manifest's, except that a RUNNING run that no repro process records any more is
    /// ABANDONED. Never written back: the manifest stays as repro last wrote it.
    /// </summary>
    public RunStatus DisplayStatus(RunManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        // A cluster job holds its lock on the node that runs it, which this host may not see: the scheduler settles those.
        return manifest.Status == RunStatus.Running && manifest.Scheduler is null && !IsRecording(manifest.RunId) ? RunStatus.Abandoned : manifest.Status;
    }

    /// <summary>Writes a run's manifest atomically (or stages it, see <see cref="Deferring"/>), then brings the index up to date.</summary>
    /// <param name="manifest">The manifest.</param>
    /// <param name="warnings">Receives a line when the index could not be updated (the manifest is saved all the same: the index is rebuilt from the manifests).</param>
    /// <exception cref="StoreException">The manifest could not be written.</exception>
    public void Save(RunManifest manifest, ICollection<string>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var path = GetRunFolder(manifest.RunId).Manifest;
        try
        {
            if (DeferredWrites is { } deferred)
            {
                deferred.Stage(path, ManifestSerializer.Serialize(manifest));
            }
            else
            {
                AtomicFile.WriteAllBytes(path, ManifestSerializer.Serialize(manifest));
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"cannot write {path}: {exception.Message}", exception);
        }

        if (!WritesIndex)
        {
            return;
        }

        using var timing = Timings.Measure("index: record the run (SQLite)");
        var problems = new List<string>();
        try
        {
            using var index = RunIndex.Open(this, problems);
            index.Upsert(manifest, manifest.RunId, File.GetLastWriteTimeUtc(path).Ticks);
        }
        catch (Exception exception) when (exception is StoreException or Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
        {
            problems.Add($"the run index {IndexPath} could not be updated ({exception.Message}); repro lists from the manifests and rebuilds it");
        }

        if (warnings is not null)
        {
            foreach (var problem in problems)
            {
                warnings.Add(problem);
            }
        }
    }

    /// <summary>
    /// Brings the index up to date for runs whose manifests were saved by a store that does not write it
    /// (<see cref="ForJob"/>), all in one SQLite transaction. The manifests must be the ones on disk.
    /// </summary>
    /// <param name="manifests">The runs, as last saved.</param>
    /// <param name="warnings">Receives a line when the index could not be updated (readers then index the manifests they find).</param>
    public void Index(IReadOnlyList<RunManifest> manifests, ICollection<string>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        if (manifests.Count == 0)
        {
            return;
        }

        using var timing = Timings.Measure("index: record runs (SQLite, one transaction)");
        try
        {
            var problems = new List<string>();
            using var index = RunIndex.Open(this, problems);
            // A loop, not LINQ: at the end of a pipeline LINQ's iterator over these tuples is compiled by the JIT on the critical path.
            var runs = new List<(RunManifest, long)>(manifests.Count);
            foreach (var manifest in manifests)
            {
                runs.Add((manifest, File.GetLastWriteTimeUtc(GetRunFolder(manifest.RunId).Manifest).Ticks));
            }

            index.UpsertAll(runs);
            foreach (var problem in problems)
            {
                warnings?.Add(problem);
            }
        }
        catch (Exception exception) when (exception is StoreException or Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
        {
            warnings?.Add($"the run index {IndexPath} could not be updated ({exception.Message}); repro lists from the manifests and rebuilds it");
        }
    }

    /// <summary>Reads a run's manifest.</summary>
    /// <param name="runId">The run id: the folder's name.</param>
    /// <param name="warnings">Receives a line when the manifest's <c>runId</c> disagrees with its folder (the folder name wins).</param>
    /// <exception cref="InputException">There is no such run.</exception>
    /// <exception cref="StoreException">The manifest cannot be read or parsed.</exception>
    public RunManifest Load(string runId, ICollection<string>? warnings = null)
    {
        var path = GetRunFolder(runId).Manifest;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputException($"no run '{runId}' in {Root}", exception);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"cannot read {path}: {exception.Message}", exception);
        }

        var manifest = ManifestSerializer.Deserialize(bytes, path);
        if (string.Equals(manifest.RunId, runId, StringComparison.Ordinal))
        {
            return manifest;
        }

        // The folder is what every command names a run by; an id inside that says otherwise (edited, copied, crafted)
        // must never be shown or used as a path.
        warnings?.Add($"{path}: its runId '{Printable(manifest.RunId)}' disagrees with its folder; the run is {runId}");
        return manifest with { RunId = runId };
    }

    /// <summary>
    /// Turns what a user typed into a run id: a full id, a unique prefix, or <c>latest</c>.
    /// Anything else is rejected without touching the file system outside the store.
    /// </summary>
    public string Resolve(string reference)
    {
        var text = reference.Trim();
        if (text.Length == 0)
        {
            throw new InputException("a run must be named: give a run id, a unique prefix of one, or 'latest'");
        }

        if (string.Equals(text, "latest", StringComparison.Ordinal))
        {
            // The newest folder with a manifest: looked for from the newest down, one stat where ListRunIds takes one per run.
            var folders = ListRunFolders();
            for (var i = folders.Count - 1; i >= 0; i--)
            {
                if (File.Exists(Path.Combine(RunsDirectory, folders[i], RunFolder.ManifestFileName)))
                {
                    return folders[i];
                }
            }

            throw new InputException($"no runs in {Root}");
        }

        var ids = ListRunIds();

        if (!RunId.IsReferenceText(text))
        {
            throw new InputException($"'{reference}' does not name a run: give a run id (such as {ExampleId(ids)}), a unique prefix of one, or 'latest'");
        }

        var matches = ids.Where(id => id.StartsWith(text, StringComparison.Ordinal)).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new InputException($"no run matches '{reference}' in {Root}"),
            _ => throw new InputException($"'{reference}' matches {matches.Count} runs ({string.Join(", ", matches.Take(3))}{(matches.Count > 3 ? ", …" : string.Empty)}): give more characters"),
        };
    }

    /// <summary>Ids of every run folder that holds a manifest, oldest first.</summary>
    public IReadOnlyList<string> ListRunIds() =>
        ListRunFolders().Where(id => File.Exists(Path.Combine(RunsDirectory, id, RunFolder.ManifestFileName))).ToList();

    /// <summary>Ids of every run folder, with a manifest or not, oldest first.</summary>
    public IReadOnlyList<string> ListRunFolders()
    {
        if (!Directory.Exists(RunsDirectory))
        {
            return [];
        }

        var ids = new List<string>();
        foreach (var directory in Directory.EnumerateDirectories(RunsDirectory))
        {
            var name = Path.GetFileName(directory);
            if (RunId.IsWellFormed(name))
            {
                ids.Add(name);
            }
        }

        ids.Sort(StringComparer.Ordinal);
        return ids;
    }

    /// <summary>
    /// What the folder of a run without a manifest is: a run being prepared right now (its lock is held, or the folder
    /// is too new to have one yet), or one abandoned before it started.
    /// </summary>
    public bool IsAbandonedBeforeStart(string runId)
    {
        var folder = GetRunFolder(runId);
        return FileLock.Probe(folder.Lock) switch
        {
            LockState.Free => true,
            LockState.Held or LockState.Unknown => false,

            // The lock is taken right after the folder is made; a folder without one that is a few seconds old was
            // made by a repro killed in between, or by a repro that predates the lock.
            _ => DateTime.UtcNow - Directory.GetLastWriteTimeUtc(folder.Path) > TimeSpan.FromSeconds(5),
        };
    }

    private static string Printable(string text)
    {
        var shown = new string([.. text.Take(64).Select(c => char.IsControl(c) ? '?' : c)]);
        return text.Length > 64 ? shown + "…" : shown;
    }

    private static string ExampleId(IReadOnlyList<string> ids) => ids.Count > 0 ? ids[^1] : "20261127-093015-042-1a2b3c4d";

    private static bool TryCreateDirectoryExclusively(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            if (Directory.Exists(path))
            {
                return false;
            }

            Directory.CreateDirectory(path);
            return true;
        }

        // mkdir(2) fails with EEXIST when the folder exists: two concurrent runs can never share a folder.
        const int eexist = 17;
        if (Mkdir(path, Convert.ToUInt32("755", 8)) == 0)
        {
            return true;
        }

        var error = Marshal.GetLastPInvokeError();
        if (error == eexist)
        {
            return false;
        }

        throw new StoreException($"cannot create {path}: {Marshal.GetPInvokeErrorMessage(error)}");
    }

    [LibraryImport("libc", EntryPoint = "mkdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Mkdir(string path, uint mode);
}
