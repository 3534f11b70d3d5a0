using Repro.Core.Capture.Data;
using Repro.Core.Capture.Environment;
using Repro.Core.Capture.Git;
using Repro.Core.Diagnostics;
using Repro.Core.Projects;
using Repro.Core.Runs;

namespace Repro.Core.Execution;

/// <summary>
/// Capture: the code (git), the machine and software (environment), and the inputs' fingerprints, all three at once,
/// as they are just before the child starts. <c>--require-clean</c> is enforced here, before anything runs.
/// </summary>
public sealed class CaptureStage : IRunStage
{
    // Where the code's and the environment's captures come from: taken afresh unless a pipeline shares them.
    private readonly ICaptureSource _source;

    /// <summary>The capture stage of a run: code and environment captured afresh.</summary>
    public CaptureStage()
        : this(FreshCapture.Instance)
    {
    }

    internal CaptureStage(ICaptureSource source) => _source = source;

    /// <inheritdoc />
    public async Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);

        // Each capture does much of its work before its first await (opening the repository, reading /proc, listing
        // files): each starts on a thread of its own, so the three really run side by side, and their blocking parts
        // never hold up the thread pool's few threads (on two cores, a queued capture could wait half a second for the
        // pool to grow).
        // For a project from the git cache the run works in a copy, but its code is the pristine cached checkout.
        // When the code is the project itself, the lock-file search takes git's list of the working tree instead of
        // walking it a second time (on 100,000 files the walk cost as much as git's own pass).
        var sameTree = string.Equals(Path.GetFullPath(run.CodeDirectory), Path.GetFullPath(run.ProjectDirectory), StringComparison.Ordinal);
        // The listing is handed over as soon as git has listed the tree, so the lock-file search runs while the capture
        // writes the patch; a source that hands none over early completes it with its result. A failed git capture
        // fails the stage below; the lock-file search then simply walks.
        var listingSink = sameTree ? new TaskCompletionSource<WorkingTreeListing?>(TaskCreationOptions.RunContinuationsAsynchronously) : null;
        // A source whose captures are taken already (a pipeline's shared ones) answers without blocking: no threads.
        var ownThreads = !_source.AnswersWithoutBlocking(run);
        var gitTask = Timings.MeasureAsync("capture: git", () => Start(
            () => listingSink is null ? _source.CaptureGitAsync(run, withListing: false, cancellationToken) : _source.CaptureGitAsync(run, listingSink, cancellationToken),
            ownThreads,
            cancellationToken));
        _ = gitTask.ContinueWith(
            // A statement, not an expression: TrySetResult's bool? would make the continuation a generic instantiation
            // that ReadyToRun code lacks, compiled by the JIT for a pipeline's first step.
            task =>
            {
                listingSink?.TrySetResult(task.IsCompletedSuccessfully ? task.Result.Listing : null);
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        var listing = listingSink?.Task;
        var environmentTask = Timings.MeasureAsync("capture: environment", () => Start(() => _source.CaptureEnvironmentAsync(run, listing, cancellationToken), ownThreads, cancellationToken));
        var inputsTask = Timings.MeasureAsync("capture: inputs", () => Start(() => _source.CaptureInputsAsync(run, cancellationToken), ownThreads, cancellationToken));
        await Task.WhenAll(gitTask, environmentTask, inputsTask).ConfigureAwait(false);
        var git = await gitTask.ConfigureAwait(false);
        var environment = await environmentTask.ConfigureAwait(false);
        run.Inputs = await inputsTask.ConfigureAwait(false);

        var replay = run.Request.Replay;
        if (replay is null)
        {
            // A verification runs in a materialised copy of recorded code, which is not a repository itself.
            run.Warnings.AddRange(git.Warnings);
        }

        run.Warnings.AddRange(environment.Warnings);
        if (run.Request.RequireClean)
        {
            GitCapture.RequireClean(git);
        }

        // In a verification the code is the recorded state, and the copy's own (non-)repository status says nothing about it.
        run.Git = replay is null ? git.Record : replay.Git with { RepositoryRoot = git.Record.RepositoryRoot ?? replay.Git.RepositoryRoot };
        run.Environment = environment.Record;
        run.ProjectRecord = await ProjectRecordOfAsync(run.Project, run.EnvironmentManager, environment.Record.LockFiles, cancellationToken).ConfigureAwait(false);
    }

    private static Task<T> Start<T>(Func<Task<T>> start, bool ownThread, CancellationToken cancellationToken) =>
        ownThread ? Task.Factory.StartNew(start, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap() : start();

    /// <summary>The project's record: its name, folder, file and environment (with the environment file's hash).</summary>
    internal static async Task<ProjectRecord> ProjectRecordOfAsync(MLProject project, string envManager, IReadOnlyList<LockFileRecord> lockFiles, CancellationToken cancellationToken)
    {
        string? sha = null;
        if (project.Environment.File is { } file && !project.Environment.FileOutsideProject)
        {
            // Environment capture has usually hashed it already as a lock file (python_env.yaml, conda.yaml, …).
            var path = Path.Combine(project.Directory, file);
            var relative = Path.GetRelativePath(project.Directory, path).Replace('\\', '/');
            sha = lockFiles.FirstOrDefault(lockFile => string.Equals(lockFile.Path, relative, StringComparison.Ordinal))?.Sha256
                ?? (File.Exists(path) ? await FileHasher.HashFileAsync(path, cancellationToken).ConfigureAwait(false) : null);
        }

        return new ProjectRecord(
            project.Name,
            project.Directory,
            project.FileName,
            new ProjectEnvironmentRecord(project.Environment.Kind, project.Environment.File, sha, project.Environment.Image, envManager));
    }
}
