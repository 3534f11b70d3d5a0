using System.Text;
using Repro.Core.Capture.Results;
using Repro.Core.Runs;

namespace Repro.Core.Tests.Capture.Results;

public sealed class MetricsFileTests : IDisposable
{
    private readonly TempDirectory _temp = new("metrics");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Parse_OneNaNAsPythonWritesIt_KeepsEveryValue()
    {
        var warnings = new List<string>();

        var values = Parse("{\"loss\": NaN, \"acc\": 0.9}", warnings);

        Assert.Empty(warnings);
        Assert.Equal(["acc", "loss"], values.Keys);
        Assert.True(double.IsNaN(values["loss"]));
        Assert.Equal(0.9, values["acc"]);
    }

    [Fact]
    public void Parse_InfinitiesBareAndAsStrings_AreNumbers()
    {
        var values = Parse("{\"a\": Infinity, \"b\": -Infinity, \"c\": \"NaN\", \"d\": \"-Infinity\", \"e\": 1e-3}", []);

        Assert.Equal(double.PositiveInfinity, values["a"]);
        Assert.Equal(double.NegativeInfinity, values["b"]);
        Assert.True(double.IsNaN(values["c"]));
        Assert.Equal(double.NegativeInfinity, values["d"]);
        Assert.Equal(0.001, values["e"]);
    }

    [Fact]
    public void Parse_ValueThatIsNotANumber_IsLeftOutWithAWarningAndTheOthersKept()
    {
        var warnings = new List<string>();

        var values = Parse("{\"name\": \"resnet\", \"acc\": 0.5, \"list\": [1]}", warnings);

        Assert.Equal(["acc"], values.Keys);
        Assert.Equal(["metrics file m.json: 'name' is not a number: ignored", "metrics file m.json: 'list' is not a number: ignored"], warnings);
    }

    [Theory]
    [InlineData("[1, 2]", "metrics file m.json is not a JSON object of name to number: ignored")]
    [InlineData("{\"a\": nan}", "metrics file m.json is not valid JSON (line 1, column 7: unexpected character 'n', expected a value): ignored")]
    public void Parse_NotAnObjectOfNumbers_RecordsNothingWithOneWarning(string json, string expected)
    {
        var warnings = new List<string>();

        Assert.Empty(Parse(json, warnings));
        Assert.Equal([expected], warnings);
    }

    [Fact]
    public void Read_FileWrittenDuringTheRun_IsRecordedWithItsHashAndRelativeName()
    {
        var project = _temp.Folder("project");
        var folder = new RunFolder(_temp.Folder("store/runs/r"));
        var metrics = MetricsFile.Before("out/metrics.json", project, folder);
        _temp.Write("project/out/metrics.json", "{\"acc\": 1}");

        var record = metrics.Read(objects: null, []);

        Assert.Equal("out/metrics.json", record!.File);
        Assert.Equal(1.0, record.Values["acc"]);
        Assert.Equal(64, record.Sha256!.Length);
    }

    [Fact]
    public void Read_FileTheRunDidNotRewrite_IsNotRecorded()
    {
        var project = _temp.Folder("project");
        var folder = new RunFolder(_temp.Folder("store/runs/r"));
        _temp.Write("project/metrics.json", "{\"acc\": 1}");
        var metrics = MetricsFile.Before("metrics.json", project, folder);
        var warnings = new List<string>();

        Assert.Null(metrics.Read(objects: null, warnings));
        Assert.Equal(["metrics file metrics.json was not rewritten by this run: its metrics are not recorded"], warnings);
    }

    [Fact]
    public void Before_NothingDeclared_IsTheRunFoldersFile()
    {
        var folder = new RunFolder(_temp.Folder("store/runs/r"));

        var metrics = MetricsFile.Before(null, _temp.Folder("project"), folder);

        Assert.Equal(folder.DefaultMetrics, metrics.Path);
        Assert.Equal(RunFolder.DefaultMetricsFileName, metrics.DisplayPath);
        Assert.Null(metrics.Read(objects: null, []));
    }

    private static SortedDictionary<string, double> Parse(string json, List<string> warnings) =>
        MetricsFile.Parse(Encoding.UTF8.GetBytes(json), "m.json", warnings);
}
