using Repro.Core.Runs;
using Repro.Core.Verification.Comparison;

namespace Repro.Core.Tests.Verification;

public sealed class CsvComparisonTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Compare_ChangedCell_NamesRowColumnAndHeader()
    {
        var result = Compare("epoch,loss,acc\n1,0.9,0.5\n2,0.8,0.6\n", "epoch,loss,acc\n1,0.9,0.5\n2,0.7,0.6\n");

        Assert.Equal(ComparisonOutcome.Different, result.Outcome);
        Assert.Equal(ComparerName.Csv, result.Comparer);
        Assert.Equal("row 3, column 2 (loss): recorded 0.8, re-created 0.7 (abs diff 0.1, rel diff 0.125)", Assert.Single(result.Details));
        Assert.Equal(
            "CSV differs: 1 cell in 1 row differs, first at row 3, column 2 (loss); largest numeric difference 0.1 at row 3, column 2 (loss)",
            result.Summary);
    }

    [Fact]
    public void Compare_SeveralNumericDifferences_ReportsTheLargestAndWhere()
    {
        var result = Compare("x,y\n1,10\n2,20\n3,30\n", "x,y\n1.1,10\n2,20.5\n3,33\n");

        Assert.Equal(ComparisonOutcome.Different, result.Outcome);
        Assert.Equal("row 4, column 2 (y)", result.LargestDifference?.Location);
        Assert.Equal(3, result.LargestDifference!.AbsoluteDifference, 12);
        Assert.Contains("3 cells in 3 rows differ, first at row 2, column 1 (x)", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_DifferencesWithinTolerance_IsEquivalentWithTheLargest()
    {
        var result = Compare("x,y\n1,100\n", "x,y\n1.0000001,100.01\n", new ComparisonTolerance(1e-3, 0));

        Assert.Equal(ComparisonOutcome.Equivalent, result.Outcome);
        Assert.Equal(
            "CSV equal within tolerance (rtol 0.001, atol 0): 2 numeric cells differ; largest numeric difference 0.01 at row 2, column 2 (y)",
            result.Summary);
    }

    [Fact]
    public void Compare_AbsoluteToleranceNearZero_DecidesTheCell()
    {
        var within = Compare("v\n0\n", "v\n0.0004\n", new ComparisonTolerance(0, 1e-3));
        var outside = Compare("v\n0\n", "v\n0.004\n", new ComparisonTolerance(0, 1e-3));

        Assert.Equal(ComparisonOutcome.Equivalent, within.Outcome);
        Assert.Equal(ComparisonOutcome.Different, outside.Outcome);
    }

    [Fact]
    public void Compare_RowCountDiffers_ReportsBothCounts()
    {
        var result = Compare("a,b\n1,2\n3,4\n5,6\n", "a,b\n1,2\n3,4\n");

        Assert.Equal(ComparisonOutcome.Different, result.Outcome);
        Assert.Equal("CSV differs: recorded 4 rows, re-created 3", result.Summary);
        Assert.Equal(["row 4 is only in the recorded file: \"5,6\"", "row count differs: recorded 4, re-created 3"], result.Details);
    }

    [Fact]
    public void Compare_ColumnAdded_NamesTheNewColumn()
    {
        var result = Compare("a,b\n1,2\n", "a,b,c\n1,2,3\n");

        Assert.Equal(
            ["row 1: column count differs: recorded 2, re-created 3; re-created adds column 3 (c)", "row 2: cell count differs: recorded 2, re-created 3; re-created adds column 3 \"3\""],
            result.Details);
    }

    [Fact]
    public void Compare_QuotedFieldsWithDelimitersNewlinesAndQuotes_AreCellsNotSyntax()
    {
        var recorded = "id,text\r\n1,\"a, b\"\r\n2,\"two\nlines\"\r\n3,\"say \"\"hi\"\"\"\r\n";
        var requoted = "id,text\n\"1\",\"a, b\"\n2,\"two\nlines\"\n3,\"say \"\"hi\"\"\"\n";
        var changed = "id,text\n1,\"a, b\"\n2,\"two\nlines\"\n3,\"say \"\"bye\"\"\"\n";

        var same = Compare(recorded, requoted);
        var different = Compare(recorded, changed);

        Assert.Equal(ComparisonOutcome.Equivalent, same.Outcome);
        Assert.Equal("same CSV cells; differs only in quoting or line endings", same.Summary);
        Assert.Equal("row 4, column 2 (text): recorded \"say \\\"hi\\\"\", re-created \"say \\\"bye\\\"\"", Assert.Single(different.Details));
    }

    [Fact]
    public void Compare_UnterminatedQuote_FallsBackToTextAndSaysWhy()
    {
        var result = Compare("a\n\"open\n", "a\nclosed\n");

        Assert.Equal(ComparerName.Text, result.Comparer);
        Assert.Equal("not valid CSV (the quoted field that starts on line 2 never closes); compared as text", result.Details[0]);
    }

    [Fact]
    public void Compare_Tsv_SplitsOnTabs()
    {
        var result = Compare("name\tscore\nx,y\t1.5\n", "name\tscore\nx,y\t2.5\n", name: "scores.tsv");

        Assert.Equal(ComparerName.Csv, result.Comparer);
        Assert.StartsWith("TSV differs", result.Summary, StringComparison.Ordinal);
        Assert.StartsWith("row 2, column 2 (score): recorded 1.5, re-created 2.5", Assert.Single(result.Details), StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_SemicolonCsv_IsDetected()
    {
        var result = Compare("a;b\n1;2\n", "a;b\n1;3\n");

        Assert.StartsWith("row 2, column 2 (b)", Assert.Single(result.Details), StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_NoHeaderRow_ReportsColumnNumbersOnly()
    {
        var result = Compare("1,2\n3,4\n", "1,2\n3,5\n");

        Assert.StartsWith("row 2, column 2: recorded 4", Assert.Single(result.Details), StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_NaNCells_MatchOnlyNaN()
    {
        var same = Compare("v\nnan\n1\n", "v\nNaN\n1.0\n");
        var changed = Compare("v\nnan\n", "v\n0\n", new ComparisonTolerance(1, 1));

        Assert.Equal(ComparisonOutcome.Equivalent, same.Outcome);
        Assert.Equal("same CSV cells; differs only in number spelling and quoting or line endings", same.Summary);
        Assert.Equal(ComparisonOutcome.Different, changed.Outcome);
    }

    [Fact]
    public void Compare_ByteOrderMarkOnOneSide_IsNotPartOfTheFirstHeader()
    {
        var result = Compare("\uFEFFid,score\n1,0.5\n", "id,score\n1,0.6\n");

        Assert.Equal("row 2, column 2 (score): recorded 0.5, re-created 0.6 (abs diff 0.1, rel diff 0.2)", Assert.Single(result.Details));
    }

    [Fact]
    public void Compare_TextCellsChanged_ShowsBothValues()
    {
        var result = Compare("label\ncat\n", "label\ndog\n");

        Assert.Equal("row 2, column 1 (label): recorded \"cat\", re-created \"dog\"", Assert.Single(result.Details));
    }

    private ComparisonResult Compare(string recorded, string actual, ComparisonTolerance? tolerance = null, string name = "predictions.csv") =>
        FileComparer.Compare(_dir.Write($"recorded/{name}", recorded), _dir.Write($"actual/{name}", actual), tolerance ?? ComparisonTolerance.Exact);
}
