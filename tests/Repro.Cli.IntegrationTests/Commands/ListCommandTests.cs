using System.Text.Json.Nodes;
using Repro.Cli.IntegrationTests.Fixtures;

namespace Repro.Cli.IntegrationTests.Commands;

public sealed class ListCommandTests(ThreeRecordedRuns shared) : ReproTestBase, IClassFixture<ThreeRecordedRuns>
{
    [Fact]
    public void List_Json_GivesEveryRunNewestFirstWithItsSummary()
    {
        var listed = ListJson(shared);

        Assert.Equal(shared.Newest(), listed.Select(run => (string?)run["runId"]));
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
        var result = shared.Cli.Run(shared.Project, "list");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^RUN\s+ENTRY\s+STATUS\s+STARTED \(UTC\)\s+DURATION\s+PARAMETERS\s+METRICS$", lines[0]);
        Assert.Equal(shared.Newest(), lines.Skip(1).Select(line => line.Split(' ')[0]));
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
    [InlineData(new[] { "-e", "nothing-like-it" }, new int[] { })]
    public void List_Filters_KeepOnlyMatchingRunsNewestFirst(string[] filters, int[] expectedRuns)
    {
        var listed = ListJson(shared, filters);

        Assert.Equal(expectedRuns.Select(index => shared.Ids[index]), listed.Select(run => (string?)run["runId"]));
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
        using var runs = shared.CopyStore();
        var expected = Text(ListJson(runs));
        foreach (var file in Directory.EnumerateFiles(runs.Store, "index.db*"))
        {
            File.Delete(file);
        }

        var rebuilt = ListJson(runs);

        Assert.Equal(expected, Text(rebuilt));
        Assert.Equal(runs.Newest(), rebuilt.Select(run => (string?)run["runId"]));
        Assert.True(File.Exists(Path.Combine(runs.Store, "index.db")));
    }

    [Fact]
    public void List_IndexCorrupted_IsRebuiltFromTheManifests()
    {
        using var runs = shared.CopyStore();
        var expected = Text(ListJson(runs));
        File.WriteAllBytes(Path.Combine(runs.Store, "index.db"), [.. Enumerable.Range(0, 8192).Select(i => (byte)(i * 7 + 3))]);

        var rebuilt = ListJson(runs);

        Assert.Equal(expected, Text(rebuilt));
        Assert.Equal(runs.Newest(), rebuilt.Select(run => (string?)run["runId"]));
    }

    [Fact]
    public void List_ManifestRewrittenBehindTheIndexsBack_ShowsTheManifestsContent()
    {
        using var runs = shared.CopyStore();
        ListJson(runs);
        var path = Path.Combine(runs.Store, "runs", runs.Ids[0], "run.json");
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

        var listed = ListJson(runs, ["--experiment-name", "exp-moved"]);

        var run = Assert.Single(listed);
        Assert.Equal(runs.Ids[0], (string?)run["runId"]);
        Assert.Equal("renamed by hand", (string?)run["runName"]);
        Assert.Empty(ListJson(runs, ["--experiment-name", "exp-a"]));
    }

    [Fact]
    public void List_RunFolderRemoved_DropsTheRun()
    {
        using var runs = shared.CopyStore();
        ListJson(runs);
        Directory.Delete(Path.Combine(runs.Store, "runs", runs.Ids[1]), recursive: true);

        var listed = ListJson(runs);

        Assert.Equal([runs.Ids[2], runs.Ids[0]], listed.Select(run => (string?)run["runId"]));
    }

    [Fact]
    public void List_ManifestDamagedAfterIndexing_IsLeftOutAsARebuildWouldLeaveItOut()
    {
        using var runs = shared.CopyStore();
        ListJson(runs);
        File.WriteAllText(Path.Combine(runs.Store, "runs", runs.Ids[1], "run.json"), "{ damaged");

        var listed = ListJson(runs);
        foreach (var file in Directory.EnumerateFiles(runs.Store, "index.db*"))
        {
            File.Delete(file);
        }

        Assert.Equal([runs.Ids[2], runs.Ids[0]], listed.Select(run => (string?)run["runId"]));
        Assert.Equal(Text(listed), Text(ListJson(runs)));
    }

    [Fact]
    public void List_VerificationRun_ShowsItsVerdict()
    {
        var (project, _) = CommittedProject(("MLproject", ThreeRecordedRuns.MLproject), (".gitignore", "metrics.json\n"));
        var original = RunOnce(project, "-e", "train");
        Repro.With("TMPDIR", Directory.CreateDirectory(Temp.Combine("tmp")).FullName);
        Assert.Equal(0, Repro.Run(project, "verify", original).ExitCode);

        var table = Repro.Run(project, "list");
        var json = Repro.Run(project, "list", "--json");

        Assert.Contains("verify: REPRODUCED", table.Stdout.Split('\n')[1], StringComparison.Ordinal);
        var newest = JsonNode.Parse(json.Stdout)!.AsArray()[0]!;
        Assert.Equal(original, (string?)newest["verifies"]);
        Assert.Equal("REPRODUCED", (string?)newest["verdict"]);
    }

    private static List<JsonObject> ListJson(ThreeRecordedRuns runs, string[]? options = null) =>
        Parse(runs.Cli.Run(runs.Project, ["list", "--json", .. options ?? []]));

    private static List<JsonObject> ListJson(StoreCopy runs, string[]? options = null) =>
        Parse(runs.Shared.Cli.Run(runs.WorkingDirectory, ["list", "--store", runs.Store, "--json", .. options ?? []]));

    private static List<JsonObject> Parse(ProcessResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonNode.Parse(result.Stdout)!.AsArray().Select(node => node!.AsObject()).ToList();
    }

    private static string Text(List<JsonObject> runs) => string.Join("\n", runs.Select(run => run.ToJsonString()));
}
