namespace Repro.Core.Scheduling;

/// <summary>
/// A cluster scheduler as repro uses it: submit a job that runs queued runs (one, or one per array index), say where
/// each task stands, cancel tasks. <see cref="SlurmBackend"/> is the one real engine; docs/scale-out.md maps the same
/// calls to a Kubernetes (Indexed) Job.
/// </summary>
public interface IClusterBackend
{
    /// <summary>The name recorded in manifests (<c>slurm</c>).</summary>
    string Name { get; }

    /// <summary>
    /// Submits <paramref name="job"/> held (it cannot start before <see cref="ReleaseAsync"/>), so the submit host
    /// records the job id in each QUEUED manifest before a node can overwrite it.
    /// </summary>
    /// <returns>The job id.</returns>
    /// <exception cref="Errors.InputException">The scheduler refused the job (a bad partition, time or option).</exception>
    Task<string> SubmitHeldAsync(ClusterJob job, CancellationToken cancellationToken);

    /// <summary>Lets a held job start.</summary>
    Task ReleaseAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Where each task stands (<c>JOB</c> or <c>JOB_INDEX</c>); a task the scheduler no longer knows is absent.</summary>
    Task<IReadOnlyDictionary<string, ClusterTaskState>> QueryAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken);

    /// <summary>Cancels tasks (<c>JOB</c> or <c>JOB_INDEX</c>), pending or running.</summary>
    Task CancelAsync(IReadOnlyCollection<string> taskIds, CancellationToken cancellationToken);
}

/// <summary>A job to submit: a script that runs <c>repro</c> on the node for one queued run per task.</summary>
/// <param name="Name">The job's name.</param>
/// <param name="Script">The job script (see <see cref="JobScript"/>).</param>
/// <param name="WorkingDirectory">Where the job starts (a folder on the shared file system).</param>
/// <param name="OutputPattern">Where the scheduler writes the job's own output (<c>%A</c>, <c>%a</c>, <c>%j</c> expanded by Slurm).</param>
/// <param name="Tasks">How many tasks: 1 for a run, one per point for an array.</param>
/// <param name="Parallelism">For an array, how many tasks run at once at most; null for no limit.</param>
/// <param name="Settings">The backend config.</param>
public sealed record ClusterJob(string Name, string Script, string WorkingDirectory, string OutputPattern, int Tasks, int? Parallelism, SlurmSettings Settings)
{
    /// <summary>Whether it is a job array (a sweep), even of one task.</summary>
    public bool IsArray { get; init; }
}

/// <summary>Where a scheduler's task stands.</summary>
/// <param name="TaskId"><c>JOB</c> or <c>JOB_INDEX</c>.</param>
/// <param name="State">The scheduler's word (<c>PENDING</c>, <c>RUNNING</c>, <c>COMPLETED</c>, <c>TIMEOUT</c>, …).</param>
/// <param name="Reason">The scheduler's reason, when it gives one (<c>TimeLimit</c>, <c>None</c>…).</param>
/// <param name="ExitCode">The exit code part of Slurm's <c>ExitCode=N:S</c>, when ended.</param>
/// <param name="Signal">The signal part of <c>ExitCode=N:S</c>, when ended.</param>
public sealed record ClusterTaskState(string TaskId, string State, string? Reason, int? ExitCode, int? Signal)
{
    /// <summary>Whether the task has ended for good (any state but pending, configuring, running, completing, suspended, held).</summary>
    public bool HasEnded => State is not ("PENDING" or "CONFIGURING" or "RUNNING" or "COMPLETING" or "SUSPENDED" or "REQUEUED" or "RESIZING" or "STAGE_OUT" or "SIGNALING" or "REQUEUE_HOLD" or "REQUEUE_FED" or "RESV_DEL_HOLD" or "STOPPED");

    /// <summary>Whether the scheduler stopped it (time limit, cancel, preemption, deadline): the run was killed rather than failed.</summary>
    public bool WasStopped => State is "TIMEOUT" or "CANCELLED" or "PREEMPTED" or "DEADLINE";

    /// <summary>One line for a status message: <c>Slurm job 12 TIMEOUT (reason: TimeLimit)</c>.</summary>
    public string Describe() =>
        $"Slurm job {TaskId} {State}" + (Reason is { Length: > 0 } reason && reason != "None" ? $" (reason: {reason})" : string.Empty)
        + (ExitCode is { } code && State == "FAILED" ? $", exit code {code}" : string.Empty);
}
