using System.Text.Json.Serialization;

namespace Repro.Core.Verification.Differences;

/// <summary>
/// Every recorded fact that differs between two runs, ordered by <see cref="DiffSection"/>. Serialized by
/// <see cref="DifferencesJsonContext"/> for <c>repro diff --json</c>.
/// </summary>
public sealed record ManifestDiff
{
    /// <summary>The format this code writes. Bump on any breaking change.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>Version of this format.</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Id of run A (for verify, the original run).</summary>
    public required string RunA { get; init; }

    /// <summary>Id of run B (for verify, the verification run).</summary>
    public required string RunB { get; init; }

    /// <summary>The differences, grouped by section in <see cref="DiffSection"/> order.</summary>
    public required IReadOnlyList<Difference> Differences { get; init; }

    /// <summary>The unified diff of the two runs' <c>code.patch</c> files, when the caller added it.</summary>
    public UnifiedDiff? PatchDiff { get; init; }

    /// <summary>Whether nothing recorded differs.</summary>
    public bool Identical => Differences.Count == 0;

    /// <summary>Whether any factor (something that can change results) differs.</summary>
    public bool FactorsDiffer => Differences.Any(difference => difference.Role == DifferenceRole.Factor);

    /// <summary>Whether any outcome (outputs, metrics, status, exit code) differs.</summary>
    public bool OutcomesDiffer => Differences.Any(difference => difference.Role == DifferenceRole.Outcome);

    /// <summary>The differences that can change results, each with its <see cref="Difference.Summary"/>: what verify names as likely causes.</summary>
    [JsonIgnore]
    public IReadOnlyList<Difference> Factors => [.. Differences.Where(difference => difference.Role == DifferenceRole.Factor)];

    /// <summary>The differences in results.</summary>
    [JsonIgnore]
    public IReadOnlyList<Difference> Outcomes => [.. Differences.Where(difference => difference.Role == DifferenceRole.Outcome)];

    /// <summary>The differences of one section, in report order.</summary>
    /// <param name="section">The section.</param>
    public IReadOnlyList<Difference> In(DiffSection section) => [.. Differences.Where(difference => difference.Section == section)];
}
