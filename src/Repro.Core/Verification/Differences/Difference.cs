using System.Text.Json.Serialization;
using Repro.Core.Runs;

namespace Repro.Core.Verification.Differences;

/// <summary>One recorded fact that differs between run A and run B.</summary>
public sealed record Difference
{
    /// <summary>The part of the manifest it belongs to.</summary>
    public required DiffSection Section { get; init; }

    /// <summary>
    /// Stable dotted path naming the fact, such as <c>parameters.alpha</c>, <c>environment.cpu.vectorIsa</c> or
    /// <c>inputs.data/hour.csv</c>. Scripts may match on it; it does not change between repro versions of the same schema.
    /// </summary>
    public required string Key { get; init; }

    /// <summary>The value in run A; null when A does not have it.</summary>
    public required string? A { get; init; }

    /// <summary>The value in run B; null when B does not have it.</summary>
    public required string? B { get; init; }

    /// <summary>Whether it can change results, is a result, or only describes the run.</summary>
    public required DifferenceRole Role { get; init; }

    /// <summary>A short phrase for a person, such as <c>.NET runtime 10.0.1 -> 10.0.12</c>.</summary>
    public required string Summary { get; init; }

    /// <summary>For a metric, <c>|B - A|</c>; null otherwise or when either value is missing or not finite.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? AbsoluteDifference { get; init; }

    /// <summary>For a metric, <c>|B - A| / |A|</c>; null otherwise or when A is zero, missing or not finite.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? RelativeDifference { get; init; }

    /// <summary>Whether B added the fact, removed it, or holds another value.</summary>
    public DifferenceChange Change => A is null ? DifferenceChange.Added : B is null ? DifferenceChange.Removed : DifferenceChange.Changed;

    /// <summary>Whether it can change results (and so may explain differing outputs).</summary>
    [JsonIgnore]
    public bool IsFactor => Role == DifferenceRole.Factor;
}

/// <summary>The parts of a manifest differences are grouped by, in the order they are reported.</summary>
[JsonConverter(typeof(ManifestEnumConverter<DiffSection>))]
public enum DiffSection
{
    /// <summary>Parameter values.</summary>
    [JsonStringEnumMemberName("parameters")]
    Parameters,

    /// <summary>The run's seed.</summary>
    [JsonStringEnumMemberName("seed")]
    Seed,

    /// <summary>Commit, uncommitted changes, untracked files, entry point and command.</summary>
    [JsonStringEnumMemberName("code")]
    Code,

    /// <summary>Input files, one by one.</summary>
    [JsonStringEnumMemberName("inputs")]
    Inputs,

    /// <summary>Machine, runtimes, lock files and allow-listed environment variables.</summary>
    [JsonStringEnumMemberName("environment")]
    Environment,

    /// <summary>Determinism variables, pinned threads and what Repro.Sdk reported inside the child.</summary>
    [JsonStringEnumMemberName("determinism")]
    Determinism,

    /// <summary>Output files, one by one.</summary>
    [JsonStringEnumMemberName("outputs")]
    Outputs,

    /// <summary>Metric values.</summary>
    [JsonStringEnumMemberName("metrics")]
    Metrics,

    /// <summary>How the run ended: status and exit code (never durations).</summary>
    [JsonStringEnumMemberName("execution")]
    Execution,
}

/// <summary>What a difference means for reproducibility.</summary>
[JsonConverter(typeof(ManifestEnumConverter<DifferenceRole>))]
public enum DifferenceRole
{
    /// <summary>Something that can change results: parameters, seed, code, inputs, runtimes, hardware, lock files, determinism switches.</summary>
    [JsonStringEnumMemberName("factor")]
    Factor,

    /// <summary>A result: outputs, metrics, status, exit code.</summary>
    [JsonStringEnumMemberName("outcome")]
    Outcome,

    /// <summary>Describes the run without affecting results: host name, user, project location, branch.</summary>
    [JsonStringEnumMemberName("informational")]
    Informational,
}

/// <summary>How a fact changed from A to B.</summary>
[JsonConverter(typeof(ManifestEnumConverter<DifferenceChange>))]
public enum DifferenceChange
{
    /// <summary>Only B has it.</summary>
    [JsonStringEnumMemberName("added")]
    Added,

    /// <summary>Only A has it.</summary>
    [JsonStringEnumMemberName("removed")]
    Removed,

    /// <summary>Both have it, with different values.</summary>
    [JsonStringEnumMemberName("changed")]
    Changed,
}
