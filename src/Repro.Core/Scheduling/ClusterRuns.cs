using Repro.Core.Errors;
using Repro.Core.Runs;
using Repro.Core.Store;

namespace Repro.Core.Scheduling;

/// <summary>
/// Runs on a cluster as the submit host sees them: a QUEUED or RUNNING run whose job has ended without recording the
/// run's end (time limit, out of memory, node failure, cancelled while pending) is settled from the scheduler's own
/// state, FAILED or KILLED with its reason, so no run stays QUEUED for ever; <c>repro wait</c> and <c>repro cancel</c>.
/// </summary>
public static class ClusterRuns
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Whether a manifest says the run has not ended yet.</summary>
    public static bool IsActive(RunManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return manifest.Status is RunStatus.Queued or RunStatus.Running;
    }

    /// <summary>
    /// Which of the listed runs are cluster runs that have not ended, as their manifests say: only runs listed QUEUED,
    /// RUNNING or ABANDONED (a cluster job's lock is on its node) are read.
    /// </summary>
    public static IReadOnlyList<string> ActiveRunIds(RunStore store, IEnumerable<RunSummary> listed)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(listed);
        var candidates = listed.Where(run => run.Status is RunStatus.Queued or RunStatus.Running or RunStatus.Abandoned && run.Problem is null)
            .Select(run => run.RunId)
            .Distinct(StringComparer.Ordinal);
        var active = new List<string>();
        foreach (var id in candidates)
        {
            try
            {
                if (store.Load(id) is { Scheduler: not null } manifest && IsActive(manifest))
                {
                    active.Add(id);
                }
            }
            catch (ReproException)
            {
                // A damaged or vanished run folder is listed as such by repro list.
            }
        }

        return active;
    }

    /// <summary>
    /// Settles the cluster runs among <paramref name="runIds"/> whose job has ended without recording the run, and adds
    /// the scheduler's reason to a run the job recorded KILLED (a time limit reaches the run as SIGTERM).
    /// </summary>
    /// <returns>Each run's manifest after settling, in the order given.</returns>
    public static async Task<IReadOnlyList<RunManifest>> SettleAsync(RunStore store, IClusterBackend backend, IReadOnlyList<string> runIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(runIds);
        var jobs = runIds.Select(id => store.Load(id).Scheduler?.TaskId).OfType<string>().ToList();

        // The scheduler first, the manifests after: a task that has ended has written whatever it was going to write.
        var states = jobs.Count > 0 ? await backend.QueryAsync(jobs, cancellationToken).ConfigureAwait(false) : new Dictionary<string, ClusterTaskState>();
        var settled = new List<RunManifest>();
        foreach (var id in runIds)
        {
            var manifest = store.Load(id);
            if (manifest.Scheduler is { } scheduler)
            {
                var state = states.GetValueOrDefault(scheduler.TaskId);
                if (Settle(manifest, state) is { } changed)
                {
                    store.Save(changed);
                    manifest = changed;
                }
            }

            settled.Add(manifest);
        }

        return settled;
    }

    /// <summary>
    /// The manifest to write for a run whose task stands at <paramref name="state"/> (null: the scheduler no longer
    /// knows it), or null when nothing changes. Pure.
    /// </summary>
    public static RunManifest? Settle(RunManifest manifest, ClusterTaskState? state)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (manifest.Scheduler is not { } scheduler || (state is not null && !state.HasEnded))
        {
            return null;
        }

        if (IsActive(manifest))
        {
            var stopped = state?.WasStopped ?? false;
            var why = state is null
                ? $"Slurm no longer knows job {scheduler.TaskId}, and the job never recorded the run's end"
                : $"{state.Describe()}; the job ended without recording the run's end";
            return manifest with
            {
                Status = stopped ? RunStatus.Killed : RunStatus.Failed,
                StatusMessage = manifest.Status == RunStatus.Queued ? $"{why} (it never started)" : why,
                Scheduler = scheduler with { FinalState = state?.State ?? "UNKNOWN" },
                Execution = manifest.Execution is { } execution ? execution with { EndedAt = execution.EndedAt ?? DateTimeOffset.UtcNow } : null,
            };
        }

        if (manifest.Status == RunStatus.Killed && scheduler.FinalState is null)
        {
            return manifest with
            {
                StatusMessage = state is { WasStopped: true } ? $"{state.Describe()}: {manifest.StatusMessage}" : manifest.StatusMessage,
                Scheduler = scheduler with { FinalState = state?.State ?? "UNKNOWN" },
            };
        }

        return null;
    }

    /// <summary>
    /// Waits until every run has ended (settling from the scheduler on the way), for ever unless cancelled; a run
    /// without a job only needs its manifest to say it ended.
    /// </summary>
    public static async Task<IReadOnlyList<RunManifest>> WaitAsync(RunStore store, IClusterBackend backend, IReadOnlyList<string> runIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        while (true)
        {
            var manifests = await SettleAsync(store, backend, runIds, cancellationToken).ConfigureAwait(false);
            if (manifests.All(manifest => !IsActive(manifest) && !AwaitsReason(manifest)))
            {
                return manifests;
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Cancels the jobs of the runs that have not ended, then waits until each is settled.</summary>
    /// <returns>Each run's manifest after settling.</returns>
    public static async Task<IReadOnlyList<RunManifest>> CancelAsync(RunStore store, IClusterBackend backend, IReadOnlyList<string> runIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(runIds);
        var tasks = runIds.Select(id => store.Load(id)).Where(IsActive).Select(manifest => manifest.Scheduler?.TaskId).OfType<string>().ToList();
        await backend.CancelAsync(tasks, cancellationToken).ConfigureAwait(false);
        return await WaitAsync(store, backend, runIds, cancellationToken).ConfigureAwait(false);
    }

    // A run its job recorded KILLED gets the scheduler's reason once the scheduler has finished the task.
    private static bool AwaitsReason(RunManifest manifest) =>
        manifest is { Status: RunStatus.Killed, Scheduler.FinalState: null };
}
