using System.Text.Json.Nodes;

namespace Repro.Sdk.Tests;

public sealed class ReproRunTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly Dictionary<string, string?> _variables;

    public ReproRunTests()
    {
        File.WriteAllText(_temp.Combine("params.json"), """{"epochs":"3","lr":"0.01"}""");
        _variables = new Dictionary<string, string?>
        {
            ["REPRO_RUN_ID"] = "20250101T000000Z-abcd",
            ["REPRO_RUN_DIR"] = _temp.Path,
            ["REPRO_SEED"] = "4294967295",
            ["REPRO_PARAMS_FILE"] = _temp.Combine("params.json"),
            ["REPRO_METRICS_FILE"] = _temp.Combine("metrics.json"),
            ["OMP_NUM_THREADS"] = "1",
        };
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void FromVariables_FullContract_ReadsRunSeedAndParameters()
    {
        var run = FromVariables();

        Assert.Equal("20250101T000000Z-abcd", run.RunId);
        Assert.Equal(_temp.Path, run.RunDirectory);
        Assert.Equal(4294967295u, run.Seed);
        Assert.Equal(3, run.Parameters.GetInt32("epochs"));
        Assert.Equal(0.01, run.Parameters.GetDouble("lr"));
        Assert.Equal(_temp.Combine("metrics.json"), run.MetricsFile);
    }

    [Fact]
    public void FromVariables_Created_WritesTheReportToTheRunFolder()
    {
        FromVariables();

        var report = ReadJson("sdk.json");
        Assert.Equal(1, report["schemaVersion"]!.GetValue<int>());
        Assert.Equal("Repro.Sdk", report["sdk"]!["name"]!.GetValue<string>());
        Assert.Equal(4294967295u, report["seed"]!["value"]!.GetValue<uint>());
        Assert.Equal("REPRO_SEED", report["seed"]!["source"]!.GetValue<string>());
        Assert.Equal("1", report["environment"]!["OMP_NUM_THREADS"]!.GetValue<string>());
        Assert.Null(report["environment"]!["CUBLAS_WORKSPACE_CONFIG"]);
        Assert.StartsWith(".NET ", report["runtime"]!["framework"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(report["warnings"]!.AsArray());
    }

    [Theory]
    [InlineData("REPRO_RUN_ID")]
    [InlineData("REPRO_RUN_DIR")]
    [InlineData("REPRO_SEED")]
    [InlineData("REPRO_PARAMS_FILE")]
    [InlineData("REPRO_METRICS_FILE")]
    public void FromVariables_MissingVariable_NamesIt(string name)
    {
        _variables.Remove(name);

        var error = Assert.Throws<ReproSdkException>(FromVariables);

        Assert.StartsWith($"{name} is not set: this process was not started by `repro run`", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("4294967296")]
    [InlineData("-1")]
    [InlineData("42.0")]
    [InlineData(" 42")]
    public void FromVariables_SeedOutOfRange_IsRejected(string seed)
    {
        _variables["REPRO_SEED"] = seed;

        var error = Assert.Throws<ReproSdkException>(FromVariables);

        Assert.Equal($"REPRO_SEED is '{seed}', not an integer from 0 to 4294967295.", error.Message);
    }

    [Fact]
    public void FromVariables_RelativeRunFolder_IsRejected()
    {
        _variables["REPRO_RUN_DIR"] = "runs/x";

        var error = Assert.Throws<ReproSdkException>(FromVariables);

        Assert.Equal("REPRO_RUN_DIR is 'runs/x', not an absolute path.", error.Message);
    }

    [Fact]
    public void FromVariables_NonStringParameter_NamesFileAndParameter()
    {
        File.WriteAllText(_temp.Combine("params.json"), """{"epochs":3}""");

        var error = Assert.Throws<ReproSdkException>(FromVariables);

        Assert.Equal($"{_temp.Combine("params.json")}: parameter 'epochs' is not a string.", error.Message);
    }

    [Fact]
    public void LogMetric_ExistingMetricsFile_MergesAndLastValueWins()
    {
        File.WriteAllText(_temp.Combine("metrics.json"), """{"written_by_python":1.5,"loss":9}""");
        var run = FromVariables();

        run.LogMetric("loss", 0.25);
        run.LogMetrics(new Dictionary<string, double> { ["accuracy"] = 0.9, ["loss"] = 0.125 });

        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"written_by_python":1.5,"loss":0.125,"accuracy":0.9}"""),
            ReadJson("metrics.json")));
        Assert.Equal(new Dictionary<string, double> { ["loss"] = 0.125, ["accuracy"] = 0.9 }, run.Metrics);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void LogMetric_NonFiniteValue_IsRejected(double value) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => FromVariables().LogMetric("loss", value));

    [Fact]
    public void Report_ExistingReportFromAnotherComponent_KeepsItsSectionsAndWarnings()
    {
        File.WriteAllText(_temp.Combine("sdk.json"), """{"python":{"numpy":"2.1.0"},"warnings":["from python"],"subSeeds":{"py":7}}""");
        var run = FromVariables();

        run.Seeds.Derive("shuffle");
        run.Report.Warn("from dotnet");
        run.Report.Set("custom", new JsonObject { ["workers"] = 0 });

        var report = ReadJson("sdk.json");
        Assert.Equal("2.1.0", report["python"]!["numpy"]!.GetValue<string>());
        Assert.Equal(["from python", "from dotnet"], report["warnings"]!.AsArray().Select(w => w!.GetValue<string>()));
        Assert.Equal(7, report["subSeeds"]!["py"]!.GetValue<int>());
        Assert.Equal(959806105u, report["subSeeds"]!["shuffle"]!.GetValue<uint>());
        Assert.Equal(0, report["custom"]!["workers"]!.GetValue<int>());
    }

    [Fact]
    public void Warn_Message_GoesToTheReportAndToStandardErrorOnce()
    {
        using var sink = new StringWriter();
        var run = ReproRun.FromVariables(_variables.GetValueOrDefault, _temp.Path, sink);

        run.Report.Warn("threads not pinned");
        run.Report.Warn("threads not pinned");

        Assert.Equal("repro-sdk: warning: threads not pinned" + Environment.NewLine, sink.ToString());
        Assert.Single(ReadJson("sdk.json")["warnings"]!.AsArray());
    }

    [Theory]
    [InlineData("schemaVersion")]
    [InlineData("warnings")]
    [InlineData("subSeeds")]
    public void Set_SectionKeptByTheSdk_IsRejected(string section) =>
        Assert.Throws<ArgumentException>(() => FromVariables().Report.Set(section, 1));

    [Fact]
    public void Standalone_WithOutputFolder_WritesReportAndMetricsThere()
    {
        var output = Path.Combine(_temp.Path, "standalone");
        var run = ReproRun.CreateStandalone(7, output, null, _ => null, _temp.Path, TextWriter.Null);

        run.LogMetric("accuracy", 0.5);

        Assert.Null(run.RunId);
        Assert.Equal("explicit", ReadJson("standalone/sdk.json")["seed"]!["source"]!.GetValue<string>());
        Assert.Equal(0.5, ReadJson("standalone/metrics.json")["accuracy"]!.GetValue<double>());
    }

    [Fact]
    public void Standalone_WithoutOutputFolder_KeepsEverythingInMemory()
    {
        var run = ReproRun.CreateStandalone(7, null, null, _ => null, _temp.Path, TextWriter.Null);

        run.LogMetric("accuracy", 0.5);
        run.Seeds.Derive("shuffle");

        Assert.Null(run.Report.FilePath);
        Assert.Null(run.MetricsFile);
        Assert.Equal(0.5, run.Metrics["accuracy"]);
        Assert.NotNull(run.Report.ToJsonObject()["subSeeds"]!["shuffle"]);
        Assert.Equal(["params.json"], Directory.GetFiles(_temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void FromEnvironment_ChildProcessUnderTheContract_WritesReportAndMetrics()
    {
        File.WriteAllText(_temp.Combine("params.json"), """{"epochs":"4","expected_accuracy":"0.75"}""");
        var environment = new Dictionary<string, string?>(_variables) { ["REPRO_SEED"] = "42" };

        var result = DotnetHost.Run([TestAppPath(), "contract"], _temp.Path, environment);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"accuracy":0.75,"loss":0.25,"epochs":4}"""),
            ReadJson("metrics.json")));
        var report = ReadJson("sdk.json");
        Assert.Equal(1267917253u, report["subSeeds"]!["shuffle"]!.GetValue<uint>());
        Assert.Equal(1842317986, report["mlnet"]!["contextSeeds"]!["mlnet"]!.GetValue<int>());
        Assert.Equal("5.0.1", report["mlnet"]!["version"]!.GetValue<string>());
        Assert.Empty(Directory.GetFiles(_temp.Path, "*.tmp", SearchOption.AllDirectories));
    }

    internal static string TestAppPath() => Path.Combine(AppContext.BaseDirectory, "Repro.Sdk.TestApp.dll");

    private ReproRun FromVariables() => ReproRun.FromVariables(_variables.GetValueOrDefault, _temp.Path, TextWriter.Null);

    private JsonObject ReadJson(string relativePath) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(_temp.Path, relativePath)))!.AsObject();
}
