using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using LibGit2Sharp;
using Repro.Core.AutoSeed;
using Repro.Core.Capture.Data;
using Repro.Core.Capture.Environment;
using Repro.Core.Capture.Git;
using Repro.Core.Diagnostics;
using Repro.Core.Errors;
using Repro.Core.Execution;
using Repro.Core.FileSystem;
using Repro.Core.Runs;
using Repro.Core.Store;

namespace Repro.Core.Pipelines;

/// <summary>
/// The code and environment captures that the steps of one <c>repro pipeline</c> call share. Captured per step, a fully
/// reused pipeline walked the whole working tree (git status and diff, the lock-file scan) and started the probes once
/// per step; one call's steps see the same code and machine unless a step changed them, so git is captured once and
/// the environment once per interpreter and inherited environment, and each capture is taken again only when it may
/// have gone stale:
/// <list type="bullet">
/// <item>after a step executed (<see cref="Executed"/>): its child may have written anything (an untracked file, a
/// lock file), so both are captured again, as a separate run would;</item>
/// <item>after a reused step restored files (<see cref="Restored"/>): the restored bytes are the recorded ones, and a
/// file git does not see (ignored and untracked, or outside the working tree) changes nothing git reports, so the code
/// is captured again only when git sees one of them; the environment only when one is named like a lock file.</item>
/// </list>
/// A step therefore gets the record a capture of its own would have given it, and so the same run-cache key.
/// </summary>
internal sealed class PipelineCaptures : ICaptureSource, IDisposable
{
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("repro-pipeline-capture-");
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (Task<GitCaptureResult> Capture, string Folder)> _git = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task<EnvironmentCaptureResult>> _environments = new(StringComparer.Ordinal);
    private readonly List<Task> _all = [];

    // The repositories the restored paths are checked against, opened once for as long as the captures they check hold
    // (opening one reads git's index, every tracked path: on 10,000 files that cost more than the restore itself).
    private readonly Dictionary<string, Repository> _repositories = new(StringComparer.Ordinal);

    // The repositories the git captures opened and kept, by the capture's folder, until Restored checks against one.
    private readonly Dictionary<string, Repository> _kept = new(StringComparer.Ordinal);

    // For captures that kept no repository (no submodules): git's own answer to "is this path ignored?", started on the
    // pool once the capture is taken, by the capture's folder; null where git could not be started.
    private readonly Dictionary<string, Task<GitIgnoreQuery?>> _ignoreQueries = new(StringComparer.Ordinal);
    private int _captures;

    // One hash cache connection for the call (a fresh connection per step re-read the cache's pages for every input),
    // and one fingerprinter, so that the outputs a reused step restored and vouched for are not read again as the next
    // step's inputs. The fingerprinter is dropped when a step executes: its child may have rewritten them.
    private HashCache? _hashCache;
    private Fingerprinter? _fingerprinter;
    private Action<string>? _hashCacheWarn;

    // What the cache said before the first step started (it was opened for the prefetch), for that step to report. Its
    // own lock: the cache warns while it holds its own, and the prefetch's thread holds that one.
    private readonly Lock _warnLock = new();
    private readonly List<string> _hashCacheWarnings = [];

    // The later steps' source inputs, looked up in the hash cache on another thread while the earlier steps run
    // (StartPrefetch); kept when a step executes, since each digest is taken only for the status it was looked up for.
    private DigestPrefetch? _prefetch;
    private ManifestPrefetch? _manifests;
    private readonly ConcurrentDictionary<string, bool> _starting = new(StringComparer.Ordinal);
    private Task? _prefetchTask;

    // The Python hook's folder, checked once for the steps (a reused step's child never starts to use it), and again
    // after a step executed: its child may have changed the folder.
    private PythonHookFolder? _pythonHook;

    /// <summary>How many times git was captured, for tests of when a capture is taken again.</summary>
    public int GitCaptures { get; private set; }

    /// <summary>How many times an environment was captured.</summary>
    public int EnvironmentCaptures { get; private set; }

    /// <summary>
    /// Starts capturing the code of <paramref name="codeDirectory"/> (absolute), so that it overlaps resolving the
    /// steps, as <c>repro status</c> does; the first step whose code is there takes it.
    /// </summary>
    public void StartGit(string codeDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(codeDirectory);
        lock (_lock)
        {
            _ = GitEntry(codeDirectory);
        }
    }

    /// <inheritdoc />
    public async Task<GitCaptureResult> CaptureGitAsync(RunContext run, bool withListing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        (Task<GitCaptureResult> Capture, string Folder) entry;
        lock (_lock)
        {
            entry = GitEntry(run.CodeDirectory);
        }

        var result = await entry.Capture.WaitAsync(cancellationToken).ConfigureAwait(false);
        var record = result.Record;
        foreach (var patch in new[] { record.Patch }.Concat(record.Submodules.Select(submodule => submodule.Patch)).OfType<StoredFileRecord>())
        {
            var target = Path.Combine(run.Folder.Path, patch.File);
            try
            {
                File.Copy(Path.Combine(entry.Folder, patch.File), target, overwrite: true);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new StoreException($"cannot write {target}: {exception.Message}", exception);
            }
        }

        return result;
    }

    // The capture of the code in a directory: the one taken, or a new one started. Called under the lock.
    private (Task<GitCaptureResult> Capture, string Folder) GitEntry(string directory)
    {
        if (!_git.TryGetValue(directory, out var entry))
        {
            // Into a folder of its own, outside the store: each step copies the patch files into its run folder.
            var folder = Path.Combine(_scratch.FullName, (++_captures).ToString(System.Globalization.CultureInfo.InvariantCulture));
            // The capture keeps the LibGit2Sharp repository it opened, for Restored's checks: opening another reads
            // git's index again, on the first reused step's path.
            entry = (Task.Run(() => GitCapture.CaptureKeepingRepositoryAsync(directory, folder, repository => Keep(folder, repository), CancellationToken.None), CancellationToken.None), folder);
            _git[directory] = entry;
            _all.Add(entry.Capture);
            _all.Add(entry.Capture.ContinueWith(capture => StartIgnoreQuery(folder, capture), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default));
            GitCaptures++;
        }

        return entry;
    }

    // A git capture's repository, kept for the checks of what the reused steps restore while that capture holds.
    private void Keep(string folder, Repository repository)
    {
        lock (_lock)
        {
            _kept[folder] = repository;
        }
    }

    // A capture that needed no libgit2 (no submodules) kept no repository: the restore checks ask git instead, through a
    // check-ignore started now, so that the first reused step finds it running (loading libgit2 and reading the index
    // for those checks cost tens of milliseconds of CPU, on that step's path).
    private void StartIgnoreQuery(string folder, Task<GitCaptureResult> capture)
    {
        if (!capture.IsCompletedSuccessfully || capture.Result.Record.RepositoryRoot is not { } root || GitExecutable.OnPath is not { } git)
        {
            return;
        }

        lock (_lock)
        {
            if (_kept.ContainsKey(folder) || _ignoreQueries.ContainsKey(folder) || _repositories.ContainsKey(root))
            {
                return;
            }

            _ignoreQueries[folder] = Task.Run(() => GitIgnoreQuery.TryStart(git, root), CancellationToken.None);
        }
    }

    /// <inheritdoc />
    public Task<EnvironmentCaptureResult> CaptureEnvironmentAsync(RunContext run, Task<WorkingTreeListing?>? listing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        return EnvironmentEntry(run.ProjectDirectory, run.Command.Command, run.InheritedEnvironment).WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Starts capturing the environment a step will ask for (<see cref="CaptureEnvironmentAsync"/>) with this project,
    /// rendered command and inherited environment (as the step's resolve stages left them), so that it overlaps the code's
    /// capture instead of following it: nothing has run yet, so the step would capture the same.
    /// </summary>
    public void StartEnvironment(string projectDirectory, string command, IReadOnlyDictionary<string, string> inheritedEnvironment)
    {
        ArgumentException.ThrowIfNullOrEmpty(projectDirectory);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(inheritedEnvironment);
        _ = EnvironmentEntry(projectDirectory, command, inheritedEnvironment);
    }

    // The environment capture for these facts: the one taken, or a new one started.
    private Task<EnvironmentCaptureResult> EnvironmentEntry(string project, string command, IReadOnlyDictionary<string, string> inheritedEnvironment)
    {
        // The shared capture walks for lock files rather than take a step's git listing: a capture taken again after a
        // step restored a lock file git ignores must see it, and the shared git listing may be older than that file.
        var key = EnvironmentKey(project, command, inheritedEnvironment);
        lock (_lock)
        {
            if (!_environments.TryGetValue(key, out var capture))
            {
                var variables = new Dictionary<string, string>(inheritedEnvironment, StringComparer.Ordinal);
                capture = Task.Run(() => EnvironmentCapture.CaptureAsync(project, command, variables, CancellationToken.None), CancellationToken.None);
                _environments[key] = capture;
                _all.Add(capture);
                EnvironmentCaptures++;
            }

            return capture;
        }
    }

    /// <summary>
    /// Whether the code and environment captures <paramref name="run"/> would get are taken and done, so that asking for
    /// them costs a lookup (and a copy of the patch), not a wait on a capture's blocking work.
    /// </summary>
    public bool HasCaptured(RunContext run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var key = EnvironmentKey(run);
        lock (_lock)
        {
            return _git.TryGetValue(run.CodeDirectory, out var git) && git.Capture.IsCompletedSuccessfully
                && _environments.TryGetValue(key, out var environment) && environment.IsCompletedSuccessfully;
        }
    }

    // What an environment capture reads: the project (lock files), the interpreter the command names, and the environment.
    private static string EnvironmentKey(RunContext run) =>
        EnvironmentKey(run.ProjectDirectory, run.Command.Command, run.InheritedEnvironment);

    private static string EnvironmentKey(string project, string command, IReadOnlyDictionary<string, string> inheritedEnvironment) =>
        $"{project}\0{InterpreterCommand.FindPython(command)}\0{RunCacheKey.Hash(inheritedEnvironment)}";

    /// <summary>
    /// The fingerprinter of <paramref name="run"/> (its store and objects set): shared by the steps, over one
    /// connection to the store's hash cache. What the cache reports (damage, a cache it cannot use) goes to the step
    /// that started last.
    /// </summary>
    public Fingerprinter Fingerprinter(RunContext run)
    {
        ArgumentNullException.ThrowIfNull(run);
        lock (_lock)
        {
            lock (_warnLock)
            {
                _hashCacheWarn = run.Warn;
                foreach (var warning in _hashCacheWarnings)
                {
                    run.Warn(warning);
                }

                _hashCacheWarnings.Clear();
            }

            _hashCache ??= OpenHashCache(run.Store.Root);
            return _fingerprinter ??= new Fingerprinter(new FingerprintOptions
            {
                Cache = _hashCache,
                Rehash = run.Request.Rehash,
                Progress = run.Request.HashProgress,
                ObjectStore = run.Objects,
                Prefetched = _prefetch,
            });
        }
    }

    /// <summary>How many input files' digests the steps took from the prefetch rather than from the hash cache, for tests.</summary>
    public int PrefetchedDigestsTaken => _prefetch?.Taken ?? 0;

    /// <summary>How many inputs the steps took as the prefetch listed them, rather than listing them at their turn.</summary>
    public int PrefetchedListingsTaken => _prefetch?.ListingsTaken ?? 0;

    /// <summary>
    /// A step's child may start: from now on every step lists its inputs itself, at its turn, since the child may write
    /// them (<see cref="DigestPrefetch.StopListings"/>). The digests read ahead stay, each taken only for the status it
    /// was looked up for.
    /// </summary>
    public void StopListings() => _prefetch?.StopListings();

    /// <summary>
    /// Starts reading ahead, on another thread and step by step in the order given, what the steps' run-cache lookups
    /// will need, so that a step finds it ready: a reused chain leaves the machine's other cores idle.
    /// <list type="bullet">
    /// <item>the hash cache's digests of each step's inputs that no step of the pipeline writes
    /// (<see cref="DigestPrefetch"/>); a step whose turn comes first, or whose file changed since, asks the cache
    /// itself;</item>
    /// <item>the manifest of the run each step most likely reuses (<see cref="ManifestPrefetch"/>), taken only if the
    /// run cache names that run and its file is unchanged.</item>
    /// </list>
    /// A prefetch that fails only loses the head start: the step's own capture and lookup report what they meet.
    /// </summary>
    public void StartPrefetch(RunStore store, IReadOnlyList<PrefetchStep> steps)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(steps);
        lock (_lock)
        {
            if (_prefetchTask is not null)
            {
                return;
            }

            DigestPrefetch? digests = null;
            if (steps.Any(step => step.Inputs.Count > 0))
            {
                _hashCache ??= OpenHashCache(store.Root);
                // Listings too: until a step's child may start, a reused step takes its inputs as listed here.
                digests = new DigestPrefetch(_hashCache) { KeepsListings = true };
                _prefetch = digests;
            }

            var manifests = new ManifestPrefetch(store);
            _manifests = manifests;
            _prefetchTask = Task.Run(
                () =>
                {
                    using var timing = Timings.Measure("pipeline: later steps' source inputs and reused runs read ahead");
                    var candidates = manifests.Candidates([.. steps.Select(step => step.Name)]);
                    foreach (var step in steps)
                    {
                        var (name, directory, inputs) = step;
                        if (_starting.ContainsKey(name))
                        {
                            // Its turn came first (a loaded machine): it looks up its own, and reading ahead would only compete.
                            continue;
                        }

                        try
                        {
                            digests?.Fill(directory, inputs);
                        }
                        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InputException or StoreException or ObjectDisposedException)
                        {
                            // Only a head start lost: the step fingerprints its inputs itself and reports what it meets.
                        }

                        if (candidates.TryGetValue(name, out var runId) && manifests.Fill(runId) is { } likely)
                        {
                            AskIgnoredAhead(directory, likely);
                        }
                    }
                },
                CancellationToken.None);
            _all.Add(_prefetchTask);
        }
    }

    /// <summary>The step <paramref name="name"/> starts: what is read ahead is no longer read for it.</summary>
    public void Starting(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _starting.TryAdd(name, true);
    }

    /// <summary>The manifests read ahead for the steps' run-cache lookups; null before <see cref="StartPrefetch"/>.</summary>
    public ManifestPrefetch? Manifests
    {
        get
        {
            lock (_lock)
            {
                return _manifests;
            }
        }
    }

    /// <summary>When the prefetch started by <see cref="StartPrefetch"/> is done (at once if none), for tests.</summary>
    public Task PrefetchCompletion()
    {
        lock (_lock)
        {
            return _prefetchTask ?? Task.CompletedTask;
        }
    }

    // The store's hash cache; what it reports goes to the step that started last, or to the first step if none has yet.
    private HashCache OpenHashCache(string storeDirectory) => HashCache.Open(storeDirectory, warning =>
    {
        lock (_warnLock)
        {
            if (_hashCacheWarn is { } warn)
            {
                warn(warning);
            }
            else
            {
                _hashCacheWarnings.Add(warning);
            }
        }
    });

    /// <summary>
    /// The Python hook in <paramref name="folder"/> (<see cref="PythonHook.Materialize"/>), checked once for the steps
    /// until one executes.
    /// </summary>
    public PythonHookFolder PythonHook(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        lock (_lock)
        {
            if (_pythonHook is not { } hook || !string.Equals(hook.Path, Path.GetFullPath(folder), StringComparison.Ordinal))
            {
                hook = AutoSeed.PythonHook.Materialize(folder);
                _pythonHook = hook;
                PythonHookChecks++;
            }

            return hook;
        }
    }

    /// <summary>How many times the Python hook's files were checked.</summary>
    public int PythonHookChecks { get; private set; }

    /// <summary>A step's child ran: whatever it wrote, the next step captures code and environment again, and hashes what the restores vouched for.</summary>
    public void Executed()
    {
        lock (_lock)
        {
            _git.Clear();
            _environments.Clear();
            _fingerprinter = null;
            _pythonHook = null;
            CloseRepositories();
        }
    }

    /// <summary>
    /// A reused step wrote <paramref name="paths"/> (absolute): the code is captured again if git sees one of them, the
    /// environment if one is named like a lock file.
    /// </summary>
    public void Restored(IReadOnlyCollection<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
        {
            return;
        }

        lock (_lock)
        {
            if (paths.Any(path => LockFileScanner.Affects(Path.GetFileName(path))))
            {
                _environments.Clear();
            }

            var stale = false;
            foreach (var (directory, entry) in _git.ToList())
            {
                if (!entry.Capture.IsCompletedSuccessfully || GitSees(entry.Capture.Result.Record, entry.Folder, paths))
                {
                    _git.Remove(directory);
                    stale = true;
                }
            }

            if (stale)
            {
                CloseRepositories();
            }
        }
    }

    // Whether git status or diff could report one of the paths: it lies in the working tree and is tracked, not ignored,
    // or inside a submodule or a .git folder. Called under the lock.
    private bool GitSees(GitRecord record, string captureFolder, IReadOnlyCollection<string> paths)
    {
        if (record.RepositoryRoot is not { } root)
        {
            // Not a repository: only a restored .git could make one.
            return paths.Any(path => path.Split(Path.DirectorySeparatorChar).Contains(".git", StringComparer.Ordinal));
        }

        try
        {
            // The index and the ignore rules as they were when the capture was taken (no step executed since, and no
            // restore wrote a file git sees, or the capture and this repository would have been dropped).
            // Asked of git itself where the capture opened no repository (see StartIgnoreQuery): a path git cannot
            // answer for counts as seen. Otherwise libgit2, with the repository the capture kept or one opened now.
            Func<string, bool> seenThere;
            if (!_repositories.ContainsKey(root) && !_kept.ContainsKey(captureFolder) && _ignoreQueries.TryGetValue(captureFolder, out var starting)
                && starting.GetAwaiter().GetResult() is { } query)
            {
                seenThere = relative => query.IsIgnored(relative) != true;
            }
            else
            {
                if (!_repositories.TryGetValue(root, out var repository))
                {
                    repository = _kept.Remove(captureFolder, out var kept) ? kept : new Repository(root);
                    _repositories[root] = repository;
                }

                seenThere = relative => repository.Index[relative] is not null || !repository.Ignore.IsPathIgnored(relative);
            }

            foreach (var path in paths)
            {
                if (RelativeInside(root, path) is not { } relative)
                {
                    continue;
                }

                if (relative.Split('/').Contains(".git", StringComparer.Ordinal)
                    || record.Submodules.Any(submodule => relative.StartsWith(submodule.Path + "/", StringComparison.Ordinal))
                    || seenThere(relative))
                {
                    return true;
                }
            }

            return false;
        }
        catch (LibGit2SharpException)
        {
            return true;
        }
    }

    // Whether git ignores the outputs the step will restore if it reuses this run, asked on the read-ahead thread so
    // that the step's check after its restore finds the answers (a round trip to git is about a millisecond on a busy
    // machine, each step, on the critical path). Only once the capture and its query are ready: it never waits for them.
    private void AskIgnoredAhead(string projectDirectory, RunManifest likely)
    {
        GitIgnoreQuery query;
        string root;
        lock (_lock)
        {
            if (!_git.TryGetValue(projectDirectory, out var entry) || !entry.Capture.IsCompletedSuccessfully
                || entry.Capture.Result.Record.RepositoryRoot is not { } repositoryRoot
                || !_ignoreQueries.TryGetValue(entry.Folder, out var starting) || !starting.IsCompletedSuccessfully || starting.Result is not { } started)
            {
                return;
            }

            query = started;
            root = repositoryRoot;
        }

        var paths = new List<string>();
        foreach (var record in likely.Outputs)
        {
            foreach (var file in record.Files)
            {
                if (RelativeInside(root, Path.GetFullPath(PathText.FromRecorded(file.Path), projectDirectory)) is { } relative)
                {
                    paths.Add(relative);
                }
            }
        }

        query.AskAhead(paths);
    }

    // The path relative to the working tree's root with forward slashes, or null when it lies outside the tree.
    private static string? RelativeInside(string root, string path)
    {
        var relative = Path.GetRelativePath(root, path);
        return relative is "." or ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative)
            ? null
            : relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    private void CloseRepositories()
    {
        foreach (var repository in _repositories.Values.Concat(_kept.Values))
        {
            repository.Dispose();
        }

        foreach (var query in _ignoreQueries.Values)
        {
            // Ended once started; one that could not start holds nothing.
            _all.Add(query.ContinueWith(static task => task.Result?.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default));
        }

        _repositories.Clear();
        _kept.Clear();
        _ignoreQueries.Clear();
    }

    public void Dispose()
    {
        // A capture still running (the call was cancelled) may write into the folder while it goes.
        Task[] all;
        lock (_lock)
        {
            all = [.. _all];
        }

        try
        {
            Task.WaitAll(all, TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // Their failures were reported to the steps that awaited them.
        }

        lock (_lock)
        {
            CloseRepositories();
            _hashCache?.Dispose();
        }

        try
        {
            _scratch.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless; the pipeline's outcome is what matters.
        }
    }
}

/// <summary>
/// A step whose source inputs and likely reused run <see cref="PipelineCaptures.StartPrefetch"/> reads ahead. A class
/// rather than a tuple: LINQ and lists over value tuples are generic instantiations that ReadyToRun code lacks, so
/// the JIT compiled them on the pipeline's critical path.
/// </summary>
/// <param name="Name">The step's name.</param>
/// <param name="ProjectDirectory">Its project directory.</param>
/// <param name="Inputs">Its inputs that no step of the pipeline writes.</param>
internal sealed record PrefetchStep(string Name, string ProjectDirectory, IReadOnlyList<DataSpec> Inputs);
