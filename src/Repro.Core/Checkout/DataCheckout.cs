using Repro.Core.Capture.Data;
using Repro.Core.Errors;
using Repro.Core.FileSystem;
using Repro.Core.Remotes;
using Repro.Core.Runs;
using Repro.Core.Store;

namespace Repro.Core.Checkout;

/// <summary>
/// <c>repro checkout</c>: puts the exact files a run read and wrote back into the project, from the object store
/// (fetching what it lacks from the default remote).
/// </summary>
/// <remarks>
/// <para>
/// Files that already match the record are recognised without being read when the hash cache knows them, and left
/// alone. A file that differs is overwritten only with <see cref="DataCheckoutRequest.Force"/>; without it, or when some
/// file's content is nowhere to be had, nothing at all is changed and the result says which files stand in the way.
/// </para>
/// <para>
/// Every file is first written beside its target under a temporary name, from an object checked against its digest
/// on the way (a damaged object fails the checkout before anything is replaced), with the mode of the file it
/// replaces; then each is renamed over its target. Paths come from a manifest, which may have been pulled from
/// someone else: a path that is absolute, climbs out with <c>..</c>, or would be written through a link leading out
/// of the project is never written.
/// </para>
/// </remarks>
public static class DataCheckout
{
    /// <summary>Checks a run's files out.</summary>
    /// <exception cref="InputException">Unknown run, a path that names no file of the run, or no project found.</exception>
    /// <exception cref="StoreException">A damaged object, an unreachable remote, or a write that failed.</exception>
    public static async Task<DataCheckoutResult> CheckoutAsync(DataCheckoutRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Resolving a reference lists every run of the store: a caller that holds the manifest skips that.
        var runId = request.Run?.RunId ?? request.Store.Resolve(request.RunReference);
        var manifest = request.Run ?? request.Store.Load(runId);
        var project = LocateProject(manifest, request.CurrentDirectory, request.ProjectDirectory);
        var entries = Select(manifest, request, project);

        var files = new List<DataCheckoutFile>();
        var toWrite = new List<Entry>();
        await ClassifyAsync(entries, request, project, files, toWrite, cancellationToken).ConfigureAwait(false);
        if (files.Any(f => f.State == DataCheckoutState.Differs))
        {
            return Refused(runId, project, files, toWrite, fetchedFrom: null, fetched: 0);
        }

        var objects = new ObjectStore(request.Store.Root);
        var (fetchedFrom, fetched, unavailable) = await FetchMissingAsync(objects, toWrite, request, project, cancellationToken).ConfigureAwait(false);
        if (unavailable.Count > 0)
        {
            foreach (var entry in toWrite.Where(e => e.Record.Sha256 is { } sha && unavailable.Contains(sha)))
            {
                files.Add(entry.ToFile(DataCheckoutState.Unavailable, entry.Record.Stored
                    ? $"stored by the run, but its object {entry.Record.Sha256} is in neither the store{(fetchedFrom is null ? " (no default remote)" : $" nor {fetchedFrom}")}"
                    : $"the run did not keep a copy{(fetchedFrom is null ? string.Empty : $", and {fetchedFrom} has none")}"));
            }

            return Refused(runId, project, files, toWrite.Where(e => e.Record.Sha256 is not { } sha || !unavailable.Contains(sha)).ToList(), fetchedFrom, fetched);
        }

        Write(objects, project, toWrite, request.DeferredFlush);
        files.AddRange(toWrite.Select(e => e.ToFile(DataCheckoutState.Restored, e.Replaces ? "replaced a file that differed" : null)));
        return new DataCheckoutResult(runId, project, Completed: true, Sort(files), fetchedFrom, fetched);
    }

    /// <summary>
    /// The project to restore into: <c>--project</c>; else, for a run recorded in a git repository, the same project
    /// folder in the repository around the current directory (a fresh clone works as well as the original); else the
    /// nearest folder, from the current one upwards, that holds the run's MLproject file (a run recorded without one
    /// needs either of the first two).
    /// </summary>
    /// <param name="manifest">The run.</param>
    /// <param name="currentDirectory">Where the command was started.</param>
    /// <param name="given">The folder named with <c>--project</c>, relative to <paramref name="currentDirectory"/>; null when none.</param>
    /// <exception cref="InputException">No such folder, or none found.</exception>
    public static string LocateProject(RunManifest manifest, string currentDirectory, string? given)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (given is not null)
        {
            var full = Path.GetFullPath(given, currentDirectory);
            return Directory.Exists(full) ? full : throw new InputException($"--project {given}: no such folder");
        }

        if (manifest.Git.ProjectPath is { } projectPath && GitRoot(currentDirectory) is { } root)
        {
            var candidate = Path.GetFullPath(Path.Combine(root, projectPath.Replace('/', Path.DirectorySeparatorChar)));
            if (Directory.Exists(candidate) && IsInside(candidate, root))
            {
                return Path.TrimEndingDirectorySeparator(candidate);
            }
        }

        for (var directory = new DirectoryInfo(currentDirectory); directory is not null; directory = directory.Parent)
        {
            if (manifest.Project.File is { } projectFile && File.Exists(Path.Combine(directory.FullName, projectFile)))
            {
                return directory.FullName;
            }
        }

        throw new InputException($"cannot tell where the project of run {manifest.RunId} is from {currentDirectory}: run the command inside it, or pass --project DIR");
    }

    private static List<Entry> Select(RunManifest manifest, DataCheckoutRequest request, string project)
    {
        var bothKinds = !request.Inputs && !request.Outputs;
        var byPath = new SortedDictionary<string, Entry>(StringComparer.Ordinal);
        if (bothKinds || request.Inputs)
        {
            foreach (var file in manifest.Inputs.SelectMany(r => r.Files))
            {
                byPath.TryAdd(file.Path, new Entry(file, "input"));
            }
        }

        if (bothKinds || request.Outputs)
        {
            // A file that is both read and written holds what the run left in it.
            foreach (var file in manifest.Outputs.SelectMany(r => r.Files))
            {
                byPath[file.Path] = new Entry(file, "output");
            }
        }

        var entries = byPath.Values.ToList();
        if (request.Paths.Count == 0)
        {
            return entries;
        }

        var chosen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var typed in request.Paths)
        {
            var relative = Path.GetRelativePath(project, Path.GetFullPath(typed, request.CurrentDirectory)).Replace(Path.DirectorySeparatorChar, '/');
            if (relative == ".." || relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative))
            {
                throw new InputException($"{typed} is outside the project {project}");
            }

            var matches = entries.Where(e => relative == "." || e.Native is { } native && (native == relative || native.StartsWith(relative + "/", StringComparison.Ordinal))).ToList();
            if (matches.Count == 0)
            {
                throw new InputException($"{typed} names no {(bothKinds ? "input or output" : request.Inputs ? "input" : "output")} file of run {manifest.RunId}");
            }

            chosen.UnionWith(matches.Select(m => m.Record.Path));
        }

        return entries.Where(e => chosen.Contains(e.Record.Path)).ToList();
    }

    /// <summary>Sorts each entry into identical, differing, skipped (into <paramref name="files"/>) or to write.</summary>
    private static async Task ClassifyAsync(
        List<Entry> entries,
        DataCheckoutRequest request,
        string project,
        List<DataCheckoutFile> files,
        List<Entry> toWrite,
        CancellationToken cancellationToken)
    {
        var toHash = new List<(Entry Entry, string Path, FileStatus Status)>();
        foreach (var entry in entries)
        {
            // A name that is not valid UTF-8 is recorded quoted and escaped (PathText); its native form names the file.
            if (entry.Native is not { } native || !IsPlainPathInside(native))
            {
                files.Add(entry.ToFile(DataCheckoutState.Skipped, entry.Native is null
                    ? "a malformed quoted path"
                    : Path.IsPathRooted(entry.Native) ? "outside the project" : "not a plain path inside the project"));
                continue;
            }

            var path = Path.Combine(project, native.Replace('/', Path.DirectorySeparatorChar));
            var status = FileStatus.Of(path, followLinks: false);
            if (entry.Record.LinkTarget is { } recordedTarget)
            {
                var linkTarget = PathText.FromRecorded(recordedTarget);
                var current = status is { Kind: FileKind.SymbolicLink } ? NativeFiles.ReadLink(path) : null;
                if (current == linkTarget)
                {
                    files.Add(entry.ToFile(DataCheckoutState.Identical, null));
                }
                else
                {
                    Differs(entry, status, "a different file is there", request, files, toWrite);
                }

                continue;
            }

            if (entry.Record.Sha256 is null)
            {
                files.Add(entry.ToFile(DataCheckoutState.Skipped, "recorded without content"));
                continue;
            }

            switch (status)
            {
                case null:
                    toWrite.Add(entry);
                    break;
                case { Kind: FileKind.Regular } regular when regular.Size == entry.Record.Size:
                    toHash.Add((entry, path, regular));
                    break;
                case { Kind: FileKind.Regular } regular:
                    Differs(entry, status, $"{regular.Size} bytes where the run had {entry.Record.Size}", request, files, toWrite);
                    break;
                default:
                    Differs(entry, status, $"a {Describe(status.Value.Kind)} is there", request, files, toWrite);
                    break;
            }
        }

        if (toHash.Count == 0)
        {
            return;
        }

        using var cache = HashCache.Open(request.Store.Root);
        var cached = cache.TryGetAll(toHash.Select(h => new CacheKey(h.Path, h.Status)).ToList());
        var jobs = new List<HashJob>();
        var jobEntries = new List<(Entry Entry, string Path, FileStatus Status)>();
        for (var i = 0; i < toHash.Count; i++)
        {
            if (cached[i] is { } sha256)
            {
                Compare(toHash[i].Entry, sha256, toHash[i].Status, request, files, toWrite);
            }
            else
            {
                jobs.Add(new HashJob(toHash[i].Path, toHash[i].Entry.Record.Path, toHash[i].Status.Size));
                jobEntries.Add(toHash[i]);
            }
        }

        var started = DateTimeOffset.UtcNow;
        var outcomes = await FileHasher.HashAllAsync(jobs, new HashEngineOptions { Progress = request.HashProgress }, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < jobs.Count; i++)
        {
            Compare(jobEntries[i].Entry, outcomes[i].Sha256, outcomes[i].Status, request, files, toWrite);
        }

        cache.PutAll(jobs.Select((job, i) => new CacheEntry(job.Path, outcomes[i].Status, outcomes[i].Sha256)).ToList(), started);
    }

    private static void Compare(Entry entry, string sha256, FileStatus status, DataCheckoutRequest request, List<DataCheckoutFile> files, List<Entry> toWrite)
    {
        if (sha256 == entry.Record.Sha256)
        {
            files.Add(entry.ToFile(DataCheckoutState.Identical, null));
        }
        else
        {
            Differs(entry, status, $"content differs (sha256 {sha256[..12]}, the run had {entry.Record.Sha256![..12]})", request, files, toWrite);
        }
    }

    private static void Differs(Entry entry, FileStatus? status, string why, DataCheckoutRequest request, List<DataCheckoutFile> files, List<Entry> toWrite)
    {
        if (status is { Kind: FileKind.Directory })
        {
            // Even --force never deletes a folder full of someone's files.
            files.Add(entry.ToFile(DataCheckoutState.Differs, "a folder is there: move it away first"));
            return;
        }

        if (request.Force)
        {
            toWrite.Add(entry with { Replaces = true });
        }
        else
        {
            files.Add(entry.ToFile(DataCheckoutState.Differs, why));
        }
    }

    private static async Task<(string? From, int Fetched, HashSet<string> Unavailable)> FetchMissingAsync(
        ObjectStore objects,
        List<Entry> toWrite,
        DataCheckoutRequest request,
        string project,
        CancellationToken cancellationToken)
    {
        var missing = toWrite.Select(e => e.Record.Sha256).OfType<string>().Where(sha => !objects.Contains(sha)).ToHashSet(StringComparer.Ordinal);
        if (missing.Count == 0)
        {
            return (null, 0, []);
        }

        using var remote = request.OpenDefaultRemote?.Invoke(project);
        if (remote is null)
        {
            return (null, 0, missing);
        }

        var notThere = await PullService.FetchObjectsAsync(objects, remote, missing, RemoteStorageFactory.DefaultParallelism, cancellationToken).ConfigureAwait(false);
        return (remote.Display, missing.Count - notThere.Count, notThere.ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>
    /// Writes every file beside its target first, then renames each into place; a failure changes nothing. Each file is
    /// flushed to the disk before its rename, or, given <paramref name="deferredFlush"/>, noted there to be flushed later.
    /// </summary>
    private static void Write(ObjectStore objects, string project, List<Entry> toWrite, DurableWrites? deferredFlush)
    {
        var projectReal = NativeFiles.RealPath(project) ?? project;
        var createdDirectories = new List<string>();
        var staged = new List<(string Temporary, string Target)>();
        try
        {
            foreach (var entry in toWrite)
            {
                var target = Path.Combine(project, entry.Native!.Replace('/', Path.DirectorySeparatorChar));
                var parent = Path.GetDirectoryName(target)!;
                CreateDirectories(parent, project, createdDirectories);
                var parentReal = NativeFiles.RealPath(parent);
                if (parentReal is null || !IsInside(parentReal, projectReal))
                {
                    throw new InputException($"{entry.Record.Path}: its folder leads out of the project {project} through a symbolic link; nothing was restored");
                }

                var temporary = Path.Combine(parent, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
                staged.Add((temporary, target));
                if (entry.Record.LinkTarget is { } linkTarget)
                {
                    NativeFiles.CreateSymbolicLink(temporary, PathText.FromRecorded(linkTarget));
                    continue;
                }

                objects.CopyOut(entry.Record.Sha256!, temporary, flushToDisk: deferredFlush is null);
                if (!OperatingSystem.IsWindows() && entry.Replaces && NativeFiles.Mode(target) is { } mode)
                {
                    NativeFiles.SetMode(temporary, mode);
                }
            }

            foreach (var (temporary, target) in staged)
            {
                NativeFiles.Rename(temporary, target);
            }

            // A link has no bytes of its own to flush (and flushing it would follow it). A loop by index, not Zip over
            // the staged tuples: LINQ over value tuples is compiled by the JIT (ReadyToRun code has no instantiation for
            // it), once per process, on a reused pipeline step's critical path.
            for (var index = 0; deferredFlush is not null && index < staged.Count; index++)
            {
                if (toWrite[index].Record.LinkTarget is null)
                {
                    deferredFlush.Written(staged[index].Target);
                }
            }
        }
        catch (Exception e)
        {
            foreach (var (temporary, _) in staged)
            {
                TryDelete(temporary);
            }

            foreach (var directory in Enumerable.Reverse(createdDirectories))
            {
                TryDeleteEmptyDirectory(directory);
            }

            if (e is IOException or UnauthorizedAccessException)
            {
                throw new StoreException($"cannot restore the run's files into {project}: {e.Message}; nothing was restored", e);
            }

            throw;
        }
    }

    private static void CreateDirectories(string directory, string project, List<string> created)
    {
        var missing = new Stack<string>();
        for (var current = directory; NativeFiles.Status(current, followLinks: true) is not { Kind: FileKind.Directory } && IsInside(current, project); current = Path.GetDirectoryName(current)!)
        {
            missing.Push(current);
        }

        while (missing.Count > 0)
        {
            var next = missing.Pop();
            NativeFiles.CreateDirectories(next);
            created.Add(next);
        }
    }

    private static DataCheckoutResult Refused(string runId, string project, List<DataCheckoutFile> files, List<Entry> wouldWrite, string? fetchedFrom, int fetched)
    {
        files.AddRange(wouldWrite.Select(e => e.ToFile(DataCheckoutState.NotRestored, "the checkout was refused")));
        return new DataCheckoutResult(runId, project, Completed: false, Sort(files), fetchedFrom, fetched);
    }

    private static List<DataCheckoutFile> Sort(List<DataCheckoutFile> files) => files.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();

    /// <summary>The working tree root around <paramref name="directory"/> (the nearest folder with a <c>.git</c>), or null.</summary>
    public static string? GitRoot(string directory)
    {
        for (var current = new DirectoryInfo(directory); current is not null; current = current.Parent)
        {
            var dotGit = Path.Combine(current.FullName, ".git");
            if (Directory.Exists(dotGit) || File.Exists(dotGit))
            {
                return current.FullName;
            }
        }

        return null;
    }

    /// <summary>A relative path with forward slashes and no empty, '.' or '..' segment: it cannot leave the project.</summary>
    private static bool IsPlainPathInside(string path) =>
        path.Length > 0
        && !Path.IsPathRooted(path)
        && !path.Contains('\\', StringComparison.Ordinal)
        && !path.Contains('\0', StringComparison.Ordinal)
        && path.Split('/').All(segment => segment is not ("" or "." or ".."));

    private static bool IsInside(string path, string root)
    {
        var relative = Path.GetRelativePath(root, path);
        return relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative));
    }

    private static string Describe(FileKind kind) => kind switch
    {
        FileKind.SymbolicLink => "symbolic link",
        FileKind.Directory => "folder",
        _ => "special file",
    };

    private static void TryDelete(string path)
    {
        try
        {
            NativeFiles.DeleteFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The failure being reported matters more than a hidden temporary file.
        }
    }

    private static void TryDeleteEmptyDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path) && !Directory.EnumerateFileSystemEntries(path).Any())
            {
                Directory.Delete(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Same as above.
        }
    }

    /// <summary>A recorded file selected for checkout.</summary>
    private sealed record Entry(FileRecord Record, string Origin)
    {
        /// <summary>Whether a differing file is there and will be replaced (<c>--force</c>).</summary>
        public bool Replaces { get; init; }

        /// <summary>The path in native form (<see cref="PathText"/>); null when the recorded form is malformed.</summary>
        public string? Native { get; } = TryFromRecorded(Record.Path);

        private static string? TryFromRecorded(string recorded)
        {
            try
            {
                return PathText.FromRecorded(recorded);
            }
            catch (FormatException)
            {
                return null;
            }
        }

        public DataCheckoutFile ToFile(DataCheckoutState state, string? detail) =>
            new(Record.Path, Origin, Record.Sha256, Record.Size, state, detail);
    }
}
