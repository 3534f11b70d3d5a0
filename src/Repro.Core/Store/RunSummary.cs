using Repro.Core.Runs;

namespace Repro.Core.Store;

/// <summary>What <c>repro list</c> shows of a run; derived from its manifest.</summary>
/// <param name="RunId">The run id.</param>
/// <param name="Status">Where the run stands.</param>
/// <param name="EntryPoint">Entry point name.</param>
/// <param name="RunName">Name given with --run-name.</param>
/// <param name="ExperimentName">Experiment given with --experiment-name.</param>
/// <param name="Verifies">For verification runs, the run verified.</param>
/// <param name="StartedAt">When the child started (or the run was created).</param>
/// <param name="DurationSeconds">Wall time, when ended.</param>
/// <param name="Parameters">Parameters the user gave (name to value as given).</param>
/// <param name="Metrics">Metrics the run wrote.</param>
/// <param name="Verdict">For verification runs, what verify concluded.</param>
public sealed record RunSummary(
    string RunId,
    RunStatus Status,
    string EntryPoint,
    string? RunName,
    string? ExperimentName,
    string? Verifies,
    DateTimeOffset? StartedAt,
    double? DurationSeconds,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyDictionary<string, double> Metrics,
    Verdict? Verdict)
{
    /// <summary>For a DAMAGED run, or an ABANDONED one without a manifest: one line saying what is wrong, naming the file.</summary>
    public string? Problem { get; init; }

    /// <summary>Whether the run was brought from a remote by <c>repro pull</c> rather than run here.</summary>
    public bool Pulled { get; init; }

    /// <summary>
    /// For a run submitted to a cluster (<c>--backend slurm</c>), the scheduler's job id, as Slurm names it:
    /// <c>JOB</c>, or <c>JOB_INDEX</c> for a point of a job array; null for a local run.
    /// </summary>
    public string? JobId { get; init; }

    /// <summary>The summary of <paramref name="manifest"/>.</summary>
    public static RunSummary From(RunManifest manifest)
    {
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in manifest.Parameters)
        {
            if (parameter.Source != ParameterSource.Default)
            {
                parameters[parameter.Name] = parameter.Given;
            }
        }

        return new RunSummary(
            manifest.RunId,
            manifest.Status,
            manifest.EntryPoint.Name,
            manifest.RunName,
            manifest.ExperimentName,
            manifest.Verifies,
            manifest.Execution?.StartedAt,
            manifest.Execution?.DurationSeconds,
            parameters,
            manifest.Metrics?.Values ?? new SortedDictionary<string, double>(StringComparer.Ordinal),
            manifest.Verification?.Verdict)
        {
            JobId = JobIdOf(manifest.Scheduler),
        };
    }

    private static string? JobIdOf(SchedulerRecord? scheduler) => scheduler switch
    {
        null => null,
        { ArrayIndex: { } index } => $"{scheduler.JobId}_{index.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
        _ => scheduler.JobId,
    };
}

/// <summary>Filters for listing runs.</summary>
/// <param name="EntryPoint">Only runs of this entry point.</param>
/// <param name="Status">Only runs with this status.</param>
/// <param name="ExperimentName">Only runs of this experiment.</param>
/// <param name="Limit">At most this many (newest first); null for all.</param>
public sealed record RunQuery(string? EntryPoint = null, RunStatus? Status = null, string? ExperimentName = null, int? Limit = null);

