using Repro.Core.Runs;
using Repro.Core.Verification.Comparison;

namespace Repro.Core.Tests.Verification;

public sealed class TextAndBinaryComparisonTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Compare_TextChangedLine_GivesLineColumnAndBothVersions()
    {
        var result = Compare("model: a\nseed: 42\nend\n", "model: a\nseed: 43\nend\n");

        Assert.Equal(ComparisonOutcome.Different, result.Outcome);
        Assert.Equal(ComparerName.Text, result.Comparer);
        Assert.Equal("text differs from line 2, column 8", result.Summary);
        Assert.Equal(["recorded:   \"seed: 42\"", "re-created: \"seed: 43\"", "lines: recorded 3, re-created 3"], result.Details);
    }

    [Fact]
    public void Compare_LongLines_AreCutAroundTheDifference()
    {
        var prefix = new string('x', 1000);
        var result = Compare(prefix + "OLD" + new string('y', 1000) + "\n", prefix + "NEW" + new string('y', 1000) + "\n");

        var recordedLine = result.Details[0];
        Assert.True(recordedLine.Length < 150, recordedLine);
        Assert.Contains("OLD", recordedLine, StringComparison.Ordinal);
        Assert.StartsWith("recorded:   ...\"xxx", recordedLine, StringComparison.Ordinal);
        Assert.EndsWith("yyy\"...", recordedLine, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_ReCreatedTextShorter_SaysWhereItEnds()
    {
        var result = Compare("a\nb\nc\n", "a\nb\n");

        Assert.Equal("text differs: re-created ends after line 2", result.Summary);
        Assert.Equal(["recorded line 3: \"c\"", "lines: recorded 3, re-created 2"], result.Details);
    }

    [Fact]
    public void Compare_OnlyLineEndingsDiffer_IsEquivalent()
    {
        var result = Compare("a\r\nb\r\n", "a\nb");

        Assert.Equal(ComparisonOutcome.Equivalent, result.Outcome);
        Assert.Equal("same lines of text; differs only in line endings, the final newline or a byte-order mark", result.Summary);
    }

    [Fact]
    public void Compare_Binary_GivesFirstOffsetSizesAndCount()
    {
        var recorded = _dir.Write("a/w.bin", [0, 1, 2, 3, 4, 5, 0xff]);
        var actual = _dir.Write("b/w.bin", [0, 1, 2, 9, 4, 6, 0xff]);

        var result = FileComparer.Compare(recorded, actual, ComparisonTolerance.Exact);

        Assert.Equal(ComparerName.Binary, result.Comparer);
        Assert.Equal("binary content differs: 2 of 7 bytes differ, first at byte offset 3 (0x3)", result.Summary);
        Assert.Equal(["sizes: recorded 7 bytes, re-created 7 bytes", "first difference at byte offset 3 (0x3): recorded 0x03, re-created 0x09"], result.Details);
    }

    [Fact]
    public void Compare_BinaryAcrossChunks_FindsTheOffsetPastTheFirstChunk()
    {
        var content = new byte[300_000];
        content[0] = 0xff;
        var changed = (byte[])content.Clone();
        changed[200_001] = 1;

        var result = FileComparer.Compare(_dir.Write("a/w.bin", content), _dir.Write("b/w.bin", changed), ComparisonTolerance.Exact);

        Assert.Equal("binary content differs: 1 of 300000 bytes differ, first at byte offset 200001 (0x30d41)", result.Summary);
    }

    [Fact]
    public void Compare_BinaryTruncated_SaysHowFarItMatches()
    {
        var result = FileComparer.Compare(_dir.Write("a/w.bin", [0, 1, 2, 3]), _dir.Write("b/w.bin", [0, 1]), ComparisonTolerance.Exact);

        Assert.Equal("binary content differs: re-created is cut short at 2 of the recorded 4 bytes", result.Summary);
    }

    [Fact]
    public void Compare_InvalidUtf8_IsComparedAsBinary()
    {
        var result = FileComparer.Compare(_dir.Write("a/x.txt", [0x61, 0xc3, 0x28]), _dir.Write("b/x.txt", [0x61, 0xc3, 0x29]), ComparisonTolerance.Exact);

        Assert.Equal(ComparerName.Binary, result.Comparer);
    }

    private ComparisonResult Compare(string recorded, string actual) =>
        FileComparer.Compare(_dir.Write("recorded/log.txt", recorded), _dir.Write("actual/log.txt", actual), ComparisonTolerance.Exact);
}
