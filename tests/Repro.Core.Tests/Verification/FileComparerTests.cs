using Repro.Core.Errors;
using Repro.Core.Runs;
using Repro.Core.Verification.Comparison;

namespace Repro.Core.Tests.Verification;

public sealed class FileComparerTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Compare_SameBytes_IsIdenticalBySha256()
    {
        var recorded = _dir.Write("a/model.bin", "weights");
        var actual = _dir.Write("b/model.bin", "weights");

        var result = FileComparer.Compare(recorded, actual, ComparisonTolerance.Exact);

        Assert.Equal(ComparisonOutcome.Identical, result.Outcome);
        Assert.Equal(ComparerName.Sha256, result.Comparer);
        Assert.StartsWith("bit-identical (sha256 ", result.Summary, StringComparison.Ordinal);
        Assert.Empty(result.Details);
    }

    [Fact]
    public void Compare_EqualHashesGiven_DoesNotReadTheFiles()
    {
        var hash = new string('a', 64);

        var result = FileComparer.Compare(
            new ComparedFile(Path.Combine(_dir.Path, "gone"), hash),
            new ComparedFile(Path.Combine(_dir.Path, "also-gone"), hash.ToUpperInvariant()),
            ComparisonTolerance.Exact);

        Assert.Equal(ComparisonOutcome.Identical, result.Outcome);
    }

    [Fact]
    public void Compare_RecordedContentKeptUnderItsHash_IsComparedByTheNameItHadForTheUser()
    {
        var recorded = _dir.Write("objects/ab/ab12cd", "{\"value\": 1.000001}");
        var actual = _dir.Write("project/result.json", "{\"value\": 1.000002}");

        var result = FileComparer.Compare(
            new ComparedFile(recorded, null) { Name = "result.json" },
            new ComparedFile(actual, null),
            new ComparisonTolerance(0, 1e-3));

        Assert.Equal(ComparisonOutcome.Equivalent, result.Outcome);
        Assert.Equal(ComparerName.Json, result.Comparer);
    }

    [Fact]
    public void Compare_RecordedContentNotKept_SaysTheHashesDifferAndWhyNoMore()
    {
        var actual = _dir.Write("out.txt", "new");

        var result = FileComparer.Compare(new ComparedFile(null, new string('0', 64)), new ComparedFile(actual, null), ComparisonTolerance.Exact);

        Assert.Equal(ComparisonOutcome.Different, result.Outcome);
        Assert.Equal(ComparerName.Sha256, result.Comparer);
        Assert.Contains("recorded content was not kept", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_ReCreatedFileMissing_IsDifferentAsMissing()
    {
        var recorded = _dir.Write("out.txt", "x");

        var result = FileComparer.Compare(recorded, Path.Combine(_dir.Path, "none.txt"), ComparisonTolerance.Exact);

        Assert.Equal(ComparisonOutcome.Different, result.Outcome);
        Assert.Equal(ComparerName.Missing, result.Comparer);
        Assert.Equal("missing from the re-created run", result.Summary);
    }

    [Fact]
    public void Compare_RecordedFileMissing_RaisesStoreErrorNamingIt()
    {
        var missing = Path.Combine(_dir.Path, "store", "out.txt");
        var actual = _dir.Write("out.txt", "x");

        var error = Assert.Throws<StoreException>(() => FileComparer.Compare(missing, actual, ComparisonTolerance.Exact));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_SideWithNeitherPathNorHash_IsRejected()
    {
        Assert.Throws<ArgumentException>(() =>
            FileComparer.Compare(new ComparedFile(null, null), new ComparedFile("x", null), ComparisonTolerance.Exact));
    }

    [Fact]
    public void Compare_JsonExtensionButInvalidJson_FallsBackToTextAndSaysWhere()
    {
        var recorded = _dir.Write("a/r.json", "{\"a\": 1,\n oops}");
        var actual = _dir.Write("b/r.json", "{\"a\": 2}");

        var result = FileComparer.Compare(recorded, actual, ComparisonTolerance.Exact);

        Assert.Equal(ComparerName.Text, result.Comparer);
        Assert.Equal(ComparisonOutcome.Different, result.Outcome);
        Assert.Equal("recorded is not valid JSON (line 2, column 2: expected a quoted key); compared as text", result.Details[0]);
    }

    [Fact]
    public void Compare_ManyDifferences_CapsTheDetailsAndCountsTheRest()
    {
        var recorded = _dir.Write("a/r.json", "[" + string.Join(",", Enumerable.Range(0, 80)) + "]");
        var actual = _dir.Write("b/r.json", "[" + string.Join(",", Enumerable.Range(1, 80)) + "]");

        var result = FileComparer.Compare(recorded, actual, ComparisonTolerance.Exact);

        Assert.Equal(FileComparer.MaxDetails + 1, result.Details.Count);
        Assert.Equal("... and 30 more", result.Details[^1]);
        Assert.Contains("differs at 80 paths", result.Summary, StringComparison.Ordinal);
    }
}
