using System.Text.Json.Serialization;

namespace Repro.Core.Runs;

/// <summary>
/// The record of one <c>repro pipeline</c>: its steps in the order they ran, each with its run and whether it executed
/// or was reused. Serialized as <c>pipelines/&lt;id&gt;/pipeline.json</c> in the store (docs/manifest.md).
/// </summary>
public sealed record PipelineRecord
{
    /// <summary>The format this code writes.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>Version of the format.</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Unique, time-sortable id, shaped like a run id; also the name of its folder.</summary>
    public required string PipelineId { get; init; }

    /// <summary>RUNNING while steps run; then FINISHED when every step finished, FAILED, or KILLED when interrupted.</summary>
    public required RunStatus Status { get; init; }

    /// <summary>Why it ended as it did, when that needs saying.</summary>
    public string? StatusMessage { get; init; }

    /// <summary>The repro build that wrote the record.</summary>
    public required ToolRecord Repro { get; init; }

    /// <summary>Absolute path of the project directory.</summary>
    public required string ProjectDirectory { get; init; }

    /// <summary>The targets asked for (<c>-e</c>), or the default targets.</summary>
    public required IReadOnlyList<string> Targets { get; init; }

    /// <summary>The <c>-P</c> values given, by name.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>When the pipeline started (UTC).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When it ended (UTC); null while running.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Every step, upstream first.</summary>
    public required IReadOnlyList<PipelineStepRecord> Steps { get; init; }
}

/// <summary>One step of a pipeline.</summary>
/// <param name="Name">The entry point.</param>
/// <param name="Upstream">The steps it depends on directly.</param>
/// <param name="State">Executed, reused, not run, or pending.</param>
/// <param name="Reason">Why it ran, was reused or was not run (one line).</param>
/// <param name="RunId">The step's run; null when it was not run.</param>
/// <param name="ReusedFrom">For a reused step, the earlier run whose outputs were restored.</param>
/// <param name="Status">The run's final status; null when it was not run.</param>
public sealed record PipelineStepRecord(
    string Name,
    IReadOnlyList<string> Upstream,
    PipelineStepState State,
    string Reason,
    string? RunId,
    string? ReusedFrom,
    RunStatus? Status);

/// <summary>What happened to a pipeline step.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PipelineStepState>))]
public enum PipelineStepState
{
    /// <summary>Not reached yet.</summary>
    [JsonStringEnumMemberName("pending")]
    Pending,

    /// <summary>Its command ran.</summary>
    [JsonStringEnumMemberName("executed")]
    Executed,

    /// <summary>The run cache restored an earlier run's outputs; no child started.</summary>
    [JsonStringEnumMemberName("reused")]
    Reused,

    /// <summary>Not run: a step it depends on failed, or the pipeline was interrupted.</summary>
    [JsonStringEnumMemberName("notRun")]
    NotRun,
}
