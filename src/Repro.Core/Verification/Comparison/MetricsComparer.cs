using Repro.Core.Runs;

namespace Repro.Core.Verification.Comparison;

/// <summary>
/// Compares the metrics of two runs by name. A metric passes when <c>|actual - recorded| &lt;= atol + rtol * |recorded|</c>
/// under its own tolerance, or the default one; NaN matches only NaN. A metric present on one side only is
/// <see cref="ComparisonOutcome.Different"/>: a run that stops or starts reporting a metric has not reproduced.
/// </summary>
public static class MetricsComparer
{
    /// <summary>Compares every metric under one tolerance.</summary>
    /// <param name="recorded">The recorded metrics.</param>
    /// <param name="actual">The re-created metrics.</param>
    /// <param name="defaultTolerance">The tolerance for every metric.</param>
    /// <returns>One comparison per metric on either side, sorted by name (ordinal).</returns>
    public static IReadOnlyList<MetricComparison> Compare(
        IReadOnlyDictionary<string, double> recorded,
        IReadOnlyDictionary<string, double> actual,
        ComparisonTolerance defaultTolerance) =>
        Compare(recorded, actual, defaultTolerance, new Dictionary<string, ComparisonTolerance>(StringComparer.Ordinal));

    /// <summary>Compares every metric, each under its own tolerance when it has one.</summary>
    /// <param name="recorded">The recorded metrics.</param>
    /// <param name="actual">The re-created metrics.</param>
    /// <param name="defaultTolerance">The tolerance for metrics without their own.</param>
    /// <param name="perMetric">Tolerances by metric name; names that match no metric are ignored.</param>
    /// <returns>One comparison per metric on either side, sorted by name (ordinal).</returns>
    public static IReadOnlyList<MetricComparison> Compare(
        IReadOnlyDictionary<string, double> recorded,
        IReadOnlyDictionary<string, double> actual,
        ComparisonTolerance defaultTolerance,
        IReadOnlyDictionary<string, ComparisonTolerance> perMetric)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(defaultTolerance);
        ArgumentNullException.ThrowIfNull(perMetric);
        var names = new SortedSet<string>(recorded.Keys, StringComparer.Ordinal);
        names.UnionWith(actual.Keys);
        var comparisons = new List<MetricComparison>(names.Count);
        foreach (var name in names)
        {
            var tolerance = perMetric.GetValueOrDefault(name) ?? defaultTolerance;
            var hasRecorded = recorded.TryGetValue(name, out var recordedValue);
            var hasActual = actual.TryGetValue(name, out var actualValue);
            comparisons.Add((hasRecorded, hasActual) switch
            {
                (true, false) => new MetricComparison(
                    name, recordedValue, null, tolerance, ComparisonOutcome.Different,
                    $"missing from the re-created run (recorded {DisplayText.Number(recordedValue)})"),
                (false, true) => new MetricComparison(
                    name, null, actualValue, tolerance, ComparisonOutcome.Different,
                    $"not in the recorded run (re-created {DisplayText.Number(actualValue)})"),
                _ => CompareValues(name, recordedValue, actualValue, tolerance),
            });
        }

        return comparisons;
    }

    private static MetricComparison CompareValues(string name, double recorded, double actual, ComparisonTolerance tolerance)
    {
        var check = NumberComparison.Compare(recorded, actual, tolerance);
        if (check.Verdict == NumberVerdict.Equal)
        {
            return new MetricComparison(name, recorded, actual, tolerance, ComparisonOutcome.Identical, $"{DisplayText.Number(recorded)} (identical)");
        }

        var values = $"recorded {DisplayText.Number(recorded)}, re-created {DisplayText.Number(actual)}";
        var finite = !double.IsNaN(check.Absolute);
        var differences = finite ? DisplayText.Differences(check.Absolute, check.Relative) : DisplayText.NotComparable;
        var verdict = check.Verdict == NumberVerdict.WithinTolerance ? "within tolerance" : "outside tolerance";
        return new MetricComparison(
            name,
            recorded,
            actual,
            tolerance,
            check.Verdict == NumberVerdict.WithinTolerance ? ComparisonOutcome.Equivalent : ComparisonOutcome.Different,
            $"{values}: {verdict} ({differences}; tolerance {tolerance})")
        {
            AbsoluteDifference = finite ? check.Absolute : null,
            RelativeDifference = finite ? check.Relative : null,
        };
    }
}
