using Repro.Core.Capture.Data;
using Repro.Core.Errors;
using Repro.Core.Execution;
using Repro.Core.FileSystem;
using Repro.Core.Processes;
using Repro.Core.Projects;
using Repro.Core.Runs;
using Repro.Core.Store;
using Repro.Core.Verification;

namespace Repro.Core.Scheduling;

/// <summary>A QUEUED run to execute in the snapshot <see cref="QueueStage"/> materialised for it.</summary>
/// <param name="Store">The store (as a job writes it, without the index, on a cluster node).</param>
/// <param name="Queued">The QUEUED manifest.</param>
/// <param name="Snapshot">The snapshot's folder (the repository's root as recorded).</param>
/// <param name="Environment">The environment the child's is built from.</param>
public sealed record SnapshotRunRequest(RunStore Store, RunManifest Queued, string Snapshot, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>The cluster job's facts, recorded in the manifest; null for a run on this host (a local sweep's point).</summary>
    public SchedulerRecord? Scheduler { get; init; }

    /// <summary>
    /// Whether a finished run's outputs are copied back into the project, except files the user changed after
    /// <see cref="QueuedAt"/> (reported as warnings). False for a sweep's points: the project can hold one point's
    /// outputs only, so each point's stay in the store (<c>repro checkout RUN --outputs</c> brings one back).
    /// </summary>
    public bool CopyOutputsBack { get; init; } = true;

    /// <summary>When the run was queued or submitted: a project file changed later is the user's, never overwritten.</summary>
    public DateTimeOffset QueuedAt { get; init; }

    /// <summary>--python: the interpreter a virtualenv is made from; null to search PATH and pyenv.</summary>
    public string? Python { get; init; }

    /// <summary>Output and metrics files up to this size are copied into the object store.</summary>
    public long ObjectSizeLimit { get; init; } = ObjectStore.DefaultMaxFileBytes;

    /// <summary>Where the child's standard output is echoed.</summary>
    public Stream? EchoStdout { get; init; }

    /// <summary>Where the child's standard error is echoed.</summary>
    public Stream? EchoStderr { get; init; }
}

/// <summary>How a queued run ended in its snapshot.</summary>
/// <param name="Manifest">The final manifest.</param>
/// <param name="KeepsSnapshot">
/// Whether the snapshot holds outputs nothing else does (not copied back, and over the object store's size limit):
/// the caller must not delete it.
/// </param>
public sealed record SnapshotRunOutcome(RunManifest Manifest, bool KeepsSnapshot);

/// <summary>
/// Executes a QUEUED run in its snapshot, through the same stages as any run, with the recorded seed, determinism
/// variables and code: what a cluster job does on its node (<see cref="ClusterJobRunner"/>) and what each point of a
/// local sweep does, so points running side by side never share a folder. Outputs are fingerprinted into the object
/// store; the manifest describes the recorded run (its project, parameters, inputs and code), not the snapshot's paths.
/// </summary>
public static class SnapshotRunner
{
    /// <summary>
    /// Runs the queued run, then deletes <paramref name="folder"/> (the snapshot, or a folder holding it) unless the
    /// snapshot keeps outputs that nothing else holds; returns the final manifest. What a cluster job and a local
    /// sweep's point both do.
    /// </summary>
    /// <param name="request">The run.</param>
    /// <param name="folder">What to delete afterwards: <see cref="SnapshotRunRequest.Snapshot"/> or a folder above it.</param>
    /// <param name="interruption">Stops the run.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    public static async Task<RunManifest> RunThenRemoveAsync(SnapshotRunRequest request, string folder, Interruption interruption, CancellationToken cancellationToken)
    {
        SnapshotRunOutcome? outcome = null;
        try
        {
            outcome = await RunAsync(request, interruption, cancellationToken).ConfigureAwait(false);
            return outcome.Manifest;
        }
        finally
        {
            // Outputs over the object store's size limit that were not copied back stay in the snapshot (the manifest says where).
            if (outcome?.KeepsSnapshot != true)
            {
                QueueStage.TryDelete(folder);
            }
        }
    }

    /// <summary>Runs the queued run; returns its final manifest. A run that could not start is recorded FAILED (KILLED when interrupted).</summary>
    public static async Task<SnapshotRunOutcome> RunAsync(SnapshotRunRequest request, Interruption interruption, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var queued = request.Queued;
        var store = request.Store;
        var projectDirectory = string.IsNullOrEmpty(queued.Git.ProjectPath) ? request.Snapshot : Path.Combine(request.Snapshot, PathText.FromRecorded(queued.Git.ProjectPath));
        var runRequest = new RunRequest
        {
            ProjectDirectory = projectDirectory,
            EntryPoint = queued.EntryPoint.Name,
            Parameters = GivenParameters.From(VerifyService.ReplayedParameters(queued, queued.Git.RepositoryRoot, inCheckout: true)),
            RunName = queued.RunName,
            ExperimentName = queued.ExperimentName,
            StoreDirectory = store.Root,
            WritesIndex = store.WritesIndex,
            Threads = queued.Determinism.Threads,
            EnvManager = queued.Project.Environment.Manager,
            Python = request.Python,
            ObjectSizeLimit = request.ObjectSizeLimit,
            Environment = request.Environment,
            EchoStdout = request.EchoStdout,
            EchoStderr = request.EchoStderr,
            Replay = new RunReplay(queued.RunId, queued.Seed, queued.Determinism.Variables, queued.Git, queued.Python?.AutoSeed ?? false) { Source = queued.Source },
            RecordedRun = queued.RunId,
            Scheduler = request.Scheduler,
            Sweep = queued.Sweep,
        };

        var restore = new RestoreRecordStage(request, projectDirectory);
        var stages = RunStages.Default.ToList();
        stages.Insert(stages.FindIndex(stage => stage is RecordStage), restore);
        try
        {
            var outcome = await RunService.RunAsync(runRequest, interruption, stages, cancellationToken).ConfigureAwait(false);
            return new SnapshotRunOutcome(outcome.Manifest, restore.KeepsSnapshot);
        }
        catch (Exception exception) when (exception is ReproException or OperationCanceledException && store.Load(queued.RunId).Status == RunStatus.Queued)
        {
            // The run could not start (its environment could not be built, the snapshot is gone, it was interrupted
            // first): the queued record says so instead of staying QUEUED.
            var where = request.Scheduler?.Node is { } node ? $"the job could not start the run on {node}" : "the run could not start in its snapshot";
            var failed = queued with
            {
                Status = exception is InterruptedException or OperationCanceledException ? RunStatus.Killed : RunStatus.Failed,
                StatusMessage = $"{where}: {exception.Message}",
                Scheduler = request.Scheduler,
            };
            store.Save(failed);
            return new SnapshotRunOutcome(failed, KeepsSnapshot: false);
        }
    }

    /// <summary>
    /// Before the record stage: the manifest describes the recorded run, not the snapshot's paths; the job's facts are
    /// added; and a finished run's outputs go back into the project (when asked), except files the user changed after
    /// the run was queued (reported as warnings).
    /// </summary>
    private sealed class RestoreRecordStage(SnapshotRunRequest request, string snapshotProject) : IRunStage
    {
        public bool KeepsSnapshot { get; private set; }

        public async Task RunAsync(RunContext run, CancellationToken cancellationToken)
        {
            var queued = request.Queued;
            var ran = run.Manifest;
            var finished = run.Ending is null && run.Result.ExitCode == 0 && run.Outputs?.MissingMessage is null;
            if (finished && request.CopyOutputsBack)
            {
                await CopyOutputsBackAsync(run, ran.Outputs, cancellationToken).ConfigureAwait(false);
            }
            else if (!request.CopyOutputsBack && run.Objects is { } objects)
            {
                var unstored = ran.Outputs.SelectMany(record => record.Files).Where(file => file.Sha256 is not null && file.LinkTarget is null && !objects.Contains(file.Sha256)).ToList();
                if (unstored.Count > 0)
                {
                    KeepsSnapshot = true;
                    run.Warnings.Add($"{unstored.Count} output file(s) over the object store's size limit (first {unstored[0].Path}) are kept only in {snapshotProject}");
                }
            }

            run.Manifest = ran with
            {
                Project = queued.Project,
                Parameters = queued.Parameters,
                Inputs = queued.Inputs,
                Git = queued.Git,
                Source = queued.Source,
                Scheduler = request.Scheduler is { } facts ? facts with { WorkDirectory = request.Snapshot } : null,
                Sweep = queued.Sweep,
            };
        }

        private async Task CopyOutputsBackAsync(RunContext run, IReadOnlyList<DataRecord> outputs, CancellationToken cancellationToken)
        {
            var queued = request.Queued;
            var project = queued.Project.Directory;
            foreach (var file in outputs.SelectMany(record => record.Files).DistinctBy(file => file.Path, StringComparer.Ordinal))
            {
                var relative = PathText.FromRecorded(file.Path);
                var source = Path.GetFullPath(relative, snapshotProject);
                var destination = Path.GetFullPath(relative, project);
                if (file.Sha256 is null || file.LinkTarget is not null || !PathContainment.IsInside(project, destination) || !File.Exists(source))
                {
                    continue;
                }

                if (File.Exists(destination))
                {
                    if (string.Equals(await FileHasher.HashFileAsync(destination, cancellationToken).ConfigureAwait(false), file.Sha256, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    if (File.GetLastWriteTimeUtc(destination) > request.QueuedAt.UtcDateTime)
                    {
                        run.Warnings.Add($"{file.Path} changed in {project} after the job was submitted: not overwritten with the run's output (repro checkout {queued.RunId} brings it)");
                        continue;
                    }
                }

                NativeFiles.CreateDirectories(Path.GetDirectoryName(destination)!);
                var temporary = destination + ".repro-" + queued.RunId + ".tmp";
                File.Copy(source, temporary, overwrite: true);
                File.Move(temporary, destination, overwrite: true);
            }
        }
    }
}
