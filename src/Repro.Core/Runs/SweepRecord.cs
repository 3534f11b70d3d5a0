namespace Repro.Core.Runs;

/// <summary>
/// The record of one <c>repro sweep</c>: the grid, and a point per combination with its run. Shaped like
/// <see cref="PipelineRecord"/> (both group runs under one record in the store): an id shaped like a run id, a status
/// with the same words, the project, the given parameters, start and end, and one entry per member run. Serialized as
/// <c>sweeps/&lt;id&gt;/sweep.json</c> (docs/manifest.md).
/// </summary>
public sealed record SweepRecord
{
    /// <summary>The format this code writes.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>Version of the format.</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Unique, time-sortable id, shaped like a run id; also the name of its folder.</summary>
    public required string SweepId { get; init; }

    /// <summary>RUNNING (or QUEUED on a cluster) until every point has ended; then FINISHED when every point finished, else FAILED, or KILLED when interrupted.</summary>
    public required RunStatus Status { get; init; }

    /// <summary>Why it ended as it did, when that needs saying.</summary>
    public string? StatusMessage { get; init; }

    /// <summary>The repro build that wrote the record.</summary>
    public required ToolRecord Repro { get; init; }

    /// <summary>Absolute path of the project directory.</summary>
    public required string ProjectDirectory { get; init; }

    /// <summary>The entry point every point runs.</summary>
    public required string EntryPoint { get; init; }

    /// <summary>Where the points ran: <c>local</c> or <c>slurm</c>.</summary>
    public required string Backend { get; init; }

    /// <summary>How many points ran at once at most (<c>-j</c>).</summary>
    public required int Parallelism { get; init; }

    /// <summary>For a Slurm sweep, the job array's id; null otherwise.</summary>
    public string? JobId { get; init; }

    /// <summary>The <c>-P</c> values every point shares, by name.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>The grid: each <c>--grid</c> parameter with its values, in the order given.</summary>
    public required IReadOnlyList<SweepAxis> Grid { get; init; }

    /// <summary>When the sweep started (UTC).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When its last point ended (UTC); null while points run.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Every point of the cartesian product, first axis slowest.</summary>
    public required IReadOnlyList<SweepPointRecord> Points { get; init; }
}

/// <summary>One <c>--grid</c> parameter.</summary>
/// <param name="Name">The parameter.</param>
/// <param name="Values">Its values, in the order given.</param>
public sealed record SweepAxis(string Name, IReadOnlyList<string> Values);

/// <summary>One point of a sweep.</summary>
/// <param name="Index">Its place in the product (the array index on Slurm).</param>
/// <param name="Parameters">The grid values of this point, by name.</param>
/// <param name="RunId">Its run; null when it was never started.</param>
/// <param name="Status">The run's status when the record was last written; null when it was never started.</param>
public sealed record SweepPointRecord(int Index, IReadOnlyDictionary<string, string> Parameters, string? RunId, RunStatus? Status);
