using LibGit2Sharp;
using Repro.Core.Diagnostics;
using Repro.Core.Errors;
using Repro.Core.FileSystem;
using Repro.Core.Runs;

namespace Repro.Core.Capture.Git;

/// <summary>Records the code a run comes from: commit, branch, remote and every uncommitted change.</summary>
public static class GitCapture
{
    private const int PathsNamedInMessage = 5;

    /// <summary>
    /// Captures the code of the project in <paramref name="projectDirectory"/>. When tracked files differ from HEAD,
    /// writes <see cref="RunFolder.PatchFileName"/> into <paramref name="runDirectory"/> (created when missing) with every staged
    /// and unstaged change, binary-safe, for <c>git apply</c> on a checkout of HEAD. Untracked files are fingerprinted,
    /// never copied. Uses the <c>git</c> executable when it is on <c>PATH</c> (faster on large trees) and LibGit2Sharp
    /// otherwise. Never writes the user's repository.
    /// </summary>
    /// <param name="projectDirectory">The project directory; the repository is found from there upwards.</param>
    /// <param name="runDirectory">The run folder.</param>
    /// <param name="cancellationToken">Stops the capture and the git processes it started.</param>
    /// <returns>The record and the warnings to show and store.</returns>
    /// <exception cref="InputException">The project directory does not exist.</exception>
    /// <exception cref="GitException">git or LibGit2Sharp failed to read the repository.</exception>
    /// <exception cref="StoreException">The patch could not be written into the run folder.</exception>
    public static Task<GitCaptureResult> CaptureAsync(string projectDirectory, string runDirectory, CancellationToken cancellationToken) =>
        CaptureAsync(projectDirectory, runDirectory, GitExecutable.OnPath, listFiles: false, cancellationToken);

    /// <summary>
    /// Captures the code as <see cref="CaptureAsync(string, string, CancellationToken)"/> does and, when git read the
    /// working tree, also keeps the list of its files in <see cref="GitCaptureResult.Listing"/>, so that the lock-file
    /// search in the same project need not walk the tree again.
    /// </summary>
    /// <param name="projectDirectory">The project directory; the repository is found from there upwards.</param>
    /// <param name="runDirectory">The run folder.</param>
    /// <param name="onListing">
    /// Given the listing as soon as git's two listings are read, before the patch is written and HEAD is read, so that
    /// the lock-file search can start while the capture finishes; null to wait for the result.
    /// </param>
    /// <param name="cancellationToken">Stops the capture and the git processes it started.</param>
    /// <param name="prefetch">
    /// The status pass started with the run, taken when it was started in this repository; null to start one now.
    /// </param>
    internal static Task<GitCaptureResult> CaptureWithListingAsync(
        string projectDirectory, string runDirectory, Action<WorkingTreeListing>? onListing, CancellationToken cancellationToken, GitStatusPrefetch? prefetch = null) =>
        CaptureAsync(projectDirectory, runDirectory, GitExecutable.OnPath, listFiles: true, cancellationToken, onListing, prefetch);

    /// <summary>
    /// Fails when the captured code cannot be re-created from its commit alone: the tree has uncommitted changes or
    /// untracked files, the repository has no commit, or the project is not in a repository. Call it right after
    /// <see cref="CaptureAsync(string, string, CancellationToken)"/> and before starting anything.
    /// </summary>
    /// <param name="result">The capture.</param>
    /// <exception cref="InputException">The code is not clean; the message names what differs.</exception>
    public static void RequireClean(GitCaptureResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var record = result.Record;
        switch (record.State)
        {
            case GitState.NotARepository:
                throw new InputException("--require-clean: the project is not inside a git repository, so its code cannot be tied to a commit");
            case GitState.NoCommits:
                throw new InputException($"--require-clean: repository {record.RepositoryRoot} has no commits yet");
        }

        if (!record.Dirty)
        {
            return;
        }

        var parts = new List<string>();
        if (result.ChangedPaths.Count > 0)
        {
            parts.Add($"{result.ChangedPaths.Count} changed tracked file(s) ({Name(result.ChangedPaths)})");
        }

        var untracked = record.Untracked.Select(f => f.Path).Concat(result.NestedRepositories).ToList();
        if (untracked.Count > 0)
        {
            parts.Add($"{untracked.Count} untracked file(s) ({Name(untracked)})");
        }

        throw new InputException(
            $"--require-clean: {record.RepositoryRoot} has uncommitted changes: {string.Join(", ", parts)}; commit or stash them first");
    }

    /// <summary>
    /// Captures the code as <see cref="CaptureWithListingAsync"/> does (the working tree's files listed, so that
    /// libgit2 is asked for submodules only where git's listing shows some) and hands LibGit2Sharp's repository, if the
    /// capture opened one (for the submodules, or facts the files leave to libgit2), to <paramref name="keepRepository"/>
    /// before the result is published, instead of closing it: its index and ignore rules as read for this capture, for a
    /// caller that asks them again (a pipeline checking the paths its reused steps restored) without opening the
    /// repository a second time. The caller disposes it.
    /// </summary>
    internal static Task<GitCaptureResult> CaptureKeepingRepositoryAsync(
        string projectDirectory, string runDirectory, Action<Repository> keepRepository, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keepRepository);
        var completion = new TaskCompletionSource<GitCaptureResult>();
        _ = CaptureIntoAsync(projectDirectory, runDirectory, GitExecutable.OnPath, true, null, null, new Outcome { KeepsRepository = true }, keepRepository, completion, cancellationToken);
        return completion.Task;
    }

    internal static Task<GitCaptureResult> CaptureAsync(
        string projectDirectory, string runDirectory, GitExecutable? git, CancellationToken cancellationToken) =>
        CaptureAsync(projectDirectory, runDirectory, git, listFiles: false, cancellationToken);

    internal static Task<GitCaptureResult> CaptureAsync(
        string projectDirectory,
        string runDirectory,
        GitExecutable? git,
        bool listFiles,
        CancellationToken cancellationToken,
        Action<WorkingTreeListing>? onListing = null,
        GitStatusPrefetch? prefetch = null)
    {
        // The capture runs in plain async Tasks that leave the result in an Outcome: a suspended async method whose
        // result is a reference type runs in a generic box that the ReadyToRun image lacks (two boxes, twelve methods
        // the JIT compiled at every run), a non-generic one does not. A failure faults the task with the exception
        // the capture threw, which its awaiter gets as before; a cancellation faults it too, with the same
        // OperationCanceledException, where an async method's task would have been cancelled.
        var completion = new TaskCompletionSource<GitCaptureResult>();
        _ = CaptureIntoAsync(projectDirectory, runDirectory, git, listFiles, onListing, prefetch, new Outcome(), null, completion, cancellationToken);
        return completion.Task;
    }

    private static async Task CaptureIntoAsync(
        string projectDirectory,
        string runDirectory,
        GitExecutable? git,
        bool listFiles,
        Action<WorkingTreeListing>? onListing,
        GitStatusPrefetch? prefetch,
        Outcome outcome,
        Action<Repository>? keepRepository,
        TaskCompletionSource<GitCaptureResult> completion,
        CancellationToken cancellationToken)
    {
        try
        {
            await CaptureAsync(projectDirectory, runDirectory, git, listFiles, onListing, prefetch, outcome, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            completion.SetException(exception);
            return;
        }

        if (outcome.Repository is { } repository)
        {
            keepRepository!(repository);
        }

        completion.SetResult(outcome.Result!);
    }

    private static async Task CaptureAsync(
        string projectDirectory,
        string runDirectory,
        GitExecutable? git,
        bool listFiles,
        Action<WorkingTreeListing>? onListing,
        GitStatusPrefetch? prefetch,
        Outcome outcome,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(projectDirectory);
        ArgumentNullException.ThrowIfNull(runDirectory);
        var project = Path.TrimEndingDirectorySeparator(Path.GetFullPath(projectDirectory));
        if (!Directory.Exists(project))
        {
            throw new InputException($"project directory {project} does not exist");
        }

        var runFolder = Path.GetFullPath(runDirectory);
        RepositoryFiles.Discovery discovery;
        using (Timings.Measure("git: find the repository (files)"))
        {
            discovery = RepositoryFiles.DiscoverForCurrentUser(project);
        }

        switch (discovery)
        {
            case RepositoryFiles.NotARepository:
                outcome.Result = NotARepository(project);
                return;
            case RepositoryFiles.Found found:
                RepositoryFiles.FactsRead read;
                using (Timings.Measure("git: HEAD, branch, remote (files)"))
                {
                    read = RepositoryFiles.ReadFacts(found);
                }

                // An unborn HEAD needs libgit2's status (NoCommits), and facts the files do not give come from libgit2.
                if (read is RepositoryFiles.FactsFound { Facts.Commit: not null } facts)
                {
                    try
                    {
                        using var files = new LazyRepository(found.GitDirectory);
                        await CaptureRepositoryAsync(
                            files, found.Root, RelativePath(found.Root, project), runFolder, git, listFiles, onListing, prefetch, facts.Facts, outcome, cancellationToken).ConfigureAwait(false);
                        Keep(outcome, files);
                        return;
                    }
                    catch (Exception e) when (LazyRepository.IsLibGit2Failure(e))
                    {
                        throw new GitException($"cannot read the git repository of {project}: {e.Message}", e);
                    }
                }

                break;
        }

        await CaptureWithLibGit2Async(project, runFolder, git, listFiles, onListing, prefetch, outcome, cancellationToken).ConfigureAwait(false);
    }

    // The repository found and read by libgit2: whatever RepositoryFiles leaves to it.
    private static async Task CaptureWithLibGit2Async(
        string project,
        string runDirectory,
        GitExecutable? git,
        bool listFiles,
        Action<WorkingTreeListing>? onListing,
        GitStatusPrefetch? prefetch,
        Outcome outcome,
        CancellationToken cancellationToken)
    {
        try
        {
            var opening = Timings.Measure("git: find and open the repository (LibGit2Sharp)");
            var gitDirectory = Repository.Discover(project);
            if (gitDirectory is null)
            {
                outcome.Result = NotARepository(project);
                return;
            }

            using var lazy = new LazyRepository(gitDirectory);
            var repository = lazy.Value;
            opening.Dispose();
            if (repository.Info.IsBare || repository.Info.WorkingDirectory is null)
            {
                outcome.Result = NotARepositoryWarning($"{project} is inside the bare repository {gitDirectory}, which has no working tree: the code of this run is not recorded");
                return;
            }

            var root = Path.TrimEndingDirectorySeparator(repository.Info.WorkingDirectory);
            var projectPath = RelativePath(root, project);
            if (repository.Info.IsHeadUnborn)
            {
                outcome.Result = NoCommits(repository, root, projectPath);
                return;
            }

            await CaptureRepositoryAsync(lazy, root, projectPath, runDirectory, git, listFiles, onListing, prefetch, facts: null, outcome, cancellationToken).ConfigureAwait(false);
            Keep(outcome, lazy);
        }
        catch (LibGit2SharpException e)
        {
            throw new GitException($"cannot read the git repository of {project}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Whether a path relative to the working tree lies in a repro store folder (<see cref="StoreLayout.DefaultFolderName"/>).
    /// Whatever the store's own <c>.gitignore</c> says, nothing there is reported as untracked: a run must not record
    /// the store it is being written into.
    /// </summary>
    internal static bool IsInStore(string path) =>
        path == StoreLayout.DefaultFolderName
        || path.StartsWith(StoreLayout.DefaultFolderName + "/", StringComparison.Ordinal)
        || path.Contains("/" + StoreLayout.DefaultFolderName + "/", StringComparison.Ordinal)
        || path.EndsWith("/" + StoreLayout.DefaultFolderName, StringComparison.Ordinal);

    private static async Task CaptureRepositoryAsync(
        LazyRepository repository,
        string root,
        string projectPath,
        string runDirectory,
        GitExecutable? git,
        bool listFiles,
        Action<WorkingTreeListing>? onListing,
        GitStatusPrefetch? prefetch,
        RepositoryFacts? facts,
        Outcome outcome,
        CancellationToken cancellationToken)
    {
        try
        {
            Directory.CreateDirectory(runDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"cannot create run folder {runDirectory}: {e.Message}", e);
        }

        var patchFile = new RunFolder(runDirectory).Patch;
        var excludedPrefix = RelativeFolderInside(root, runDirectory);
        var cli = git is null ? null : GitCliWorkingTreeReader.StartAsync(
            git, root, patchFile, excludedPrefix, listFiles ? projectPath : null, cancellationToken, onListing, prefetch?.TakeAsync(root, git));
        WorkingTreeChanges changes;
        try
        {
            if (facts is null)
            {
                // Reads HEAD and the remote while git scans the working tree.
                using (Timings.Measure("git: HEAD, branch, remote (LibGit2Sharp)"))
                {
                    facts = repository.ReadFacts();
                }
            }

            // Configured awaits, as the others in the run: one awaiter kind fewer for the JIT to compile. The capture
            // has no context of its own to come back to.
            changes = cli is not null
                ? await cli.ConfigureAwait(false)
                : await repository.ReadWorkingTreeAsync(root, patchFile, excludedPrefix, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            if (cli is not null)
            {
                await cli.ContinueWith(static _ => { }, TaskScheduler.Default);
            }

            File.Delete(patchFile);
            if (e is IOException or UnauthorizedAccessException)
            {
                throw new StoreException($"cannot write {patchFile}: {e.Message}", e);
            }

            throw;
        }

        List<SubmoduleRecord> submodules;
        List<string> submoduleWarnings;
        try
        {
            // LibGit2Sharp finds submodules by reading the whole index and HEAD's whole tree, which on 100,000 files
            // costs about as much as the rest of the capture. git's listing already tells that there is none: no
            // gitlink in the index, none among the paths that differ from HEAD, and no .gitmodules.
            if (changes.Listing is { HasSubmodules: false } && !File.Exists(Path.Combine(root, ".gitmodules")))
            {
                submodules = [];
                submoduleWarnings = [];
            }
            else
            {
                using (Timings.Measure("git: submodules (LibGit2Sharp)"))
                {
                    (submodules, submoduleWarnings) = await repository.CaptureSubmodulesAsync(root, runDirectory, git, cancellationToken);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(patchFile);
            throw new StoreException($"cannot write a submodule's patch into {runDirectory}: {e.Message}", e);
        }

        // Recorded submodules are checked out by verify at their commits with their own patches, so the
        // superproject's "only its commit id is recorded" warning no longer applies to them.
        var recorded = submodules.Where(submodule => submodule.Commit is not null)
            .Select(submodule => LibGit2WorkingTreeReader.SubmoduleWarning(root, submodule.Path)).ToHashSet(StringComparer.Ordinal);
        var record = Record(GitState.Repository, root, projectPath, facts, changes.Dirty || submodules.Any(submodule => submodule.Dirty)) with
        {
            Patch = changes.Patch,
            Untracked = changes.Untracked,
            Submodules = submodules,
        };
        outcome.Result = new GitCaptureResult(record, [.. changes.Warnings.Where(warning => !recorded.Contains(warning)), .. submoduleWarnings])
        {
            ChangedPaths = changes.ChangedPaths,
            NestedRepositories = changes.NestedRepositories,
            Listing = changes.Listing,
        };
    }

    private static GitCaptureResult NotARepository(string project) =>
        NotARepositoryWarning($"{project} is not inside a git repository: the code of this run is not recorded");

    private static GitCaptureResult NotARepositoryWarning(string warning) =>
        new(new GitRecord { State = GitState.NotARepository }, [warning]);

    private static GitCaptureResult NoCommits(Repository repository, string root, string projectPath)
    {
        var facts = RepositoryFacts.Read(repository);
        // Every file is uncommitted here; the status only tells whether there is any.
        var dirty = repository.RetrieveStatus(StatusPreset.Create()).Any(e => !IsInStore(e.FilePath));
        var record = Record(GitState.NoCommits, root, projectPath, facts, dirty);
        return new GitCaptureResult(record, [$"repository {root} has no commits yet: the code of this run is not recorded"]);
    }

    private static GitRecord Record(GitState state, string root, string projectPath, RepositoryFacts facts, bool dirty) => new()
    {
        State = state,
        RepositoryRoot = root,
        ProjectPath = projectPath,
        Commit = facts.Commit,
        CommitTime = facts.CommitTime,
        Branch = facts.Branch,
        Detached = facts.Detached,
        RemoteName = facts.RemoteName,
        RemoteUrl = facts.RemoteUrl,
        Dirty = dirty,
    };

    private static string RelativePath(string root, string project) =>

        // LibGit2Sharp reports the root with symbolic links resolved; the project path may still go through one.
        PathContainment.RelativeInside(root, project)
        ?? PathContainment.RelativeInside(root, WithoutLinks(project))
        ?? Path.GetRelativePath(root, project).Replace(Path.DirectorySeparatorChar, '/');

    private static string WithoutLinks(string fullPath)
    {
        var current = Path.GetPathRoot(fullPath)!;
        foreach (var part in fullPath[current.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            var info = new DirectoryInfo(next);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
            {
                // The target may itself lie below a linked folder.
                next = WithoutLinks(Path.GetFullPath(target.FullName));
            }

            current = next;
        }

        return current;
    }

    private static string? RelativeFolderInside(string root, string folder)
    {
        var path = PathContainment.RelativeInside(root, folder) ?? PathContainment.RelativeInside(root, WithoutLinks(folder));
        return path is null or "" || IsInStore(path) ? null : path + "/";
    }

    private static string Name(IReadOnlyList<string> paths) =>
        paths.Count <= PathsNamedInMessage
            ? string.Join(", ", paths)
            : string.Join(", ", paths.Take(PathsNamedInMessage)) + $" and {paths.Count - PathsNamedInMessage} more";

    /// <summary>The result of a capture, set when it completes.</summary>
    // The repository the capture opened, to the caller that keeps it rather than to its dispose.
    private static void Keep(Outcome outcome, LazyRepository repository)
    {
        if (outcome.KeepsRepository)
        {
            outcome.Repository = repository.Release();
        }
    }

    private sealed class Outcome
    {
        public GitCaptureResult? Result { get; set; }

        // Whether the caller takes LibGit2Sharp's repository, if the capture opened one, and the one it opened.
        public bool KeepsRepository { get; init; }

        public Repository? Repository { get; set; }
    }
}
