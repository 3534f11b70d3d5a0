using System.Text.Json.Nodes;
using Repro.Cli.Tests.Fixtures;

namespace Repro.Cli.Tests.Commands;

public sealed class ListCommandTests : ReproTestBase
{
    private const string Project = """
        entry_points:
          train:
            parameters:
              lr: {type: float, default: 0.1}
            command: "python3 -c 'import json; json.dump({{\"loss\": 1 / (1 + {lr})}}, open(\"metrics.json\", \"w\"))'"
            metrics: metrics.json
          broken:
            command: "exit 4"
        """;

    [Fact]
    public void List_Json_GivesEveryRunNewestFirstWithItsSummary()
    {
        var (project, runs) = ProjectWithRuns();

        var listed = ListJson(project);

        Assert.Equal(runs.Newest(), listed.Select(run => (string?)run["runId"]));
        var first = listed[^1];
        Assert.Equal("train", (string?)first["entryPoint"]);
        Assert.Equal("FINISHED", (string?)first["status"]);
        Assert.Equal("exp-a", (string?)first["experimentName"]);
        Assert.Equal("0.5", (string?)first["parameters"]!["lr"]);
        Assert.Equal(1 / 1.5, (double)first["metrics"]!["loss"]!, 12);
        Assert.Equal("FAILED", (string?)listed[1]["status"]);
    }

    [Fact]
    public void List_Table_HasAHeaderThenOneLinePerRunNewestFirst()
    {
        var (project, runs) = ProjectWithRuns();

        var result = Repro.Run(project, "list");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^RUN\s+ENTRY\s+STATUS\s+STARTED \(UTC\)\s+DURATION\s+PARAMETERS\s+METRICS$", lines[0]);
        Assert.Equal(runs.Newest(), lines.Skip(1).Select(line => line.Split(' ')[0]));
        Assert.Matches(@"\btrain\s+FINISHED\b.*\blr=0\.5\s+loss=0\.6667$", lines[^1]);
        Assert.Matches(@"\bbroken\s+FAILED\b", lines[2]);
    }

    [Theory]
    [InlineData(new[] { "-e", "train" }, new[] { 2, 0 })]
    [InlineData(new[] { "--entry-point", "broken" }, new[] { 1 })]
    [InlineData(new[] { "--status", "failed" }, new[] { 1 })]
    [InlineData(new[] { "--status", "FINISHED" }, new[] { 2, 0 })]
    [InlineData(new[] { "--experiment-name", "exp-b" }, new[] { 2 })]
    [InlineData(new[] { "--limit", "2" }, new[] { 2, 1 })]
    [InlineData(new[] { "-e", "train", "--limit", "1" }, new[] { 2 })]
    [InlineData(new[] { "-e", "nothing-like-it" }, new int[0])]
    public void List_Filters_KeepOnlyMatchingRunsNewestFirst(string[] filters, int[] expectedRuns)
    {
        var (project, runs) = ProjectWithRuns();

        var listed = ListJson(project, filters);

        Assert.Equal(expectedRuns.Select(index => runs.Ids[index]), listed.Select(run => (string?)run["runId"]));
    }

    [Theory]
    [InlineData("--status", "DONE")]
    [InlineData("--status", "1")]
    [InlineData("--limit", "0")]
    [InlineData("--limit", "ten")]
    public void List_BadFilter_ExitsTwoWithOneLine(string option, string value)
    {
        var (project, _) = CommittedProject(("MLproject", Project));
        RunOnce(project, "-e", "train");

        var result = Repro.Run(project, "list", option, value);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(option, line, StringComparison.Ordinal);
    }

    [Fact]
    public void List_EmptyStore_SaysThereAreNoRuns()
    {
        var store = Directory.CreateDirectory(Temp.Combine("store", "runs")).Parent!.FullName;

        var result = Repro.Run(Temp.Path, "list", "--store", store);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("no runs\n", result.Stdout);
        Assert.Equal("[]", Repro.Run(Temp.Path, "list", "--store", store, "--json").Stdout.Trim());
    }

    [Fact]
    public void List_IndexDeleted_IsRebuiltFromTheManifests()
    {
        var (project, runs) = ProjectWithRuns();
        var expected = string.Join("\n", ListJson(project).Select(run => run.ToJsonString()));
        foreach (var file in Directory.EnumerateFiles(StoreOf(project), "index.db*"))
        {
            File.Delete(file);
        }

        var rebuilt = ListJson(project);

        Assert.Equal(expected, string.Join("\n", rebuilt.Select(run => run.ToJsonString())));
        Assert.Equal(runs.Newest(), rebuilt.Select(run => (string?)run["runId"]));
        Assert.True(File.Exists(Path.Combine(StoreOf(project), "index.db")));
    }

    [Fact]
    public void List_IndexCorrupted_IsRebuiltFromTheManifests()
    {
        var (project, runs) = ProjectWithRuns();
        var expected = string.Join("\n", ListJson(project).Select(run => run.ToJsonString()));
        File.WriteAllBytes(Path.Combine(StoreOf(project), "index.db"), [.. Enumerable.Range(0, 8192).Select(i => (byte)(i * 7 + 3))]);

        var rebuilt = ListJson(project);

        Assert.Equal(expected, string.Join("\n", rebuilt.Select(run => run.ToJsonString())));
        Assert.Equal(runs.Newest(), rebuilt.Select(run => (string?)run["runId"]));
    }

    [Fact]
    public void List_ManifestRewrittenBehindTheIndexsBack_ShowsTheManifestsContent()
    {
        var (project, runs) = ProjectWithRuns();
        ListJson(project);
        var path = Path.Combine(StoreOf(project), "runs", runs.Ids[0], "run.json");
        var manifest = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        manifest["runName"] = "renamed by hand";
        manifest["experimentName"] = "exp-moved";
        var written = File.GetLastWriteTimeUtc(path);
        File.WriteAllText(path, manifest.ToJsonString() + "\n");
        if (File.GetLastWriteTimeUtc(path) == written)
        {
            // A coarse file-system clock must not hide the rewrite from this test's point: the content changed.
            File.SetLastWriteTimeUtc(path, written.AddSeconds(1));
        }

        var listed = ListJson(project, ["--experiment-name", "exp-moved"]);

        var run = Assert.Single(listed);
        Assert.Equal(runs.Ids[0], (string?)run["runId"]);
        Assert.Equal("renamed by hand", (string?)run["runName"]);
        Assert.Empty(ListJson(project, ["--experiment-name", "exp-a"]));
    }

    [Fact]
    public void List_RunFolderRemoved_DropsTheRun()
    {
        var (project, runs) = ProjectWithRuns();
        ListJson(project);
        Directory.Delete(Path.Combine(StoreOf(project), "runs", runs.Ids[1]), recursive: true);

        var listed = ListJson(project);

        Assert.Equal([runs.Ids[2], runs.Ids[0]], listed.Select(run => (string?)run["runId"]));
    }

    [Fact]
    public void List_VerificationRun_ShowsItsVerdict()
    {
        var (project, _) = CommittedProject(("MLproject", Project), (".gitignore", "metrics.json\n"));
        var original = RunOnce(project, "-e", "train");
        Repro.With("TMPDIR", Directory.CreateDirectory(Temp.Combine("tmp")).FullName);
        Assert.Equal(0, Repro.Run(project, "verify", original).ExitCode);

        var result = Repro.Run(project, "list");
        var json = ListJson(project);

        Assert.Contains("verify: REPRODUCED", result.Stdout.Split('\n')[1], StringComparison.Ordinal);
        Assert.Equal(original, (string?)json[0]["verifies"]);
        Assert.Equal("REPRODUCED", (string?)json[0]["verdict"]);
    }

    /// <summary>Three runs, oldest first: train lr=0.5 in exp-a, broken, train (default lr) in exp-b.</summary>
    private (string Directory, RecordedRuns Runs) ProjectWithRuns()
    {
        var (project, _) = CommittedProject(("MLproject", Project), (".gitignore", "metrics.json\n"));
        var first = RunOnce(project, "-e", "train", "-P", "lr=0.5", "--experiment-name", "exp-a");
        Assert.Equal(1, Repro.Run(project, "run", ".", "-e", "broken").ExitCode);
        var second = RunIds(StoreOf(project)).Single(id => id != first);
        var third = RunOnce(project, "-e", "train", "--experiment-name", "exp-b");
        return (project, new RecordedRuns([first, second, third]));
    }

    private List<JsonObject> ListJson(string project, string[]? options = null)
    {
        var result = Repro.Run(project, ["list", "--json", .. options ?? []]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonNode.Parse(result.Stdout)!.AsArray().Select(node => node!.AsObject()).ToList();
    }

    private sealed record RecordedRuns(IReadOnlyList<string> Ids)
    {
        public IEnumerable<string> Newest() => Ids.Reverse();
    }
}
