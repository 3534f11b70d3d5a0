using System.IO.Compression;
using System.Text;
using Repro.Core.Runs;
using Repro.Core.Verification.Comparison;

namespace Repro.Core.Tests.Verification;

public sealed class ZipComparisonTests : IDisposable
{
    private static readonly DateTimeOffset Monday = new(2024, 3, 4, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Friday = new(2024, 3, 8, 17, 30, 0, TimeSpan.Zero);

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Compare_SameEntriesWithOtherTimesOrderAndCompression_IsEquivalentSayingWhy()
    {
        var recorded = Zip("a/model.zip", [Entry("Schema", "schema"), Entry("TrainingInfo/Version.txt", "1.0"), Entry("Model/weights.bin", Repeat("w", 4000))], Monday, CompressionLevel.Optimal);
        var actual = Zip("b/model.zip", [Entry("Model/weights.bin", Repeat("w", 4000)), Entry("Schema", "schema"), Entry("TrainingInfo/Version.txt", "1.0")], Friday, CompressionLevel.NoCompression);

        var result = FileComparer.Compare(recorded, actual, ComparisonTolerance.Exact);

        Assert.Equal(ComparisonOutcome.Equivalent, result.Outcome);
        Assert.Equal(ComparerName.Zip, result.Comparer);
        Assert.Equal("same content, container metadata differs", result.Summary);
        Assert.Contains("entry times differ for 3 of 3 entries", result.Details);
        Assert.Contains("entry order differs", result.Details);
        Assert.Contains(result.Details, d => d.StartsWith("compressed sizes differ for", StringComparison.Ordinal));
    }

    [Fact]
    public void Compare_ChangedBinaryEntry_IsDifferentNamingTheEntryAndOffset()
    {
        var recorded = Zip("a/model.zip", [Entry("Schema", "schema"), Entry("Model/weights.bin", "\0\u0001\u0002\u0003")], Monday, CompressionLevel.Optimal);
        var actual = Zip("b/model.zip", [Entry("Schema", "schema"), Entry("Model/weights.bin", "\0\u0001\u0009\u0003")], Monday, CompressionLevel.Optimal);

        var result = FileComparer.Compare(recorded, actual, ComparisonTolerance.Exact);

        Assert.Equal(ComparisonOutcome.Different, result.Outcome);
        Assert.Equal("zip differs: changed Model/weights.bin; recorded has 2 entries", result.Summary);
        Assert.Equal("changed: Model/weights.bin: binary content differs: 1 of 4 bytes differ, first at byte offset 2 (0x2)", result.Details[0]);
    }

    [Fact]
    public void Compare_AddedAndRemovedEntries_ListsThem()
    {
        var recorded = Zip("a/m.zip", [Entry("keep", "k"), Entry("old.bin", "o")], Monday, CompressionLevel.Optimal);
        var actual = Zip("b/m.zip", [Entry("keep", "k"), Entry("new.bin", "nn")], Monday, CompressionLevel.Optimal);

        var result = FileComparer.Compare(recorded, actual, ComparisonTolerance.Exact);

        Assert.Equal(ComparisonOutcome.Different, result.Outcome);
        Assert.Equal("zip differs: added new.bin; removed old.bin; recorded has 2 entries", result.Summary);
        Assert.Contains("removed: old.bin (1 byte)", result.Details);
        Assert.Contains("added: new.bin (2 bytes)", result.Details);
    }

    [Fact]
    public void Compare_ChangedJsonEntry_ReportsThePathInsideTheEntry()
    {
        var recorded = Zip("a/r.zip", [Entry("metrics.json", "{\"rmse\": 0.5}")], Monday, CompressionLevel.Optimal);
        var actual = Zip("b/r.zip", [Entry("metrics.json", "{\"rmse\": 0.75}")], Monday, CompressionLevel.Optimal);

        var result = FileComparer.Compare(recorded, actual, ComparisonTolerance.Exact);

        Assert.Equal(ComparisonOutcome.Different, result.Outcome);
        Assert.Contains("  $.rmse: recorded 0.5, re-created 0.75 (abs diff 0.25, rel diff 0.5)", result.Details);
        Assert.Equal("metrics.json: $.rmse", result.LargestDifference?.Location);
    }

    [Fact]
    public void Compare_JsonEntryWithinTolerance_IsEquivalentNamingTheEntry()
    {
        var recorded = Zip("a/r.zip", [Entry("metrics.json", "{\"rmse\": 0.5}"), Entry("w.bin", "w")], Monday, CompressionLevel.Optimal);
        var actual = Zip("b/r.zip", [Entry("metrics.json", "{\"rmse\": 0.5000001}"), Entry("w.bin", "w")], Monday, CompressionLevel.Optimal);

        var result = FileComparer.Compare(recorded, actual, new ComparisonTolerance(1e-3, 0));

        Assert.Equal(ComparisonOutcome.Equivalent, result.Outcome);
        Assert.Equal("same zip entries; 1 entry equivalent (metrics.json), the others hold the same bytes", result.Summary);
    }

    [Fact]
    public void Compare_ZipAgainstNonZip_IsDifferentAndSaysSo()
    {
        var recorded = Zip("a/m.zip", [Entry("x", "x")], Monday, CompressionLevel.Optimal);
        var actual = _dir.Write("b/m.zip", "not a zip");

        var result = FileComparer.Compare(recorded, actual, ComparisonTolerance.Exact);

        Assert.Equal(ComparisonOutcome.Different, result.Outcome);
        Assert.Equal(ComparerName.Binary, result.Comparer);
        Assert.Equal("recorded is a zip archive, re-created is not", result.Details[0]);
    }

    [Fact]
    public void Compare_NestedZipWithOtherTimes_IsEquivalent()
    {
        var inner1 = File.ReadAllBytes(Zip("inner1.zip", [Entry("a.txt", "a")], Monday, CompressionLevel.Optimal));
        var inner2 = File.ReadAllBytes(Zip("inner2.zip", [Entry("a.txt", "a")], Friday, CompressionLevel.Optimal));
        var recorded = Zip("a/outer.zip", [("inner.zip", inner1)], Monday, CompressionLevel.Optimal);
        var actual = Zip("b/outer.zip", [("inner.zip", inner2)], Monday, CompressionLevel.Optimal);

        var result = FileComparer.Compare(recorded, actual, ComparisonTolerance.Exact);

        Assert.Equal(ComparisonOutcome.Equivalent, result.Outcome);
        Assert.Contains("equivalent: inner.zip: same content, container metadata differs", result.Details);
    }

    private static (string, byte[]) Entry(string name, string content) => (name, Encoding.UTF8.GetBytes(content));

    private static string Repeat(string text, int count) => string.Concat(Enumerable.Repeat(text, count));

    /// <summary>Writes a zip whose entries are written in the order given, with the given time and compression.</summary>
    private string Zip(string name, IEnumerable<(string Entry, byte[] Content)> entries, DateTimeOffset time, CompressionLevel level)
    {
        var path = _dir.Combine(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var archive = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (entryName, content) in entries)
        {
            var entry = archive.CreateEntry(entryName, level);
            entry.LastWriteTime = time;
            using var stream = entry.Open();
            stream.Write(content);
        }

        return path;
    }
}
