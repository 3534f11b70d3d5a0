using Repro.Core.Runs;

namespace Repro.Core.Verification.Comparison;

/// <summary>The comparison of one metric.</summary>
/// <param name="Name">The metric's name.</param>
/// <param name="Recorded">The recorded value; null when the metric is new in the re-created run.</param>
/// <param name="Actual">The re-created value; null when the re-created run did not write it.</param>
/// <param name="Tolerance">The tolerance applied: the metric's own, or the default.</param>
/// <param name="Outcome">
/// Identical (the same double, NaN included), equivalent (within tolerance) or different (outside it, or present on one side only).
/// </param>
/// <param name="Summary">One line for a person, with both values and the differences.</param>
public sealed record MetricComparison(
    string Name,
    double? Recorded,
    double? Actual,
    ComparisonTolerance Tolerance,
    ComparisonOutcome Outcome,
    string Summary)
{
    /// <summary><c>|Actual - Recorded|</c> when both are finite numbers that differ; null otherwise.</summary>
    public double? AbsoluteDifference { get; init; }

    /// <summary><c>|Actual - Recorded| / |Recorded|</c> (infinity when recorded is 0) when both are finite numbers that differ; null otherwise.</summary>
    public double? RelativeDifference { get; init; }
}
