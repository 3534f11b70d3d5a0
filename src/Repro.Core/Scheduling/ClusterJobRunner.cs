using System.Globalization;
using Repro.Core.Errors;
using Repro.Core.Processes;
using Repro.Core.Runs;
using Repro.Core.Store;

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
/// snapshot the submit host materialised (<see cref="SnapshotRunner"/>), with the recorded seed, determinism variables
/// and code; the node captures its own environment and the job's facts; outputs go to the object store and, when a
/// run that is not a sweep's point finished, back into the project unless the user changed them meanwhile. The job
/// writes its run folder and objects only, never the index.
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
        return await SnapshotRunner.RunThenRemoveAsync(
            new SnapshotRunRequest(store, queued, snapshot, variables)
            {
                Scheduler = facts,
                QueuedAt = facts.SubmittedAt,
                CopyOutputsBack = queued.Sweep is null,
                EchoStdout = request.EchoStdout,
                EchoStderr = request.EchoStderr,
            },
            snapshot,
            interruption,
            cancellationToken).ConfigureAwait(false);
    }
}
