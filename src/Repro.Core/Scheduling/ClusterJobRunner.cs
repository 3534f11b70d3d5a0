using System.Globalization;
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

/// <summary>What the node was asked to run.</summary>
/// <param name="StoreDirectory">The store on the shared file system.</param>
/// <param name="RunId">The QUEUED run.</param>
/// <param name="Environment">The job's environment (Slurm's variables included).</param>
public sealed record ClusterJobRequest(string StoreDirectory, string RunId, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>Where the child's standard output is echoed (the job's own output file).</summary>
    public Stream? EchoStdout { get; init; }

    /// <summary>Where the child's standard error is echoed.</summary>
    public Stream? EchoStderr { get; init; }
}

/// <summary>
/// The node's side of a cluster run (<c>repro slurm-job</c>, run by the job script): the QUEUED run executes in the
/// snapshot the submit host materialised, through the same stages as any run, with the recorded seed, determinism
/// variables and code; the node captures its own environment and the job's facts; outputs go to the object store and,
/// when the run finished, back into the project unless the user changed them meanwhile. The job writes its run folder
/// and objects only, never the index.
/// </summary>
public static class ClusterJobRunner
{
    /// <summary>Runs the queued run; returns its final manifest.</summary>
    /// <exception cref="InputException">The run is not in the store, or is not QUEUED.</exception>
    public static async Task<RunManifest> RunAsync(ClusterJobRequest request, Interruption interruption, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var store = RunStore.OpenExisting(request.StoreDirectory).ForJob();
        var queued = store.Load(request.RunId);
        if (queued.Status != RunStatus.Queued)
        {
            throw new InputException($"run {queued.RunId} is {queued.Status.Name()}, not QUEUED: a job runs a queued run once");
        }

        var variables = request.Environment;
        var facts = (queued.Scheduler ?? new SchedulerRecord
        {
            Backend = "slurm",
            JobId = variables.GetValueOrDefault("SLURM_ARRAY_JOB_ID") ?? variables.GetValueOrDefault("SLURM_JOB_ID") ?? "unknown",
            SubmittedAt = DateTimeOffset.UtcNow,
        }) with
        {
            Node = System.Net.Dns.GetHostName(),
            Partition = variables.GetValueOrDefault("SLURM_JOB_PARTITION"),
            SchedulerVersion = await new SlurmBackend(variables).VersionAsync(cancellationToken).ConfigureAwait(false),
            ArrayIndex = variables.GetValueOrDefault("SLURM_ARRAY_TASK_ID") is { } task && int.TryParse(task, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : queued.Scheduler?.ArrayIndex,
        };

        var snapshot = facts.WorkDirectory ?? Path.Combine(QueueStage.JobFolder(store.Root, queued.RunId), QueueStage.SnapshotFolderName);
        var projectDirectory = string.IsNullOrEmpty(queued.Git.ProjectPath) ? snapshot : Path.Combine(snapshot, PathText.FromRecorded(queued.Git.ProjectPath));
        var runRequest = new RunRequest
        {
            ProjectDirectory = projectDirectory,
            EntryPoint = queued.EntryPoint.Name,
            Parameters = GivenParameters.From(VerifyService.ReplayedParameters(queued, queued.Git.RepositoryRoot, inCheckout: true)),
            RunName = queued.RunName,
            ExperimentName = queued.ExperimentName,
            StoreDirectory = store.Root,
            Threads = queued.Determinism.Threads,
            EnvManager = queued.Project.Environment.Manager,
            Environment = variables,
            EchoStdout = request.EchoStdout,
            EchoStderr = request.EchoStderr,
            Replay = new RunReplay(queued.RunId, queued.Seed, queued.Determinism.Variables, queued.Git, queued.Python?.AutoSeed ?? false),
            RecordedRun = queued.RunId,
            Scheduler = facts,
            Sweep = queued.Sweep,
        };

        var stages = RunStages.Default.ToList();
        stages.Insert(stages.FindIndex(stage => stage is RecordStage), new RestoreRecordStage(queued, facts, snapshot, projectDirectory));
        try
        {
            var outcome = await RunService.RunAsync(runRequest, interruption, stages, cancellationToken).ConfigureAwait(false);
            return outcome.Manifest;
        }
        catch (Exception exception) when (exception is ReproException && store.Load(queued.RunId).Status == RunStatus.Queued)
        {
            // The run could not start on the node (its environment could not be built, the snapshot is gone): the
            // queued record says so instead of waiting for a reader to find the job ended.
            var failed = queued with
            {
                Status = exception is InterruptedException ? RunStatus.Killed : RunStatus.Failed,
                StatusMessage = $"the job could not start the run on {facts.Node}: {exception.Message}",
                Scheduler = facts,
            };
            store.Save(failed);
            return failed;
        }
        finally
        {
            QueueStage.TryDelete(snapshot);
        }
    }

    /// <summary>
    /// Before the record stage: the manifest describes the recorded run (its project, parameters, inputs and code as the
    /// submit host captured them), not the snapshot's paths; the job's facts are added; and a finished run's outputs go
    /// back into the project, except files the user changed after submitting (reported as warnings).
    /// </summary>
    private sealed class RestoreRecordStage(RunManifest queued, SchedulerRecord facts, string snapshot, string snapshotProject) : IRunStage
    {
        public async Task RunAsync(RunContext run, CancellationToken cancellationToken)
        {
            var ran = run.Manifest;
            if (run.Ending is null && run.Result.ExitCode == 0 && run.Outputs?.MissingMessage is null)
            {
                await CopyOutputsBackAsync(run, ran.Outputs, cancellationToken).ConfigureAwait(false);
            }

            run.Manifest = ran with
            {
                Project = queued.Project,
                Parameters = queued.Parameters,
                Inputs = queued.Inputs,
                Git = queued.Git,
                Scheduler = facts with { WorkDirectory = snapshot },
                Sweep = queued.Sweep,
            };
        }

        private async Task CopyOutputsBackAsync(RunContext run, IReadOnlyList<DataRecord> outputs, CancellationToken cancellationToken)
        {
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

                    if (File.GetLastWriteTimeUtc(destination) > facts.SubmittedAt.UtcDateTime)
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
