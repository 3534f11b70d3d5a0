using System.Text.Json.Nodes;
using System.Xml.Linq;
using Repro.Cli.IntegrationTests.Fixtures;

namespace Repro.Cli.IntegrationTests.Commands;

/// <summary>
/// <c>repro verify PIPELINE</c> on a committed three-step project (prepare → train → evaluate, linked by inputs and
/// outputs). Each step appends its name to the file named by <c>CALLS</c>, outside the project, so a test sees which
/// children the verification started.
/// </summary>
public sealed class PipelineVerifyTests : ReproTestBase
{
    private const string MLproject = """
        name: pipe
        entry_points:
          prepare:
            command: "bash prepare.sh"
            inputs: [raw.txt]
            outputs: [data]
          train:
            command: "bash train.sh"
            inputs: [data/clean.txt]
            outputs: [models]
            metrics: metrics.json
          evaluate:
            command: "bash evaluate.sh"
            inputs: [models/model.bin]
            outputs: [reports]
        """;

    private const string PrepareScript = "echo prepare >> \"$CALLS\"\nmkdir -p data\nsort raw.txt > data/clean.txt\n";
    private const string TrainScript = "echo train >> \"$CALLS\"\nmkdir -p models\nsha256sum data/clean.txt > models/model.bin\nprintf '{\"loss\": %s}\\n' \"$(wc -l < data/clean.txt)\" > metrics.json\n";
    private const string NondeterministicTrainScript = "echo train >> \"$CALLS\"\nmkdir -p models\nhead -c 16 /dev/urandom | od -An -tx1 > models/model.bin\necho '{\"loss\": 1}' > metrics.json\n";
    private const string EvaluateScript = "echo evaluate >> \"$CALLS\"\nmkdir -p reports\nwc -c < models/model.bin > reports/eval.txt\n";

    private readonly string _calls;

    public PipelineVerifyTests()
    {
        _calls = Temp.Combine("calls.log");
        Repro.With("CALLS", _calls);
    }

    [Fact]
    public void VerifyPipeline_DeterministicSteps_ReExecutesEveryStepInOrderAndReportsReproducedPerStep()
    {
        var project = Project(TrainScript);
        Assert.Equal(0, Repro.Run(project, "pipeline", ".").ExitCode);
        var pipelineId = (string)LatestPipeline(project)["pipelineId"]!;
        var junit = Temp.Combine("verify.xml");

        var result = Repro.Run(project, "verify", pipelineId, "--junit", junit);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["prepare", "train", "evaluate", "prepare", "train", "evaluate"], Calls());
        Assert.Contains($"verify pipeline {pipelineId}: REPRODUCED: all 3 steps reproduced", result.Stdout, StringComparison.Ordinal);
        foreach (var step in new[] { "prepare", "train", "evaluate" })
        {
            Assert.Contains($"step {step}:", result.Stdout, StringComparison.Ordinal);
        }

        var suites = XDocument.Load(junit).Root!.Elements("testsuite").ToList();
        Assert.Equal(["step prepare", "step train", "step evaluate"], suites.Select(suite => (string?)suite.Attribute("name")));
        Assert.All(suites, suite => Assert.Equal("0", (string?)suite.Attribute("failures")));
        Assert.Contains(suites[1].Elements("testcase"), testCase => (string?)testCase.Attribute("name") == "models/model.bin");
    }

    [Fact]
    public void VerifyPipeline_NondeterministicMiddleStep_IsDifferentNamingThatStepAndExitsOne()
    {
        var project = Project(NondeterministicTrainScript);
        Assert.Equal(0, Repro.Run(project, "pipeline", ".").ExitCode);

        var result = Repro.Run(project, "verify", "--pipeline", "latest", "--json");

        Assert.True(result.ExitCode == 1, result.ToString());
        var report = ParseJson(result.Stdout);
        Assert.Equal("DIFFERENT", (string?)report["verdict"]);
        var steps = report["steps"]!.AsArray();
        Assert.Equal(["prepare", "train", "evaluate"], steps.Select(step => (string?)step!["step"]));
        Assert.Equal("REPRODUCED", (string?)steps[0]!["verification"]!["verdict"]);
        Assert.Equal("DIFFERENT", (string?)steps[1]!["verification"]!["verdict"]);
        Assert.Contains("models/model.bin", (string?)steps[1]!["verification"]!["summary"], StringComparison.Ordinal);
        Assert.StartsWith("train", (string?)report["summary"], StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyPipeline_ReusedStepsWithUpstreamOutputsDeleted_ReExecutesThemAndReproduces()
    {
        var project = Project(TrainScript);
        Assert.Equal(0, Repro.Run(project, "pipeline", ".").ExitCode);
        Assert.Equal(0, Repro.Run(project, "pipeline", ".").ExitCode);
        var record = LatestPipeline(project);
        Assert.All(record["steps"]!.AsArray(), step => Assert.Equal("reused", (string?)step!["state"]));
        Directory.Delete(Path.Combine(project, "data"), recursive: true);
        Directory.Delete(Path.Combine(project, "models"), recursive: true);
        Directory.Delete(Path.Combine(project, "reports"), recursive: true);

        var result = Repro.Run(project, "verify", "--pipeline", "latest");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["prepare", "train", "evaluate", "prepare", "train", "evaluate"], Calls());
        Assert.Contains("REPRODUCED: all 3 steps reproduced", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("step train (the pipeline reused run ", result.Stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(project, "models")));
    }

    [Fact]
    public void VerifyPipeline_UnknownPipeline_ExitsTwoWithOneLine()
    {
        var project = Project(TrainScript);
        Assert.Equal(0, Repro.Run(project, "pipeline", ".").ExitCode);

        var result = Repro.Run(project, "verify", "--pipeline", "zzzz");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no pipeline matches 'zzzz'", result.Stderr, StringComparison.Ordinal);
    }

    private string Project(string trainScript) => CommittedProject(
        ("MLproject", MLproject),
        ("raw.txt", "b\na\nc\n"),
        ("prepare.sh", PrepareScript),
        ("train.sh", trainScript),
        ("evaluate.sh", EvaluateScript)).Directory;

    private IReadOnlyList<string> Calls() => File.Exists(_calls) ? File.ReadAllLines(_calls) : [];

    private static JsonObject LatestPipeline(string project)
    {
        var root = Path.Combine(StoreOf(project), "pipelines");
        var latest = Directory.GetDirectories(root).Order(StringComparer.Ordinal).Last();
        return JsonNode.Parse(File.ReadAllText(Path.Combine(latest, "pipeline.json")))!.AsObject();
    }
}
