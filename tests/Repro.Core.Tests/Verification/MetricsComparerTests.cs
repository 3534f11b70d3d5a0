using Repro.Core.Runs;
using Repro.Core.Verification.Comparison;

namespace Repro.Core.Tests.Verification;

public sealed class MetricsComparerTests
{
    [Fact]
    public void Compare_MissingAndAddedMetrics_AreDifferentAndSortedByName()
    {
        var results = MetricsComparer.Compare(
            Metrics(("rmse", 0.5), ("mae", 0.25)),
            Metrics(("rmse", 0.5), ("r2", 0.9)),
            ComparisonTolerance.Exact);

        Assert.Equal(["mae", "r2", "rmse"], results.Select(r => r.Name));
        Assert.Equal((ComparisonOutcome.Different, "missing from the re-created run (recorded 0.25)"), (results[0].Outcome, results[0].Summary));
        Assert.Null(results[0].Actual);
        Assert.Equal((ComparisonOutcome.Different, "not in the recorded run (re-created 0.9)"), (results[1].Outcome, results[1].Summary));
        Assert.Null(results[1].Recorded);
        Assert.Equal((ComparisonOutcome.Identical, "0.5 (identical)"), (results[2].Outcome, results[2].Summary));
    }

    [Fact]
    public void Compare_WithinDefaultTolerance_IsEquivalentWithDifferences()
    {
        var result = Assert.Single(MetricsComparer.Compare(Metrics(("acc", 0.8)), Metrics(("acc", 0.8008)), new ComparisonTolerance(1e-3, 0)));

        Assert.Equal(ComparisonOutcome.Equivalent, result.Outcome);
        Assert.Equal("recorded 0.8, re-created 0.8008: within tolerance (abs diff 0.0008, rel diff 0.001; tolerance rtol 0.001, atol 0)", result.Summary);
        Assert.Equal(0.0008, result.AbsoluteDifference!.Value, 12);
        Assert.Equal(0.001, result.RelativeDifference!.Value, 12);
    }

    [Fact]
    public void Compare_PerMetricTolerance_OverridesTheDefaultForThatMetricOnly()
    {
        var perMetric = new Dictionary<string, ComparisonTolerance>(StringComparer.Ordinal) { ["loss"] = new(0.1, 0) };

        var results = MetricsComparer.Compare(
            Metrics(("loss", 1.0), ("acc", 0.5)),
            Metrics(("loss", 1.05), ("acc", 0.51)),
            new ComparisonTolerance(0.001, 0),
            perMetric);

        var acc = results.Single(r => r.Name == "acc");
        var loss = results.Single(r => r.Name == "loss");
        Assert.Equal(ComparisonOutcome.Different, acc.Outcome);
        Assert.StartsWith("recorded 0.5, re-created 0.51: outside tolerance", acc.Summary, StringComparison.Ordinal);
        Assert.Equal(ComparisonOutcome.Equivalent, loss.Outcome);
        Assert.Equal(perMetric["loss"], loss.Tolerance);
    }

    [Fact]
    public void Compare_PerMetricToleranceTighterThanDefault_MakesItFail()
    {
        var perMetric = new Dictionary<string, ComparisonTolerance>(StringComparer.Ordinal) { ["auc"] = ComparisonTolerance.Exact };

        var result = Assert.Single(MetricsComparer.Compare(Metrics(("auc", 0.9)), Metrics(("auc", 0.9001)), new ComparisonTolerance(0.01, 0), perMetric));

        Assert.Equal(ComparisonOutcome.Different, result.Outcome);
        Assert.EndsWith("tolerance exact)", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_NaN_IsIdenticalToNaNAndDifferentFromANumber()
    {
        var results = MetricsComparer.Compare(
            Metrics(("a", double.NaN), ("b", double.NaN)),
            Metrics(("a", double.NaN), ("b", 1)),
            new ComparisonTolerance(1, 1));

        Assert.Equal(ComparisonOutcome.Identical, results[0].Outcome);
        Assert.Equal(ComparisonOutcome.Different, results[1].Outcome);
        Assert.Equal("recorded NaN, re-created 1: outside tolerance (NaN and infinities match only themselves; tolerance rtol 1, atol 1)", results[1].Summary);
        Assert.Null(results[1].AbsoluteDifference);
    }

    private static Dictionary<string, double> Metrics(params (string Name, double Value)[] values) =>
        values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
}
