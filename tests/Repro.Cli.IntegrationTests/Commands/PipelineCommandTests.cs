using System.Text.Json.Nodes;
using Repro.Cli.IntegrationTests.Fixtures;

namespace Repro.Cli.IntegrationTests.Commands;

/// <summary>
/// <c>repro pipeline</c> on a committed three-step project (prepare → train → evaluate, ordered by their inputs and
/// outputs only). Each step appends its name to the file named by <c>CALLS</c>, outside the project, so a test sees
/// which children started. The outputs are untracked (no .gitignore): they must not count as code.
/// </summary>
public sealed class PipelineCommandTests : ReproTestBase
{
    private const string MLproject = """
        name: pipe
        entry_points:
          evaluate:
            command: "bash evaluate.sh"
            inputs: [models/model.bin]
            outputs: [reports]
          prepare:
            parameters:
              n: {type: int, default: 3}
            command: "bash prepare.sh {n}"
            inputs: [raw.txt]
            outputs: [data]
          train:
            parameters:
              lr: {type: float, default: 0.1}
              fail: {type: int, default: 0}
            command: "bash train.sh {lr} {fail}"
            inputs: ["data/*.txt"]
            outputs: [models]
            metrics: metrics.json
        """;

    private const string PrepareScript = "echo prepare >> \"$CALLS\"\nmkdir -p data\nseq \"$1\" > data/clean.txt\ncat raw.txt >> data/clean.txt\n";
    private const string TrainScript = "echo train >> \"$CALLS\"\nmkdir -p models\n{ cat data/clean.txt; echo \"$1\"; } | sha256sum > models/model.bin\nprintf '{\"loss\": %s}\\n' \"$1\" > metrics.json\nexit \"$2\"\n";
    private const string EvaluateScript = "echo evaluate >> \"$CALLS\"\nmkdir -p reports\ncat models/model.bin > reports/eval.txt\n";

    private readonly string _calls;

    public PipelineCommandTests()
    {
        _calls = Temp.Combine("calls.log");
        Repro.With("CALLS", _calls);
    }

    [Fact]
    public void Pipeline_RunTwice_ExecutesInOrderThenReusesEveryStepRestoringIdenticalOutputs()
    {
        var project = Project();

        var first = Repro.Run(project, "pipeline", ".");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(["prepare", "train", "evaluate"], Calls());
        var model = File.ReadAllBytes(Path.Combine(project, "models", "model.bin"));
        var report = File.ReadAllBytes(Path.Combine(project, "reports", "eval.txt"));
        var firstRecord = LatestPipeline(project);
        Assert.Equal("FINISHED", (string?)firstRecord["status"]);
        Assert.All(firstRecord["steps"]!.AsArray(), step => Assert.Equal("executed", (string?)step!["state"]));
        Directory.Delete(Path.Combine(project, "models"), recursive: true);
        Directory.Delete(Path.Combine(project, "reports"), recursive: true);
        File.Delete(Path.Combine(project, "metrics.json"));

        var second = Repro.Run(project, "pipeline", ".");

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(["prepare", "train", "evaluate"], Calls());
        Assert.Equal(model, File.ReadAllBytes(Path.Combine(project, "models", "model.bin")));
        Assert.Equal(report, File.ReadAllBytes(Path.Combine(project, "reports", "eval.txt")));
        var record = LatestPipeline(project);
        Assert.All(record["steps"]!.AsArray(), step => Assert.Equal("reused", (string?)step!["state"]));
        var train = record["steps"]!.AsArray().Single(step => (string?)step!["name"] == "train")!;
        var firstTrain = firstRecord["steps"]!.AsArray().Single(step => (string?)step!["name"] == "train")!;
        var manifest = Manifest(StoreOf(project), (string)train["runId"]!);
        Assert.Equal((string?)firstTrain["runId"], (string?)manifest["reusedFrom"]);
        Assert.Equal("FINISHED", (string?)manifest["status"]);
        Assert.Equal(0.1, (double)manifest["metrics"]!["values"]!["loss"]!);
        Assert.Equal("{\"loss\": 0.1}\n", File.ReadAllText(Path.Combine(project, "metrics.json")));
        Assert.Contains("reused run", second.Stderr, StringComparison.Ordinal);

        // The steps share one capture of the code, taken again after train restored files git sees (the outputs are
        // untracked, not ignored): each step records the code its own capture would have found.
        foreach (var name in new[] { "train", "evaluate" })
        {
            var before = Manifest(StoreOf(project), (string)firstRecord["steps"]!.AsArray().Single(step => (string?)step!["name"] == name)!["runId"]!);
            var now = Manifest(StoreOf(project), (string)record["steps"]!.AsArray().Single(step => (string?)step!["name"] == name)!["runId"]!);
            Assert.Equal(before["git"]!["untracked"]!.ToJsonString(), now["git"]!["untracked"]!.ToJsonString());
        }

        // A reused step does not look for its inputs in the object store (the run it reuses kept the same ones): each
        // reused run records them as its earlier run did, kept, and the store holds every one.
        foreach (var name in new[] { "prepare", "train", "evaluate" })
        {
            var before = Manifest(StoreOf(project), (string)firstRecord["steps"]!.AsArray().Single(step => (string?)step!["name"] == name)!["runId"]!);
            var now = Manifest(StoreOf(project), (string)record["steps"]!.AsArray().Single(step => (string?)step!["name"] == name)!["runId"]!);
            Assert.Equal(before["inputs"]!.ToJsonString(), now["inputs"]!.ToJsonString());
            foreach (var file in now["inputs"]!.AsArray().SelectMany(input => input!["files"]!.AsArray()))
            {
                Assert.True((bool?)file!["stored"] == true, file.ToJsonString());
                var sha = (string)file["sha256"]!;
                Assert.True(File.Exists(Path.Combine(StoreOf(project), "objects", "sha256", sha[..2], sha[2..])), sha);
            }
        }

        var evaluate = Manifest(StoreOf(project), (string)record["steps"]!.AsArray().Single(step => (string?)step!["name"] == "evaluate")!["runId"]!);
        Assert.Contains(evaluate["git"]!["untracked"]!.AsArray(), file => (string?)file!["path"] == "models/model.bin");

        // The reused steps' files were made durable together: every one in place, none left under a temporary name,
        // and each run indexed (listed straight from the index).
        Assert.Empty(Directory.GetFiles(StoreOf(project), "*.tmp", SearchOption.AllDirectories));
        var listed = JsonNode.Parse(Repro.Run(project, "list", "--json").Stdout)!.AsArray();
        foreach (var step in record["steps"]!.AsArray())
        {
            var runId = (string)step!["runId"]!;
            Assert.True(File.Exists(Path.Combine(StoreOf(project), "runs", runId, "params.json")), runId);
            Assert.Equal("FINISHED", (string?)listed.Single(run => (string?)run!["runId"] == runId)!["status"]);
        }
    }

    [Fact]
    public async Task Pipeline_KilledWithSigkillWhileAStepRunsAfterReusedOnes_RecordNamesTheReusedRunsWhoseManifestsAreComplete()
    {
        var marker = "repro-test-" + Guid.NewGuid().ToString("N")[..8];
        var (project, _) = CommittedProject(
            (".gitignore", "a/\nb/\n"),
            ("MLproject", $$"""
            entry_points:
              a:
                command: "mkdir -p a && echo a > a/out"
                outputs: [a]
              b:
                command: "mkdir -p b && cat a/out > b/out"
                inputs: [a]
                outputs: [b]
              slow:
                command: "exec -a {{marker}} sleep 300"
                inputs: [b]
            """));
        var first = Repro.Run(project, "pipeline", ".", "-e", "b");
        Assert.True(first.ExitCode == 0, first.ToString());
        Directory.Delete(Path.Combine(project, "a"), recursive: true);
        Directory.Delete(Path.Combine(project, "b"), recursive: true);

        using (var process = Repro.Start(project, ["pipeline", "."]))
        {
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            await Processes.WaitUntilAsync(() => Processes.WithMarker(marker) >= 1);
            Processes.Signal(process.Id, "KILL");
            await process.WaitForExitAsync();
        }

        await Processes.WaitUntilAsync(() => Processes.WithMarker(marker) == 0);
        var record = LatestPipeline(project);
        Assert.Equal("RUNNING", (string?)record["status"]);
        foreach (var step in record["steps"]!.AsArray().Where(step => (string?)step!["name"] != "slow"))
        {
            Assert.Equal("reused", (string?)step!["state"]);
            var manifest = Manifest(StoreOf(project), (string)step["runId"]!);
            Assert.Equal("FINISHED", (string?)manifest["status"]);
            Assert.NotNull((string?)manifest["reusedFrom"]);
        }

        Assert.Equal("a\n", File.ReadAllText(Path.Combine(project, "b", "out")));
        Assert.Empty(Directory.GetFiles(StoreOf(project), "*.tmp", SearchOption.AllDirectories));
        var listed = Repro.Run(project, "list", "--json");
        Assert.True(listed.ExitCode == 0, listed.ToString());
        var runs = JsonNode.Parse(listed.Stdout)!.AsArray();
        foreach (var step in record["steps"]!.AsArray().Where(step => (string?)step!["name"] != "slow"))
        {
            Assert.Equal("FINISHED", (string?)runs.Single(run => (string?)run!["runId"] == (string?)step!["runId"])!["status"]);
        }

        Assert.Equal(["ABANDONED"], runs.Where(run => run!["status"]!.GetValue<string>() is not "FINISHED").Select(run => (string?)run!["status"]));
    }

    [Fact]
    public void Pipeline_UpstreamStepWritesAnUndeclaredFile_LaterStepsCaptureTheCodeAfterItAsTheirOwnRunsWould()
    {
        // prepare's code is only prepare.sh, so the log it writes changes train's and evaluate's code, not its own.
        var (project, _) = CommittedProject(
            ("MLproject", MLproject.Replace("    outputs: [data]", "    outputs: [data]\n    code: [prepare.sh]", StringComparison.Ordinal)),
            ("raw.txt", "raw\n"),
            ("prepare.sh", PrepareScript + "echo prepared > prepare.log\n"),
            ("train.sh", TrainScript),
            ("evaluate.sh", EvaluateScript));

        var first = Repro.Run(project, "pipeline", ".", "--json");

        Assert.True(first.ExitCode == 0, first.ToString());
        var train = Manifest(StoreOf(project), (string)ParseJson(first.Stdout)["steps"]![1]!["runId"]!);
        Assert.Contains(train["git"]!["untracked"]!.AsArray(), file => (string?)file!["path"] == "prepare.log");

        var status = Repro.Run(project, "status", ".");
        var second = Repro.Run(project, "pipeline", ".", "--json");

        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(["reused", "reused", "reused"], ParseJson(second.Stdout)["steps"]!.AsArray().Select(step => (string?)step!["state"]));
        Assert.Equal(["prepare", "train", "evaluate"], Calls());
    }

    [Fact]
    public void Pipeline_ParameterOfOneStep_GoesOnlyThereAndReRunsItAndWhatReadsItsOutputs()
    {
        var project = Project();
        Assert.Equal(0, Repro.Run(project, "pipeline", ".").ExitCode);

        var result = Repro.Run(project, "pipeline", ".", "-P", "lr=0.2", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["prepare", "train", "evaluate", "train", "evaluate"], Calls());
        var record = ParseJson(result.Stdout);
        Assert.Equal(["reused", "executed", "executed"], record["steps"]!.AsArray().Select(step => (string?)step!["state"]));
        var prepare = Manifest(StoreOf(project), (string)record["steps"]![0]!["runId"]!);
        Assert.DoesNotContain(prepare["parameters"]!.AsArray(), parameter => (string?)parameter!["name"] == "lr");
    }

    [Fact]
    public void Pipeline_ParameterNoStepDeclares_ExitsTwoAndWritesNothing()
    {
        var project = Project();

        var result = Repro.Run(project, "pipeline", ".", "-P", "epochs=3");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("-P epochs: no step of this pipeline (prepare, train, evaluate) declares parameter 'epochs'", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(StoreOf(project)));
        Assert.Empty(Calls());
    }

    [Fact]
    public void Pipeline_FailingMiddleStep_StopsWhatIsBelowExitsOneAndKeepsFinishedStepsReusable()
    {
        var project = Project();

        var failed = Repro.Run(project, "pipeline", ".", "-P", "fail=1");

        Assert.Equal(1, failed.ExitCode);
        Assert.Equal(["prepare", "train"], Calls());
        var record = LatestPipeline(project);
        Assert.Equal("FAILED", (string?)record["status"]);
        Assert.Equal(["executed", "executed", "notRun"], record["steps"]!.AsArray().Select(step => (string?)step!["state"]));
        Assert.Equal("FAILED", (string?)record["steps"]![1]!["status"]);

        var again = Repro.Run(project, "pipeline", ".");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(["prepare", "train", "train", "evaluate"], Calls());
    }

    [Fact]
    public void Pipeline_DryRun_ShowsRunOrReuseWithWhyAndChangesNothing()
    {
        var project = Project();
        Assert.Equal(0, Repro.Run(project, "pipeline", ".").ExitCode);
        File.AppendAllText(Path.Combine(project, "raw.txt"), "more\n");
        var before = FilesUnder(project);

        var result = Repro.Run(project, "pipeline", ".", "--dry-run");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("prepare   run: no earlier successful run has the same code, data, parameters and environment", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("train     run: upstream step prepare runs first", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(before, FilesUnder(project));
        Assert.Equal(["prepare", "train", "evaluate"], Calls());

        File.WriteAllText(Path.Combine(project, "raw.txt"), "raw\n");
        var reuse = Repro.Run(project, "pipeline", ".", "--dry-run", "-e", "train");

        Assert.Contains("prepare  reuse: run ", reuse.Stdout, StringComparison.Ordinal);
        Assert.Contains("train    reuse: run ", reuse.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("evaluate", reuse.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Pipeline_CodeChangeOrForceStep_ExecutesThatStepAndReusesWhatItsUnchangedOutputsFeed()
    {
        var (project, git) = ProjectWithGit();
        Assert.Equal(0, Repro.Run(project, "pipeline", ".").ExitCode);

        var forced = Repro.Run(project, "pipeline", ".", "--force-step", "train");

        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Equal(["prepare", "train", "evaluate", "train"], Calls());

        File.AppendAllText(Path.Combine(project, "prepare.sh"), "# a comment\n");
        git.CommitAll("comment");
        var changed = Repro.Run(project, "pipeline", ".");

        Assert.True(changed.ExitCode == 0, changed.ToString());
        Assert.Equal(["prepare", "train", "evaluate", "train", "prepare", "train", "evaluate"], Calls());
    }

    [Fact]
    public void Pipeline_CodePaths_NarrowWhatCountsAsTheStepsCode()
    {
        var (project, _) = CommittedProject(
            ("MLproject", MLproject.Replace("    metrics: metrics.json", "    metrics: metrics.json\n    code: [train.sh]", StringComparison.Ordinal)),
            ("notes.md", "notes\n"),
            ("raw.txt", "raw\n"),
            ("prepare.sh", PrepareScript),
            ("train.sh", TrainScript),
            ("evaluate.sh", EvaluateScript));
        Assert.Equal(0, Repro.Run(project, "pipeline", ".").ExitCode);

        File.AppendAllText(Path.Combine(project, "notes.md"), "an uncommitted edit\n");
        var unrelated = Repro.Run(project, "pipeline", ".");

        Assert.True(unrelated.ExitCode == 0, unrelated.ToString());
        Assert.Equal(["prepare", "train", "evaluate", "prepare", "evaluate"], Calls());

        File.AppendAllText(Path.Combine(project, "train.sh"), "# tuned\n");
        var own = Repro.Run(project, "pipeline", ".", "-e", "train");

        Assert.True(own.ExitCode == 0, own.ToString());
        Assert.Equal(["prepare", "train", "evaluate", "prepare", "evaluate", "prepare", "train"], Calls());
    }

    [Fact]
    public void Pipeline_Cycle_ExitsTwoAtItsLocationAndCheckReportsIt()
    {
        var (project, _) = CommittedProject(("MLproject", """
            entry_points:
              a:
                command: "true"
                needs: [b]
              b:
                command: "true"
                needs: [a]
            """));

        var result = Repro.Run(project, "pipeline", ".");
        var check = Repro.Run(project, "check", ".");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("MLproject:2:3: entry points depend on each other in a cycle", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, check.ExitCode);
        Assert.Contains("MLproject:2:3: error: entry points depend on each other in a cycle", check.Stdout + check.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void ShowAndList_PipelineByPrefixAndLatest_PrintItsSteps()
    {
        var project = Project();
        Assert.Equal(0, Repro.Run(project, "pipeline", ".").ExitCode);
        var id = (string)LatestPipeline(project)["pipelineId"]!;

        var byPrefix = Repro.Run(project, "show", id[..24]);
        var latest = Repro.Run(project, "show", "--pipeline", "latest");
        var list = Repro.Run(project, "list", "--pipelines");

        Assert.True(byPrefix.ExitCode == 0, byPrefix.ToString());
        Assert.Contains($"pipeline {id}: FINISHED (3 step(s): 3 executed, 0 reused)", byPrefix.Stdout, StringComparison.Ordinal);
        Assert.Equal(byPrefix.Stdout, latest.Stdout);
        Assert.Contains($"{id}  FINISHED      3         3       0  evaluate", list.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_SaysUpToDateOrStaleWithEachReasonAndExitsZeroOrOne()
    {
        var (project, git) = ProjectWithGit();
        var never = Repro.Run(project, "status", ".");
        Assert.Equal(1, never.ExitCode);
        Assert.Contains("prepare   stale: never run", never.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, Repro.Run(project, "pipeline", ".").ExitCode);

        var fresh = Repro.Run(project, "status", ".");

        Assert.True(fresh.ExitCode == 0, fresh.ToString());
        Assert.Contains("evaluate  up to date (run ", fresh.Stdout, StringComparison.Ordinal);

        File.Delete(Path.Combine(project, "models", "model.bin"));
        var missing = Repro.Run(project, "status", ".", "-e", "train");

        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("train    stale: output models/model.bin is missing from the workspace; the run cache can restore it without re-running", missing.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, Repro.Run(project, "pipeline", ".").ExitCode);

        var oldRaw = Sha256Hex("raw\n");
        File.WriteAllText(Path.Combine(project, "raw.txt"), "changed\n");
        File.AppendAllText(Path.Combine(project, "train.sh"), "# tuned\n");
        git.CommitAll("tuning");
        var stale = Repro.Run(project, "status", ".", "--json");

        Assert.Equal(1, stale.ExitCode);
        var steps = ParseJson(stale.Stdout)["steps"]!.AsArray();
        var prepareReasons = steps[0]!["reasons"]!.AsArray().Select(reason => (string)reason!).ToList();
        Assert.Contains(prepareReasons, reason => reason.StartsWith($"input raw.txt changed: raw.txt {oldRaw[..12]} -> ", StringComparison.Ordinal));
        Assert.Contains(prepareReasons, reason => reason.StartsWith("code changed: committed files data/clean.txt, metrics.json, models/model.bin, raw.txt, reports/eval.txt, and 1 more", StringComparison.Ordinal));
        Assert.DoesNotContain(prepareReasons, reason => reason.Contains("SOURCE_DATE_EPOCH", StringComparison.Ordinal));
        Assert.Equal("upstream step prepare is stale", (string?)steps[1]!["reasons"]![0]);
        Assert.Equal(["prepare", "train", "evaluate"], Calls());
    }

    [Fact]
    public void Pipeline_JobsTwo_RunsIndependentStepsAtOncePrefixingTheirOutput()
    {
        // left and right each wait (up to 60 s) for the other to have started: they finish only when run at once.
        var (project, _) = CommittedProject(("MLproject", """
            entry_points:
              left:
                command: "touch \"$CALLS.left\"; for i in $(seq 600); do [ -e \"$CALLS.right\" ] && break; sleep 0.1; done; [ -e \"$CALLS.right\" ] && mkdir -p l && echo left > l/x"
                outputs: [l]
              right:
                command: "touch \"$CALLS.right\"; for i in $(seq 600); do [ -e \"$CALLS.left\" ] && break; sleep 0.1; done; [ -e \"$CALLS.left\" ] && mkdir -p r && echo right > r/x"
                outputs: [r]
              join:
                command: "cat l/x r/x"
                inputs: [l, r]
            """));

        var result = Repro.Run(project, "pipeline", ".", "-j", "2");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("[join] left", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("[join] right", result.Stdout, StringComparison.Ordinal);
        Assert.Equal("FINISHED", (string?)LatestPipeline(project)["status"]);
    }

    [Fact]
    public async Task Pipeline_InterruptedWithSigint_KillsTheRunningStepRunsNothingMoreAndExits130()
    {
        var marker = "repro-test-" + Guid.NewGuid().ToString("N")[..8];
        var (project, _) = CommittedProject(("MLproject", $$"""
            entry_points:
              slow:
                command: "mkdir -p s && exec -a {{marker}} sleep 300"
                outputs: [s]
              after:
                command: "echo after >> \"$CALLS\""
                inputs: [s]
            """));

        using var process = Repro.Start(project, ["pipeline", "."]);
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        await Processes.WaitUntilAsync(() => Processes.WithMarker(marker) >= 1);
        Processes.Signal(process.Id, "INT");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 130, $"exit {process.ExitCode}: {await stderr}");
        Assert.Equal(0, Processes.WithMarker(marker));
        var record = LatestPipeline(project);
        Assert.Equal("KILLED", (string?)record["status"]);
        Assert.Equal("KILLED", (string?)record["steps"]![0]!["status"]);
        Assert.Equal("notRun", (string?)record["steps"]![1]!["state"]);
        Assert.Empty(Calls());
    }

    [Fact]
    public async Task Pipeline_StepRewritesALaterStepsSourceInputAfterThePlan_TheLaterStepRecordsItAsItIsAtItsTurn()
    {
        // later.txt is no step's output, so its digest is looked up ahead, while first runs; first then rewrites it.
        var project = CommittedProject(
            ("MLproject", """
                name: rewrite
                entry_points:
                  first:
                    command: "mkdir -p out && cp a.txt out/a.txt && printf rewritten > later.txt"
                    inputs: [a.txt]
                    outputs: [out]
                  warm:
                    command: "true"
                    inputs: [later.txt]
                  second:
                    command: "cat out/a.txt later.txt > second.txt"
                    inputs: [later.txt, out]
                    outputs: [second.txt]
                """),
            ("a.txt", "a\n"),
            ("later.txt", "as committed\n")).Directory;
        // Past the hash cache's racy margin, so that a run of warm leaves later.txt's digest in the cache.
        await Task.Delay(TimeSpan.FromSeconds(2.3));
        var warm = Repro.Run(project, "run", ".", "-e", "warm");
        Assert.True(warm.ExitCode == 0, warm.ToString());

        var result = Repro.Run(project, "pipeline", ".", "-e", "second");

        AssertBothExecutedAndSecondRecordedWhatItRead(project, result, "rewritten");
    }

    [Fact]
    public async Task Pipeline_ForcedStepRewritesALaterStepsSourceInputListedAhead_TheLaterStepRunsAgainOnWhatItReads()
    {
        // The second pipeline lists later.txt ahead, for second, before first's child starts; first then changes it. A
        // step that took that listing would be reused on the old bytes: once a child may start, every step lists again.
        // later.txt and the switch are ignored, so no code changes with them: only the listing decides.
        var project = CommittedProject(
            (".gitignore", "later.txt\nrewrite\n"),
            ("MLproject", """
                name: rewrite
                entry_points:
                  first:
                    command: "mkdir -p out && cp a.txt out/a.txt && if [ -e rewrite ]; then printf x >> later.txt; fi"
                    inputs: [a.txt]
                    outputs: [out]
                  second:
                    command: "cat out/a.txt later.txt > second.txt"
                    inputs: [later.txt, out]
                    outputs: [second.txt]
                """),
            ("a.txt", "a\n"),
            ("later.txt", "as committed\n")).Directory;
        // Past the hash cache's racy margin, twice: the first pipeline leaves later.txt's digest in the cache, and the
        // second finds it there for later.txt as it is, so it keeps the listing.
        await Task.Delay(TimeSpan.FromSeconds(2.3));
        var once = Repro.Run(project, "pipeline", ".", "-e", "second");
        Assert.True(once.ExitCode == 0, once.ToString());
        await Task.Delay(TimeSpan.FromSeconds(2.3));
        File.WriteAllText(Path.Combine(project, "rewrite"), string.Empty);

        var result = Repro.Run(project, "pipeline", ".", "-e", "second", "--force-step", "first");

        AssertBothExecutedAndSecondRecordedWhatItRead(project, result, "as committed\nx");
    }

    // Both steps of the rewrite projects executed, and second's record names later.txt as second read it.
    private static void AssertBothExecutedAndSecondRecordedWhatItRead(string project, ProcessResult result, string later)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        var record = LatestPipeline(project);
        Assert.All(record["steps"]!.AsArray(), step => Assert.Equal("executed", (string?)step!["state"]));
        var second = Manifest(StoreOf(project), (string)record["steps"]!.AsArray().Single(step => (string?)step!["name"] == "second")!["runId"]!);
        var recorded = second["inputs"]!.AsArray().Single(input => (string?)input!["spec"] == "later.txt")!;
        Assert.Equal(Sha256Hex(later), (string?)recorded["files"]![0]!["sha256"]);
        Assert.Equal("a\n" + later, File.ReadAllText(Path.Combine(project, "second.txt")));
    }

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    private string Project() => ProjectWithGit().Directory;

    private (string Directory, GitRepository Git) ProjectWithGit() => CommittedProject(
        ("MLproject", MLproject),
        ("raw.txt", "raw\n"),
        ("prepare.sh", PrepareScript),
        ("train.sh", TrainScript),
        ("evaluate.sh", EvaluateScript));

    private IReadOnlyList<string> Calls() => File.Exists(_calls) ? File.ReadAllLines(_calls) : [];

    private static JsonObject LatestPipeline(string project)
    {
        var root = Path.Combine(StoreOf(project), "pipelines");
        var latest = Directory.GetDirectories(root).Order(StringComparer.Ordinal).Last();
        return JsonNode.Parse(File.ReadAllText(Path.Combine(latest, "pipeline.json")))!.AsObject();
    }
}
