using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.ML;
using Repro.Sdk.MLNet;
using Repro.Sdk.TestApp;

namespace Repro.Sdk.Tests.MLNet;

public sealed class DeterministicModelFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Save_SameTrainingInTwoProcesses_WritesByteIdenticalFiles()
    {
        // Different time zones prove the entry times do not follow the local clock.
        var first = TrainAndSaveInChildProcess("first.zip", "UTC");
        var second = TrainAndSaveInChildProcess("second.zip", "Asia/Kathmandu");

        Assert.Equal(Sha256(_temp.Combine("first.zip")), Sha256(_temp.Combine("second.zip")));
        Assert.Equal(first, second);
        Assert.Equal(Sha256(_temp.Combine("first.zip")), first);
    }

    [Fact]
    public void Save_Model_StampsEveryEntryWithTheFixedTimeInNameOrder()
    {
        var (ml, model, schema, _) = Train();

        DeterministicModelFile.Save(ml, model, schema, _temp.Combine("model.zip"), new DateTimeOffset(2024, 5, 6, 7, 8, 10, TimeSpan.Zero));

        using var zip = ZipFile.OpenRead(_temp.Combine("model.zip"));
        Assert.NotEmpty(zip.Entries);
        Assert.All(zip.Entries, e => Assert.Equal(new DateTime(2024, 5, 6, 7, 8, 10), e.LastWriteTime.DateTime));
        Assert.Equal(zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal), zip.Entries.Select(e => e.FullName));
    }

    [Fact]
    public void Save_Model_LoadsBackAndPredictsTheSame()
    {
        var (ml, model, schema, rows) = Train();

        DeterministicModelFile.Save(ml, model, schema, _temp.Combine("nested/model.zip"));
        var loaded = ml.Model.Load(_temp.Combine("nested/model.zip"), out _);

        var data = ml.Data.LoadFromEnumerable(rows);
        Assert.Equal(Training.Scores(ml, model, data), Training.Scores(ml, loaded, data));
    }

    [Fact]
    public void Save_Model_KeepsEveryEntrysContent()
    {
        var (ml, model, schema, _) = Train();
        using var original = new MemoryStream();
        ml.Model.Save(model, schema, original);

        DeterministicModelFile.Save(ml, model, schema, _temp.Combine("model.zip"));

        original.Position = 0;
        using var expected = new ZipArchive(original, ZipArchiveMode.Read);
        using var actual = ZipFile.OpenRead(_temp.Combine("model.zip"));
        Assert.Equal(
            expected.Entries.ToDictionary(e => e.FullName, Content),
            actual.Entries.ToDictionary(e => e.FullName, Content));
    }

    [Theory]
    [InlineData(null, "1980-01-01T00:00:00+00:00")]
    [InlineData("", "1980-01-01T00:00:00+00:00")]
    [InlineData("1700000000", "2023-11-14T22:13:20+00:00")]
    [InlineData("0", "1980-01-01T00:00:00+00:00")]
    public void EntryTimeFrom_SourceDateEpoch_GivesTheEntryTime(string? sourceDateEpoch, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), DeterministicModelFile.EntryTimeFrom(sourceDateEpoch));

    [Theory]
    [InlineData("yesterday")]
    [InlineData("-5")]
    [InlineData("1.5")]
    public void EntryTimeFrom_MalformedSourceDateEpoch_IsRejected(string sourceDateEpoch)
    {
        var error = Assert.Throws<ReproSdkException>(() => DeterministicModelFile.EntryTimeFrom(sourceDateEpoch));

        Assert.Equal($"SOURCE_DATE_EPOCH is '{sourceDateEpoch}', not a whole number of seconds since 1970-01-01.", error.Message);
    }

    private static (MLContext Ml, ITransformer Model, DataViewSchema Schema, List<Training.Row> Rows) Train()
    {
        var ml = new MLContext(1);
        var rows = Training.Rows(new Random(3), 300);
        var (model, _, schema) = Training.FitAndScore(ml, ml.BinaryClassification.Trainers.FastTree(numberOfLeaves: 4, numberOfTrees: 5), rows);
        return (ml, model, schema, rows);
    }

    private string TrainAndSaveInChildProcess(string fileName, string timeZone)
    {
        var result = DotnetHost.Run(
            [ReproRunTests.TestAppPath(), "train-and-save", _temp.Combine(fileName), "42"],
            _temp.Path,
            new Dictionary<string, string?> { ["TZ"] = timeZone, ["SOURCE_DATE_EPOCH"] = null });
        Assert.True(result.ExitCode == 0, result.Stderr);
        return result.Stdout.Trim();
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    private static string Content(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Convert.ToHexString(buffer.ToArray());
    }
}
