using System.Text.Json.Serialization;

namespace Repro.Core.Runs;

/// <summary>
/// Where a run submitted to a cluster ran: the scheduler's job and the node's own facts. The submit host writes the
/// job facts with the QUEUED manifest; the node adds what only it knows when it starts the run.
/// </summary>
public sealed record SchedulerRecord
{
    /// <summary>The backend that ran it: <c>slurm</c>.</summary>
    public required string Backend { get; init; }

    /// <summary>The job id the scheduler gave (for an array element, the array's job id).</summary>
    public required string JobId { get; init; }

    /// <summary>For an element of a job array, its index (<c>SLURM_ARRAY_TASK_ID</c>); null otherwise.</summary>
    public int? ArrayIndex { get; init; }

    /// <summary>When it was submitted (UTC).</summary>
    public required DateTimeOffset SubmittedAt { get; init; }

    /// <summary>The partition the job ran in, as the node saw it (<c>SLURM_JOB_PARTITION</c>); null before it started.</summary>
    public string? Partition { get; init; }

    /// <summary>The node's host name; null before it started.</summary>
    public string? Node { get; init; }

    /// <summary>The scheduler's version on the node (<c>sbatch --version</c>); null when unknown.</summary>
    public string? SchedulerVersion { get; init; }

    /// <summary>The folder on the shared file system the recorded code was materialised in for the job.</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>The scheduler's final state when repro settled the run from it (<c>TIMEOUT</c>, <c>CANCELLED</c>, …); null otherwise.</summary>
    public string? FinalState { get; init; }

    /// <summary>The job's id as <c>scancel</c> and <c>scontrol</c> take it: <c>JOB</c>, or <c>JOB_INDEX</c> for an array element.</summary>
    [JsonIgnore]
    public string TaskId => ArrayIndex is { } index ? $"{JobId}_{index}" : JobId;
}

/// <summary>A run that is one point of a sweep.</summary>
/// <param name="SweepId">The sweep's id.</param>
/// <param name="Index">The point's index in the sweep (the array index on Slurm).</param>
public sealed record SweepPoint(string SweepId, int Index);
