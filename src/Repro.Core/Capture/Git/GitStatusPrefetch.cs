using LibGit2Sharp;
using Repro.Core.Diagnostics;
using Repro.Core.Errors;

namespace Repro.Core.Capture.Git;

/// <summary>
/// The git capture's one <c>git status</c> pass, started when a run begins instead of when its capture stage does.
/// On 100,000 files the pass takes about 200 ms and needs more than one core, while repro itself spends the first
/// 100 ms or so of a run loading the project and rendering the command on one: started at once, the pass uses the
/// idle core. The capture takes it only for the repository it started in (<see cref="TakeAsync"/>); a prefetch that is
/// not taken is stopped, its git killed, by <see cref="Dispose"/>.
/// </summary>
internal sealed class GitStatusPrefetch : IDisposable
{
    private readonly CancellationTokenSource _cancellation;
    private readonly Task<(string Root, Pass Pass)?> _status;
    private readonly GitExecutable _git;
    private int _taken;

    private GitStatusPrefetch(GitExecutable git, string projectDirectory, CancellationToken cancellationToken)
    {
        _git = git;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = _cancellation.Token;

        // On a thread of its own: finding the repository may load libgit2 and starting the first child process loads the
        // process machinery, both blocking, and neither should hold up the run's own stages.
        _status = Task.Factory.StartNew(
            () => ReadAsync(git, projectDirectory, token),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).Unwrap();
    }

    /// <summary>Starts <c>git status</c> for the repository holding <paramref name="projectDirectory"/>; null when git is not on PATH.</summary>
    /// <param name="projectDirectory">The project directory; the repository is found from there upwards.</param>
    /// <param name="cancellationToken">Kills git when cancelled (the run's token: a prefetch is cancelled with the run).</param>
    public static GitStatusPrefetch? Start(string projectDirectory, CancellationToken cancellationToken) =>
        GitExecutable.OnPath is { } git ? new GitStatusPrefetch(git, Path.GetFullPath(projectDirectory), cancellationToken) : null;

    /// <summary>
    /// The pass, when it was started in the working tree <paramref name="root"/> with <paramref name="git"/>; null
    /// (at once, or when the pass ends) otherwise: another repository, no repository, a failed pass, or one already
    /// taken. The capture then runs its own.
    /// </summary>
    /// <param name="root">The working-tree root the capture found.</param>
    /// <param name="git">The executable the capture uses.</param>
    public Task<Pass?> TakeAsync(string root, GitExecutable git)
    {
        if (git.FilePath != _git.FilePath || Interlocked.Exchange(ref _taken, 1) != 0)
        {
            return Task.FromResult<Pass?>(null);
        }

        return WaitAsync(root);
    }

    /// <summary>Kills the git of a pass that was not taken and waits for it to end.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _taken, 1) == 0)
        {
            _cancellation.Cancel();
            try
            {
                _status.GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is OperationCanceledException or ReproException or IOException || LazyRepository.IsLibGit2Failure(e))
            {
                // Nobody asked for this pass: its failure is nobody's error.
            }
        }

        _cancellation.Dispose();
    }

    private static async Task<(string Root, Pass Pass)?> ReadAsync(GitExecutable git, string projectDirectory, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(projectDirectory))
        {
            return null;
        }

        RepositoryFiles.Discovery discovery;
        using (Timings.Measure("git: find the repository (files), started with the run"))
        {
            discovery = RepositoryFiles.DiscoverForCurrentUser(projectDirectory);
        }

        var found = discovery switch
        {
            RepositoryFiles.Found files => files.Root,
            RepositoryFiles.NotARepository => null,
            _ => FindWithLibGit2(projectDirectory),
        };
        if (found is not { } root)
        {
            return null;
        }

        // The index listing for the lock-file search (read in process, no lstat) goes beside status, as in the capture.
        var staged = Task.Factory.StartNew(
            () =>
            {
                using (Timings.Measure("git: read the index (for lock files), started with the run"))
                {
                    var index = GitIndexFile.TryRead(root);
                    index?.TryWalk();
                    return new GitCliWorkingTreeReader.IndexListing(index, null);
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        var status = await Timings.MeasureAsync(
            "git: status (one pass over the working tree), started with the run",
            () => GitCliWorkingTreeReader.ReadStatusAsync(git, root, cancellationToken)).ConfigureAwait(false);
        return (root, new Pass(status, await staged.ConfigureAwait(false)));
    }

    // The working-tree root as libgit2 finds it, for what RepositoryFiles leaves to libgit2; null for none or a bare repository.
    private static string? FindWithLibGit2(string projectDirectory)
    {
        if (Repository.Discover(projectDirectory) is not { } gitDirectory)
        {
            return null;
        }

        using var repository = new Repository(gitDirectory);
        return repository.Info.IsBare || repository.Info.WorkingDirectory is null
            ? null
            : Path.TrimEndingDirectorySeparator(repository.Info.WorkingDirectory);
    }

    private async Task<Pass?> WaitAsync(string root)
    {
        try
        {
            return await _status.ConfigureAwait(false) is { } found && string.Equals(found.Root, root, StringComparison.Ordinal)
                ? found.Pass
                : null;
        }
        catch (Exception e) when (e is ReproException or IOException || LazyRepository.IsLibGit2Failure(e))
        {
            // The capture's own pass reports what is wrong, as it would have without the prefetch.
            return null;
        }
    }

    /// <summary>What the prefetch read.</summary>
    /// <param name="Status">The status pass.</param>
    /// <param name="Index">The index as read beside status, and as <c>git ls-files -z --stage</c> lists it (<see cref="GitIndexFile"/>).</param>
    internal sealed record Pass(GitCliWorkingTreeReader.Status Status, GitCliWorkingTreeReader.IndexListing Index);
}
