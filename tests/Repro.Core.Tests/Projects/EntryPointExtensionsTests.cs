using Repro.Core.Projects;

namespace Repro.Core.Tests.Projects;

/// <summary>repro's extensions: seed (see the loader tests), inputs, outputs, metrics with tolerances, env, auto_seed.</summary>
public sealed class EntryPointExtensionsTests
{
    private static string Entry(string extension) => $"""
        entry_points:
          main:
            command: python train.py
        {extension}
        """;

    [Fact]
    public void Load_NoExtensions_GivesEmptyListsAndNoMetrics()
    {
        using var project = new TempProject().WithMLproject(Entry(string.Empty));

        var main = project.Project.EntryPoints["main"];

        Assert.Empty(main.Inputs);
        Assert.Empty(main.Outputs);
        Assert.Null(main.Metrics);
        Assert.Empty(main.Env);
    }

    [Fact]
    public void Load_InputsAndOutputs_KeepsFilesDirectoriesAndGlobsInOrder()
    {
        using var project = new TempProject().WithMLproject(Entry("""
                inputs: [data/train.csv, data/images/, "data/**/*.json", data/../config.yaml]
                outputs:
                  - model.zip
                  - ./reports
            """));

        var main = project.Project.EntryPoints["main"];

        Assert.Equal(["data/train.csv", "data/images/", "data/**/*.json", "data/../config.yaml"], main.Inputs);
        Assert.Equal(["model.zip", "./reports"], main.Outputs);
    }

    [Theory]
    [InlineData("../secrets.txt")]
    [InlineData("data/../../x")]
    [InlineData("/etc/passwd")]
    [InlineData("''")]
    public void Load_InputEscapingProject_PointsAtTheItem(string item)
    {
        using var project = new TempProject().WithMLproject(Entry($"    inputs: [ok.csv, {item}]"));

        project.MainFailsAt(4, 22, "an input of entry point 'main' must be a path relative to the project directory");
    }

    [Fact]
    public void Load_OutputEscapingProject_PointsAtTheItem()
    {
        using var project = new TempProject().WithMLproject(Entry("    outputs:\n      - ../model.zip"));

        project.MainFailsAt(5, 9, "an output of entry point 'main'", "'../model.zip'");
    }

    [Fact]
    public void Load_InputsAsString_IsAnError()
    {
        using var project = new TempProject().WithMLproject(Entry("    inputs: data.csv"));

        project.MainFailsAt(4, 13, "'inputs' must be a list");
    }

    [Fact]
    public void Load_ItemWithStoreFalse_IsKeptInOrderAndMarkedNotStored()
    {
        using var project = new TempProject().WithMLproject(Entry("""
                inputs: [data/small.csv, {path: data/huge/, store: false}, {path: data/kept.csv, store: true}]
                outputs:
                  - path: model.zip
                    store: false
            """));

        var main = project.Project.EntryPoints["main"];

        Assert.Equal(["data/small.csv", "data/huge/", "data/kept.csv"], main.Inputs);
        Assert.Equal(["model.zip"], main.Outputs);
        Assert.Equal(["data/huge/", "model.zip"], main.NotStored.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("    inputs: [{path: a, keep: false}]", 4, 24, "unknown key 'keep' in an input of entry point 'main'")]
    [InlineData("    inputs: [{path: a, store: maybe}]", 4, 31, "'store' of an input of entry point 'main' must be true or false")]
    [InlineData("    inputs: [{store: false}]", 4, 14, "an input of entry point 'main' written as a mapping needs a path")]
    [InlineData("    inputs: [{path: ../a, store: false}]", 4, 21, "must be a path relative to the project directory")]
    public void Load_BadItemMapping_PointsAtTheProblem(string extension, int line, int column, string message)
    {
        using var project = new TempProject().WithMLproject(Entry(extension));

        project.MainFailsAt(line, column, message);
    }

    [Fact]
    public void Load_MetricsAsPath_HasNoTolerances()
    {
        using var project = new TempProject().WithMLproject(Entry("    metrics: out/metrics.json"));

        var metrics = project.Project.EntryPoints["main"].Metrics;

        Assert.NotNull(metrics);
        Assert.Equal("out/metrics.json", metrics.File);
        Assert.Empty(metrics.Tolerances);
    }

    [Fact]
    public void Load_MetricsWithTolerances_ReadsEachMetricDefaultingToZero()
    {
        using var project = new TempProject().WithMLproject(Entry("""
                metrics:
                  file: metrics.json
                  tolerance:
                    rmse: {rtol: 1e-6, atol: 0.001}
                    r2: {atol: 0.01}
                    mae: {rtol: 0.5}
                    loss:
            """));

        var metrics = project.Project.EntryPoints["main"].Metrics!;

        Assert.Equal("metrics.json", metrics.File);
        Assert.Equal(["rmse", "r2", "mae", "loss"], metrics.Tolerances.Keys);
        Assert.Equal(new Tolerance(1e-6, 0.001), metrics.Tolerances["rmse"]);
        Assert.Equal(new Tolerance(0, 0.01), metrics.Tolerances["r2"]);
        Assert.Equal(new Tolerance(0.5, 0), metrics.Tolerances["mae"]);
        Assert.Equal(Tolerance.Exact, metrics.Tolerances["loss"]);
    }

    [Theory]
    [InlineData("-0.1", "must be a non-negative number")]
    [InlineData("abc", "must be a non-negative number")]
    [InlineData(".nan", "must be a non-negative number")]
    [InlineData("[1]", "must be a single value")]
    public void Load_BadTolerance_PointsAtTheValue(string value, string message)
    {
        using var project = new TempProject().WithMLproject(Entry($"    metrics:\n      file: m.json\n      tolerance:\n        rmse: {{rtol: {value}}}"));

        project.MainFailsAt(7, 22, "rtol in the tolerance of metric 'rmse' of entry point 'main'", message);
    }

    [Fact]
    public void Load_UnknownToleranceKey_IsAnError()
    {
        using var project = new TempProject().WithMLproject(Entry("    metrics:\n      file: m.json\n      tolerance:\n        rmse: {reltol: 1}"));

        project.MainFailsAt(7, 16, "unknown key 'reltol'", "rtol, atol");
    }

    [Fact]
    public void Load_MetricsMappingWithoutFile_IsAnError()
    {
        using var project = new TempProject().WithMLproject(Entry("    metrics:\n      tolerance: {}"));

        project.MainFailsAt(5, 7, "need a file");
    }

    [Fact]
    public void Load_UnknownMetricsKey_IsAnError()
    {
        using var project = new TempProject().WithMLproject(Entry("    metrics:\n      file: m.json\n      tolerances: {}"));

        project.MainFailsAt(6, 7, "unknown key 'tolerances'");
    }

    [Fact]
    public void Load_MetricsFileOutsideProject_IsAnError()
    {
        using var project = new TempProject().WithMLproject(Entry("    metrics: /tmp/metrics.json"));

        project.MainFailsAt(4, 14, "the metrics file of entry point 'main'");
    }

    [Fact]
    public void Load_MetricsAsList_IsAnError()
    {
        using var project = new TempProject().WithMLproject(Entry("    metrics: [a.json]"));

        project.MainFailsAt(4, 14, "the metrics of entry point 'main'", "must be a mapping");
    }

    [Fact]
    public void Load_Env_KeepsValuesAsSourceTextInOrder()
    {
        using var project = new TempProject().WithMLproject(Entry("""
                env:
                  OMP_NUM_THREADS: 1
                  RATE: 0.10
                  FLAG: true
                  _private: "quoted value"
                  EMPTY:
            """));

        var env = project.Project.EntryPoints["main"].Env;

        Assert.Equal(["OMP_NUM_THREADS", "RATE", "FLAG", "_private", "EMPTY"], env.Keys);
        Assert.Equal(["1", "0.10", "true", "quoted value", ""], env.Values);
    }

    [Theory]
    [InlineData("1ABC")]
    [InlineData("A-B")]
    [InlineData("'A B'")]
    [InlineData("'É'")]
    public void Load_InvalidEnvName_PointsAtTheName(string name)
    {
        using var project = new TempProject().WithMLproject(Entry($"    env:\n      {name}: x"));

        project.MainFailsAt(5, 7, "is not a valid environment variable name");
    }

    [Fact]
    public void Load_EnvValueAsList_IsAnError()
    {
        using var project = new TempProject().WithMLproject(Entry("    env:\n      PATHS: [a, b]"));

        project.MainFailsAt(5, 14, "environment variable 'PATHS'", "not a list");
    }

    [Theory]
    [InlineData("false", false)]
    [InlineData("true", true)]
    [InlineData("no", false)]
    [InlineData("On", true)]
    public void Load_AutoSeedBoolean_AtTheTopLevelAndPerEntryPoint_ReadAsPyYamlReadsIt(string word, bool expected)
    {
        using var project = new TempProject().WithMLproject($"auto_seed: {word}\n" + Entry($"    auto_seed: {word}"));

        var loaded = project.Load();

        Assert.Equal(expected, loaded.Project.AutoSeed);
        Assert.Equal(expected, loaded.Project.EntryPoints["main"].AutoSeed);
        Assert.Empty(loaded.Diagnostics);
        Assert.Empty(loaded.Project.EntryPoints["main"].Diagnostics);
    }

    [Fact]
    public void Load_AutoSeedAbsentOrEmpty_IsNull()
    {
        using var project = new TempProject().WithMLproject("auto_seed:\n" + Entry(string.Empty));

        var loaded = project.Load();

        Assert.Null(loaded.Project.AutoSeed);
        Assert.Null(loaded.Project.EntryPoints["main"].AutoSeed);
    }

    [Theory]
    [InlineData("'false'")]
    [InlineData("0")]
    [InlineData("maybe")]
    public void Load_TopLevelAutoSeedNotABoolean_IsALocatedError(string value)
    {
        using var project = new TempProject().WithMLproject($"auto_seed: {value}\n" + Entry(string.Empty));

        project.LoadFailsAt(1, 12, "auto_seed at the top level must be true or false");
    }

    [Fact]
    public void Load_EntryPointAutoSeedNotABoolean_BreaksOnlyThatEntryPointAtTheValue()
    {
        using var project = new TempProject().WithMLproject(Entry("    auto_seed: [false]") + "\n  other:\n    command: python other.py\n    auto_seed: off");

        project.MainFailsAt(4, 16, "auto_seed in entry point 'main' must be a single value");
        Assert.False(project.Project.EntryPoints["other"].AutoSeed);
    }

    [Fact]
    public void Load_EntryPointAutoSeedText_BreaksThatEntryPointNamingTheValue()
    {
        using var project = new TempProject().WithMLproject(Entry("    auto_seed: \"no\""));

        project.MainFailsAt(4, 16, "auto_seed in entry point 'main' must be true or false, not 'no'");
    }
}
