using Repro.Core.Runs;
using Repro.Core.Verification.Comparison;

namespace Repro.Core.Tests.Verification;

public sealed class JsonComparisonTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Compare_ReorderedKeysAndOtherWhitespace_IsEquivalentSayingOnlyKeyOrderDiffers()
    {
        var result = Compare("{\"a\": 1, \"b\": {\"x\": [1, 2], \"y\": null}}", "{\n  \"b\": {\"y\": null, \"x\": [1,2]},\n  \"a\": 1\n}");

        Assert.Equal(ComparisonOutcome.Equivalent, result.Outcome);
        Assert.Equal(ComparerName.Json, result.Comparer);
        Assert.Equal("same JSON content; differs only in key order and formatting", result.Summary);
        Assert.Empty(result.Details);
    }

    [Fact]
    public void Compare_SameNumberSpelledDifferently_IsEquivalent()
    {
        var result = Compare("{\"n\": 1, \"m\": 100}", "{\"n\": 1.0, \"m\": 1e2}");

        Assert.Equal(ComparisonOutcome.Equivalent, result.Outcome);
        Assert.Equal("same JSON content; differs only in number spelling and formatting", result.Summary);
    }

    [Fact]
    public void Compare_NumberOutsideExactTolerance_ReportsPathValuesAndDifferences()
    {
        var result = Compare("{\"metrics\": {\"rmse\": 0.5}}", "{\"metrics\": {\"rmse\": 0.51}}");

        Assert.Equal(ComparisonOutcome.Different, result.Outcome);
        Assert.Equal("$.metrics.rmse: recorded 0.5, re-created 0.51 (abs diff 0.01, rel diff 0.02)", Assert.Single(result.Details));
        Assert.Equal("JSON differs at 1 path, first at $.metrics.rmse; largest numeric difference 0.01 at $.metrics.rmse", result.Summary);
        Assert.Equal(0.5, result.LargestDifference?.Recorded);
        Assert.Equal(0.51, result.LargestDifference?.Actual);
    }

    [Fact]
    public void Compare_NumberWithinRelativeTolerance_IsEquivalentWithTheLargestDifference()
    {
        var result = Compare("{\"a\": [100.0, 200.0]}", "{\"a\": [100.5, 201.5]}", new ComparisonTolerance(0.01, 0));

        Assert.Equal(ComparisonOutcome.Equivalent, result.Outcome);
        Assert.Equal("JSON equal within tolerance (rtol 0.01, atol 0): 2 numbers differ; largest numeric difference 1.5 at $.a[1]", result.Summary);
    }

    [Fact]
    public void Compare_NumberOutsideRelativeTolerance_IsDifferent()
    {
        var result = Compare("{\"a\": 100.0}", "{\"a\": 101.5}", new ComparisonTolerance(0.01, 0));

        Assert.Equal(ComparisonOutcome.Different, result.Outcome);
    }

    [Fact]
    public void Compare_NearZeroWithAbsoluteTolerance_PassesWhereRelativeCannot()
    {
        var within = Compare("{\"bias\": 0}", "{\"bias\": 5e-9}", new ComparisonTolerance(0.5, 1e-8));
        var outside = Compare("{\"bias\": 0}", "{\"bias\": 5e-8}", new ComparisonTolerance(0.5, 1e-8));

        Assert.Equal(ComparisonOutcome.Equivalent, within.Outcome);
        Assert.Equal(ComparisonOutcome.Different, outside.Outcome);
        Assert.Equal("$.bias: recorded 0, re-created 5e-8 (abs diff 5E-08, rel diff inf)", Assert.Single(outside.Details));
    }

    [Fact]
    public void Compare_PythonNaNAndInfinity_NaNMatchesOnlyNaN()
    {
        var same = Compare("{\"loss\": NaN, \"max\": Infinity, \"min\": -Infinity}", "{\"min\": -Infinity, \"loss\": NaN, \"max\": Infinity}");
        var changed = Compare("{\"loss\": NaN}", "{\"loss\": 0.5}", new ComparisonTolerance(1, 1));

        Assert.Equal(ComparisonOutcome.Equivalent, same.Outcome);
        Assert.Equal(ComparisonOutcome.Different, changed.Outcome);
        Assert.Equal("$.loss: recorded NaN, re-created 0.5 (NaN and infinities match only themselves)", Assert.Single(changed.Details));
    }

    [Fact]
    public void Compare_NestedArrays_ReportIndexedPaths()
    {
        var result = Compare("{\"w\": [[1, 2], [3, 4]]}", "{\"w\": [[1, 2], [3, 5]]}");

        Assert.Equal("$.w[1][1]: recorded 4, re-created 5 (abs diff 1, rel diff 0.25)", Assert.Single(result.Details));
    }

    [Fact]
    public void Compare_ArrayLengthDiffers_SaysByHowManyAndComparesTheRest()
    {
        var result = Compare("[1, 2, 3]", "[1, 9]");

        Assert.Equal(ComparisonOutcome.Different, result.Outcome);
        Assert.Equal(
            ["$: array length differs: recorded 3, re-created 2; re-created lacks items [2..2]", "$[1]: recorded 2, re-created 9 (abs diff 7, rel diff 3.5)"],
            result.Details);
    }

    [Fact]
    public void Compare_TypeMismatch_NamesBothTypes()
    {
        var result = Compare("{\"epochs\": 10}", "{\"epochs\": \"10\"}");

        Assert.Equal("$.epochs: type differs: recorded number 10, re-created string \"10\"", Assert.Single(result.Details));
    }

    [Fact]
    public void Compare_MissingAndAddedKeys_AreEachReported()
    {
        var result = Compare("{\"a\": 1, \"gone\": {\"x\": 1}}", "{\"a\": 1, \"new key\": [1, 2]}");

        Assert.Equal(
            ["$.gone: missing from the re-created output (recorded object with 1 key)", "$['new key']: not in the recorded output (re-created array of 2 items)"],
            result.Details);
    }

    [Fact]
    public void Compare_StringsDiffer_ShowsBothQuoted()
    {
        var result = Compare("{\"s\": \"line\\nbreak\"}", "{\"s\": \"line break\"}");

        Assert.Equal("$.s: recorded \"line\\nbreak\", re-created \"line break\"", Assert.Single(result.Details));
    }

    [Fact]
    public void Compare_IntegersBeyondDoublePrecision_StillCompareExactly()
    {
        var result = Compare("{\"id\": 9007199254740993}", "{\"id\": 9007199254740992}");

        Assert.Equal(ComparisonOutcome.Different, result.Outcome);
    }

    [Fact]
    public void Compare_JsonLines_ReportsTheLine()
    {
        var result = Compare("{\"step\": 1, \"loss\": 0.9}\n{\"step\": 2, \"loss\": 0.8}\n", "{\"step\": 1, \"loss\": 0.9}\n{\"step\": 2, \"loss\": 0.7}\n", name: "log.jsonl");

        Assert.Equal(ComparisonOutcome.Different, result.Outcome);
        Assert.StartsWith("JSON Lines differs", result.Summary, StringComparison.Ordinal);
        Assert.StartsWith("line 2 $.loss: recorded 0.8, re-created 0.7", Assert.Single(result.Details), StringComparison.Ordinal);
    }

    private ComparisonResult Compare(string recorded, string actual, ComparisonTolerance? tolerance = null, string name = "result.json") =>
        FileComparer.Compare(_dir.Write($"recorded/{name}", recorded), _dir.Write($"actual/{name}", actual), tolerance ?? ComparisonTolerance.Exact);
}
