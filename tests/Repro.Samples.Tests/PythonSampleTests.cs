using Repro.Samples.Tests.Support;

namespace Repro.Samples.Tests;

public sealed class PythonSampleTests : IDisposable
{
    private const string Script = "samples/python/hashing.py";

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Run_BareTwice_WritesDifferentOutputs()
    {
        Run("first");
        Run("second");

        Assert.NotEqual(Read("first", "route.json"), Read("second", "route.json"));
        Assert.NotEqual(Read("first", "metrics.json"), Read("second", "metrics.json"));
    }

    [Fact]
    public void Run_TwiceWithPythonHashSeedAndReproSeed_WritesIdenticalOutputs()
    {
        var seeded = new Dictionary<string, string?> { ["PYTHONHASHSEED"] = "42", ["REPRO_SEED"] = "42" };

        Run("first", seeded);
        Run("second", seeded);

        Assert.Equal(Read("first", "route.json"), Read("second", "route.json"));
        Assert.Equal(Read("first", "metrics.json"), Read("second", "metrics.json"));
    }

    [Fact]
    public void Run_WithReproMetricsFile_WritesMetricsThere()
    {
        var metricsFile = Path.Combine(_temp.Path, "declared", "metrics.json");

        Run("out", new Dictionary<string, string?> { ["PYTHONHASHSEED"] = "1", ["REPRO_SEED"] = "1", ["REPRO_METRICS_FILE"] = metricsFile });

        Assert.Contains("\"route_score\"", File.ReadAllText(metricsFile), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_temp.Path, "out", "metrics.json")));
    }

    private void Run(string outputDirectory, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var result = SampleProcess.Python(Script, ["--output-dir", outputDirectory], _temp.Path, environment);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private string Read(string outputDirectory, string file) => File.ReadAllText(Path.Combine(_temp.Path, outputDirectory, file));
}
