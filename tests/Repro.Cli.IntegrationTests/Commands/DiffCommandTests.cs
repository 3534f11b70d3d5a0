using Repro.Cli.IntegrationTests.Fixtures;

namespace Repro.Cli.IntegrationTests.Commands;

public sealed class DiffCommandTests : ReproTestBase
{
    private const string Project = """
        entry_points:
          main:
            parameters:
              n: {type: int, default: 1}
            command: "python3 score.py {n}"
            outputs: [model.txt]
            metrics: metrics.json
        """;

    private const string ScoreScript = """
        import json, sys
        n = int(sys.argv[1])
        open("model.txt", "w").write("weights " * n + "\n")
        json.dump({"score": n * 0.25, "constant": 1}, open("metrics.json", "w"))
        """;

    [Fact]
    public void Diff_TwoRuns_ShowsParameterSeedMetricAndOutputDifferences()
    {
        var (project, _) = ScoreProject();
        var a = RunOnce(project, "-P", "n=1", "--seed", "11");
        var b = RunOnce(project, "-P", "n=3", "--seed", "12");

        var result = Repro.Run(project, "diff", a, b);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.Split('\n');
        Assert.Equal($"A: {a}", lines[0]);
        Assert.Equal($"B: {b}", lines[1]);
        Assert.Matches(@"(?m)^Parameters\n  parameters\.n:\s+1 -> 3$", result.Stdout);
        Assert.Matches(@"(?m)^Seed\n  seed:\s+11 -> 12$", result.Stdout);
        Assert.Matches(@"(?m)^  metrics\.score:\s+0\.25 -> 0\.75", result.Stdout);
        Assert.Matches(@"(?m)^  outputs\.model\.txt:\s+[0-9a-f]{12} -> [0-9a-f]{12}", result.Stdout);
        Assert.DoesNotContain("metrics.constant", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Patch diff", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Diff_Json_ParsesAndListsEachDifferenceWithBothValues()
    {
        var (project, _) = ScoreProject();
        var a = RunOnce(project, "-P", "n=1", "--seed", "11");
        var b = RunOnce(project, "-P", "n=3", "--seed", "12");

        var result = Repro.Run(project, "diff", a[..20], "latest", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var diff = ParseJson(result.Stdout);
        Assert.Equal(a, (string?)diff["runA"]);
        Assert.Equal(b, (string?)diff["runB"]);
        var differences = diff["differences"]!.AsArray().ToDictionary(node => (string)node!["key"]!, node => ((string?)node!["a"], (string?)node["b"]));
        Assert.Equal(("1", "3"), differences["parameters.n"]);
        Assert.Equal(("11", "12"), differences["seed"]);
        Assert.Contains("metrics.score", differences.Keys);
        Assert.Contains("outputs.model.txt", differences.Keys);
        Assert.DoesNotContain("metrics.constant", differences.Keys);
    }

    [Fact]
    public void Diff_RunWithItself_IsIdentical()
    {
        var (project, _) = ScoreProject();
        var a = RunOnce(project, "--seed", "5");

        var result = Repro.Run(project, "diff", a, a);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"A: {a}\nB: {a}\nidentical\n", result.Stdout);
    }

    [Fact]
    public void Diff_TwoDirtyRuns_ShowsHowTheirPatchesDiffer()
    {
        var (project, _) = ScoreProject();
        File.AppendAllText(Path.Combine(project, "score.py"), "print('first experiment')\n");
        var a = RunOnce(project, "--seed", "1");
        File.AppendAllText(Path.Combine(project, "score.py"), "print('second experiment')\n");
        var b = RunOnce(project, "--seed", "1");

        var result = Repro.Run(project, "diff", a, b);
        var json = ParseJson(Repro.Run(project, "diff", a, b, "--json").Stdout);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"(?m)^  code\.patch:\s+[0-9a-f]{12} -> [0-9a-f]{12}$", result.Stdout);
        var patch = result.Stdout[result.Stdout.IndexOf("\nPatch diff\n", StringComparison.Ordinal)..];
        Assert.Contains($"--- {a}/code.patch", patch, StringComparison.Ordinal);
        Assert.Contains($"+++ {b}/code.patch", patch, StringComparison.Ordinal);
        Assert.Contains("\n++print('second experiment')\n", patch, StringComparison.Ordinal);
        Assert.Contains("\n +print('first experiment')\n", patch, StringComparison.Ordinal);
        Assert.False((bool)json["patchDiff"]!["isEmpty"]!);
        Assert.Contains("second experiment", (string?)json["patchDiff"]!["text"], StringComparison.Ordinal);
    }

    [Fact]
    public void Diff_CleanAndDirtyRun_NamesTheCodeChange()
    {
        var (project, _) = ScoreProject();
        var clean = RunOnce(project, "--seed", "1");
        File.AppendAllText(Path.Combine(project, "score.py"), "# tweak\n");
        var dirty = RunOnce(project, "--seed", "1");

        var result = Repro.Run(project, "diff", clean, dirty, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var keys = ParseJson(result.Stdout)["differences"]!.AsArray().Select(node => (string?)node!["key"]).ToList();
        Assert.Contains(keys, key => key!.StartsWith("code.", StringComparison.Ordinal));
        Assert.DoesNotContain("seed", keys);
        Assert.DoesNotContain("parameters.n", keys);
    }

    private (string Directory, GitRepository Git) ScoreProject() =>
        CommittedProject(("MLproject", Project), ("score.py", ScoreScript + "\n"), (".gitignore", "model.txt\nmetrics.json\n"));
}
