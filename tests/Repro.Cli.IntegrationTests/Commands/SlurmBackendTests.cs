using System.Diagnostics;
using System.Text.Json.Nodes;
using Repro.Cli.IntegrationTests.Fixtures;

namespace Repro.Cli.IntegrationTests.Commands;

/// <summary>
/// <c>--backend slurm</c>, <c>repro wait</c>, <c>repro cancel</c> and Slurm sweeps against the real one-node cluster
/// of build/slurm (jobs run as root on this machine, which is the shared file system). One class, so the jobs of these
/// tests do not compete for the node's two CPUs.
/// </summary>
public sealed class SlurmBackendTests : ReproTestBase
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(4);

    // train.sh writes out/result.txt from the tracked message.txt and the lr parameter, and rmse = lr as a metric;
    // it exits with EXIT and sleeps SLEEP seconds first.
    private const string TrainScript = """
        sleep "$3"
        mkdir -p out
        printf '%s lr=%s\n' "$(cat message.txt)" "$1" > out/result.txt
        printf '{"rmse": %s}\n' "$1" > "$REPRO_METRICS_FILE"
        exit "$2"
        """;

    private const string Project = """
        name: slurmed
        entry_points:
          main:
            parameters:
              lr: {type: float, default: 0.1}
              code: {type: string, default: "0"}
              sleep: {type: string, default: "0"}
              tag: {type: string, default: "none"}
            command: "bash train.sh {lr} {code} {sleep}"
            outputs: [out/]
          score:
            parameters:
              lr: {type: float, default: 0.1}
              tag: {type: string, default: "none"}
            command: "bash score.sh {lr}"
        """;

    private string NewProject() =>
        CommittedProject(("MLproject", Project), ("train.sh", TrainScript), ("score.sh", "printf '{\"rmse\": %s}\\n' \"$1\" > \"$REPRO_METRICS_FILE\"\n"), ("message.txt", "original\n"), (".gitignore", "out/\n")).Directory;

    private static void RequireCluster() => Assert.True(SlurmCluster.WhyNot is null, SlurmCluster.WhyNot);

    private static string SingleRunId(string stdout) => stdout.Trim().Split('\n').Select(line => line.Trim()).Single(line => line.Length > 0);

    private Task<ProcessResult> ReproAsync(string directory, params string[] arguments) => Repro.RunAsync(directory, arguments, JobTimeout);

    [SlurmFact]
    public async Task RunSlurm_Wait_RecordsTheJobAndTheNodeAndBringsOutputsBack()
    {
        RequireCluster();
        var project = NewProject();

        var result = await ReproAsync(project, "run", ".", "-P", "lr=0.5", "--backend", "slurm", "--wait");

        Assert.True(result.ExitCode == 0, result.ToString());
        var runId = SingleRunId(result.Stdout);
        var manifest = Manifest(StoreOf(project), runId);
        Assert.Equal("FINISHED", (string?)manifest["status"]);
        var scheduler = manifest["scheduler"]!.AsObject();
        Assert.Equal("slurm", (string?)scheduler["backend"]);
        Assert.Matches("^[0-9]+$", (string?)scheduler["jobId"]);
        Assert.Equal(System.Net.Dns.GetHostName(), (string?)scheduler["node"]);
        Assert.Equal("debug", (string?)scheduler["partition"]);
        Assert.StartsWith("slurm", (string?)scheduler["schedulerVersion"], StringComparison.Ordinal);
        Assert.Null(scheduler["arrayIndex"]);
        Assert.Equal(project, (string?)manifest["project"]!["directory"]);
        Assert.Equal(0.5, (double)manifest["metrics"]!["values"]!["rmse"]!);
        Assert.Equal("original lr=0.5\n", File.ReadAllText(Path.Combine(project, "out", "result.txt")));
        ManifestSchema.AssertValid(Path.Combine(StoreOf(project), "runs", runId, "run.json"));

        // The job wrote its manifest only; readers index it, and show and list name the job.
        var show = await ReproAsync(project, "show", runId);
        Assert.Contains($"slurm job {(string?)scheduler["jobId"]}", show.Stdout, StringComparison.Ordinal);
        var list = await ReproAsync(project, "list", "--json");
        Assert.Contains(runId, list.Stdout, StringComparison.Ordinal);
        Assert.Equal((string?)scheduler["jobId"], (string?)System.Text.Json.Nodes.JsonNode.Parse(list.Stdout)!.AsArray().Single(run => (string?)run!["runId"] == runId)!["jobId"]);
        var table = await ReproAsync(project, "list");
        Assert.Contains($"FINISHED (job {(string?)scheduler["jobId"]})", table.Stdout, StringComparison.Ordinal);

        // A Slurm run verifies locally, from its record.
        var verify = await ReproAsync(project, "verify", runId);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("REPRODUCED", verify.Stdout + verify.Stderr, StringComparison.Ordinal);

        // And on the cluster: the verification runs in a job, and its verdict and exit code come back.
        var onCluster = await ReproAsync(project, "verify", runId, "--backend", "slurm", "--json");
        Assert.True(onCluster.ExitCode == 0, onCluster.ToString());
        Assert.Equal("REPRODUCED", (string?)ParseJson(onCluster.Stdout)["verdict"]);
        Assert.Equal(3, RunIds(StoreOf(project)).Count);
    }

    [SlurmFact]
    public async Task RunSlurm_ProjectUri_RunsTheCachedCommitAndRecordsItsSource()
    {
        RequireCluster();
        // A bare repository, as a URL names one: it goes through the git cache (a working tree would be used in place).
        var work = NewProject();
        var commit = GitRepository.Run(work, "rev-parse", "HEAD").Trim();
        var origin = Temp.Combine("origin.git");
        GitRepository.Run(Temp.Path, "clone", "--quiet", "--bare", work, origin);
        var here = Temp.Folder("here");
        Repro.With("REPRO_CACHE_DIR", Temp.Combine("cache"));

        var result = await ReproAsync(here, "run", "file://" + origin, "-P", "lr=0.5", "--backend", "slurm", "--wait");

        Assert.True(result.ExitCode == 0, result.ToString());
        var store = Path.Combine(here, ".repro");
        var runId = SingleRunId(result.Stdout);
        var manifest = Manifest(store, runId);
        Assert.Equal("FINISHED", (string?)manifest["status"]);
        Assert.Equal("slurm", (string?)manifest["scheduler"]!["backend"]);
        Assert.Equal(origin, (string?)manifest["source"]!["uri"]);
        Assert.Equal(commit, (string?)manifest["source"]!["commit"]);
        Assert.Equal(commit, (string?)manifest["git"]!["commit"]);
        var output = manifest["outputs"]!.AsArray().SelectMany(record => record!["files"]!.AsArray()).Single();
        Assert.Equal(Sha256("original lr=0.5\n"), (string?)output!["sha256"]);
        ManifestSchema.AssertValid(Path.Combine(store, "runs", runId, "run.json"));

        // As a local run of the URI: the run's project is its own working copy, where the output comes back; the
        // repository it was fetched from is untouched.
        var project = (string)manifest["project"]!["directory"]!;
        Assert.StartsWith(Path.Combine(store, "work"), project, StringComparison.Ordinal);
        Assert.Equal("original lr=0.5\n", File.ReadAllText(Path.Combine(project, "out", "result.txt")));
        Assert.False(Directory.Exists(Path.Combine(work, "out")));

        var verify = await ReproAsync(here, "verify", runId);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("REPRODUCED", verify.Stdout + verify.Stderr, StringComparison.Ordinal);
    }

    [SlurmFact]
    public async Task RunSlurm_TreeEditedAfterSubmit_RunsTheRecordedCodeAndKeepsTheUsersFile()
    {
        RequireCluster();
        var project = NewProject();

        var submitted = await ReproAsync(project, "run", ".", "-P", "sleep=3", "--backend", "slurm");
        Assert.True(submitted.ExitCode == 0, submitted.ToString());
        var runId = SingleRunId(submitted.Stdout);
        Assert.Equal("QUEUED", (string?)Manifest(StoreOf(project), runId)["status"]);

        // After submitting: the code changes, and the user writes the output file the run will produce.
        File.WriteAllText(Path.Combine(project, "message.txt"), "edited\n");
        File.WriteAllText(Path.Combine(project, "train.sh"), "echo edited code ran > out/result.txt\n");
        Directory.CreateDirectory(Path.Combine(project, "out"));
        File.WriteAllText(Path.Combine(project, "out", "result.txt"), "mine\n");

        var waited = await ReproAsync(project, "wait", runId);

        Assert.True(waited.ExitCode == 0, waited.ToString());
        var manifest = Manifest(StoreOf(project), runId);
        var output = manifest["outputs"]!.AsArray().SelectMany(record => record!["files"]!.AsArray()).Single();
        Assert.Equal(Sha256("original lr=0.1\n"), (string?)output!["sha256"]);
        Assert.Equal("mine\n", File.ReadAllText(Path.Combine(project, "out", "result.txt")));
        Assert.Contains(manifest["warnings"]!.AsArray(), warning => ((string?)warning)!.Contains("out/result.txt changed", StringComparison.Ordinal));
        Assert.Contains("not overwritten", waited.Stderr, StringComparison.Ordinal);
    }

    [SlurmFact]
    public async Task Wait_FailingEntryPoint_ExitsOneAndRecordsItsCode()
    {
        RequireCluster();
        var project = NewProject();

        var result = await ReproAsync(project, "run", ".", "-P", "code=3", "--backend", "slurm", "--wait");

        Assert.Equal(1, result.ExitCode);
        var manifest = Manifest(StoreOf(project), SingleRunId(result.Stdout));
        Assert.Equal("FAILED", (string?)manifest["status"]);
        Assert.Equal(3, (int)manifest["execution"]!["exitCode"]!);
    }

    [SlurmFact]
    public async Task Cancel_RunningAndNeverStartedJobs_AreRecordedKilledWithSlurmsState()
    {
        RequireCluster();
        var project = NewProject();
        var running = SingleRunId((await ReproAsync(project, "run", ".", "-P", "sleep=120", "--backend", "slurm")).Stdout);
        // A job held back by --begin never starts, so it never writes its manifest: only Slurm's state can settle it.
        Temp.Write("later.yaml", "directives: [--begin=now+1hour]\n");
        var pending = SingleRunId((await ReproAsync(project, "run", ".", "--backend", "slurm", "--backend-config", Temp.Combine("later.yaml"))).Stdout);
        await WaitForStatusAsync(project, running, "RUNNING");

        var cancelled = await ReproAsync(project, "cancel", running, pending);

        Assert.True(cancelled.ExitCode == 0, cancelled.ToString());
        var runningManifest = Manifest(StoreOf(project), running);
        Assert.Equal("KILLED", (string?)runningManifest["status"]);
        Assert.Contains("CANCELLED", (string?)runningManifest["statusMessage"], StringComparison.Ordinal);
        var pendingManifest = Manifest(StoreOf(project), pending);
        Assert.Equal("KILLED", (string?)pendingManifest["status"]);
        Assert.Contains("CANCELLED", (string?)pendingManifest["statusMessage"], StringComparison.Ordinal);
        Assert.Contains("never started", (string?)pendingManifest["statusMessage"], StringComparison.Ordinal);
        Assert.Equal("CANCELLED", (string?)pendingManifest["scheduler"]!["finalState"]);
    }

    [SlurmFact]
    public async Task RunSlurm_JobDiesBeforeTheRunStarts_IsSettledFailedFromSlurmsState()
    {
        RequireCluster();
        var project = NewProject();
        // The job script's setup line fails, so repro never starts on the node and the manifest stays QUEUED.
        Temp.Write("broken.yaml", "setup: [\"exit 7\"]\n");

        var result = await ReproAsync(project, "run", ".", "--backend", "slurm", "--backend-config", Temp.Combine("broken.yaml"), "--wait");

        Assert.True(result.ExitCode == 1, result.ToString());
        var manifest = Manifest(StoreOf(project), SingleRunId(result.Stdout));
        Assert.Equal("FAILED", (string?)manifest["status"]);
        Assert.Contains("FAILED", (string?)manifest["statusMessage"], StringComparison.Ordinal);
        Assert.Contains("never started", (string?)manifest["statusMessage"], StringComparison.Ordinal);
        Assert.Equal("FAILED", (string?)manifest["scheduler"]!["finalState"]);
    }

    [SlurmFact]
    public async Task RunSlurmWait_CtrlC_CancelsTheJob()
    {
        RequireCluster();
        var project = NewProject();
        using var process = Repro.Start(project, ["run", ".", "-P", "sleep=120", "--backend", "slurm", "--wait"]);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var runId = await WaitForRunAsync(project);
        await WaitForStatusAsync(project, runId, "RUNNING");

        Processes.Signal(process.Id, "INT");
        await process.WaitForExitAsync(new CancellationTokenSource(JobTimeout).Token);

        Assert.True(process.ExitCode == 130, $"exit {process.ExitCode}\n{await stdout}\n{await stderr}");
        var manifest = Manifest(StoreOf(project), runId);
        Assert.Equal("KILLED", (string?)manifest["status"]);
        Assert.Contains("CANCELLED", (string?)manifest["statusMessage"], StringComparison.Ordinal);
    }

    [SlurmFact]
    public async Task RunSlurm_TimeLimitReached_IsKilledWithSlurmsReason()
    {
        RequireCluster();
        var project = NewProject();
        Temp.Write("short.yaml", "time: 1\n");

        var result = await ReproAsync(project, "run", ".", "-P", "sleep=300", "--backend", "slurm", "--backend-config", Temp.Combine("short.yaml"), "--wait");

        Assert.True(result.ExitCode == 130, result.ToString());
        var manifest = Manifest(StoreOf(project), SingleRunId(result.Stdout));
        Assert.Equal("KILLED", (string?)manifest["status"]);
        Assert.Contains("TIMEOUT", (string?)manifest["statusMessage"], StringComparison.Ordinal);
        Assert.Equal("TIMEOUT", (string?)manifest["scheduler"]!["finalState"]);
    }

    [SlurmFact]
    public async Task SweepSlurm_JobArrayThrottled_RunsEveryPointAndSortsByMetric()
    {
        RequireCluster();
        var project = NewProject();

        var result = await ReproAsync(project, "sweep", ".", "--grid", "lr=0.3,0.1,0.2", "-j", "2", "--backend", "slurm", "--wait", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var sweep = ParseJson(result.Stdout);
        Assert.Equal("FINISHED", (string?)sweep["status"]);
        var jobId = (string?)sweep["jobId"];
        var points = sweep["points"]!.AsArray();
        Assert.Equal(3, points.Count);
        for (var index = 0; index < 3; index++)
        {
            var manifest = Manifest(StoreOf(project), (string)points[index]!["runId"]!);
            Assert.Equal("FINISHED", (string?)manifest["status"]);
            Assert.Equal(jobId, (string?)manifest["scheduler"]!["jobId"]);
            Assert.Equal(index, (int)manifest["scheduler"]!["arrayIndex"]!);
            Assert.Equal((string?)sweep["sweepId"], (string?)manifest["sweep"]!["sweepId"]);
        }

        // A sweep's points keep their outputs in the store: the project could hold one point's only.
        Assert.False(File.Exists(Path.Combine(project, "out", "result.txt")));

        // Slurm itself holds the array's %2 throttle.
        var job = ProcessRunner.Run("scontrol", ["show", "job", "-o", jobId!], project);
        Assert.Contains("ArrayTaskThrottle=2", job.Stdout, StringComparison.Ordinal);

        var shown = await ReproAsync(project, "show", (string)sweep["sweepId"]!, "--sort-by", "rmse");
        Assert.True(shown.ExitCode == 0, shown.ToString());
        var rows = shown.Stdout.Split('\n').Where(line => line.Contains("FINISHED", StringComparison.Ordinal) && !line.StartsWith("sweep", StringComparison.Ordinal)).ToList();
        Assert.Equal(["0.1", "0.2", "0.3"], rows.Select(row => row.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]));
    }

    [Fact]
    public async Task RunSlurm_BadBackendConfig_IsALocatedErrorAndQueuesNothing()
    {
        var project = NewProject();
        Temp.Write("bad.yaml", "partition: debug\ncpus: two\n");

        var result = await ReproAsync(project, "run", ".", "--backend", "slurm", "--backend-config", Temp.Combine("bad.yaml"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"repro: {Temp.Combine("bad.yaml")}:2:7: 'cpus' must be a whole number of at least 1, not 'two'", result.Stderr.Trim());
        Assert.Empty(RunIds(StoreOf(project)));
    }

    [Fact]
    public async Task SweepLocal_TwoAtATimeWithAnEscapedComma_RecordsEveryPoint()
    {
        var project = NewProject();

        // Points running side by side share the project folder: this entry point writes only its own metrics file.
        var result = await ReproAsync(project, "sweep", ".", "-e", "score", "--grid", "lr=0.2,0.1", "--grid", @"tag=a\,b,c", "-j", "2", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var sweep = ParseJson(result.Stdout);
        Assert.Equal("FINISHED", (string?)sweep["status"]);
        var points = sweep["points"]!.AsArray().Select(point => ((string)point!["parameters"]!["lr"]!, (string)point["parameters"]!["tag"]!)).ToList();
        Assert.Equal([("0.2", "a,b"), ("0.2", "c"), ("0.1", "a,b"), ("0.1", "c")], points);
        foreach (var point in sweep["points"]!.AsArray())
        {
            var manifest = Manifest(StoreOf(project), (string)point!["runId"]!);
            Assert.Equal("FINISHED", (string?)manifest["status"]);
            Assert.Equal((string)point["parameters"]!["tag"]!, manifest["parameters"]!.AsArray().Single(p => (string?)p!["name"] == "tag")!["value"]!.GetValue<string>());
        }

        var shown = await ReproAsync(project, "show", (string)sweep["sweepId"]!, "--sort-by", "rmse", "--json");
        Assert.Equal(["0.1", "0.1", "0.2", "0.2"], ParseJson(shown.Stdout)["points"]!.AsArray().Select(point => (string)point!["parameters"]!["lr"]!));

        // list and verify take the sweep by id: its runs, and a verification of each.
        var listed = await ReproAsync(project, "list", "--sweep", (string)sweep["sweepId"]!, "--json");
        Assert.Equal(
            sweep["points"]!.AsArray().Select(point => (string)point!["runId"]!).Order(StringComparer.Ordinal),
            JsonNode.Parse(listed.Stdout)!.AsArray().Select(run => (string)run!["runId"]!).Order(StringComparer.Ordinal));
        var verified = await ReproAsync(project, "verify", (string)sweep["sweepId"]!);
        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.Equal(8, RunIds(StoreOf(project)).Count);
    }

    [Fact]
    public async Task SweepLocal_TwoAtATimeWritingOneOutputPath_EachRunRecordsItsOwnBytes()
    {
        var project = NewProject();

        // Every point writes out/result.txt; two run at once, each sleeping so that they overlap.
        var result = await ReproAsync(project, "sweep", ".", "--grid", "lr=0.1,0.2,0.3", "-P", "sleep=1", "-j", "2", "--json");

        Assert.True(result.ExitCode == 0, $"{result}\n{DescribeRuns(project)}");
        var sweep = ParseJson(result.Stdout);
        Assert.Equal("FINISHED", (string?)sweep["status"]);
        var points = sweep["points"]!.AsArray().Select(point => ((string)point!["parameters"]!["lr"]!, (string)point["runId"]!)).ToList();
        Assert.Equal(["0.1", "0.2", "0.3"], points.Select(point => point.Item1));

        // Nothing of a point is copied into the project, which could hold one point's outputs only; nor is a snapshot left.
        Assert.False(Directory.Exists(Path.Combine(project, "out")));
        Assert.False(Directory.Exists(Path.Combine(StoreOf(project), "jobs")) && Directory.EnumerateFileSystemEntries(Path.Combine(StoreOf(project), "jobs")).Any());
        foreach (var (lr, runId) in points)
        {
            var expected = $"original lr={lr}\n";
            var manifest = Manifest(StoreOf(project), runId);
            Assert.Equal("FINISHED", (string?)manifest["status"]);
            Assert.Equal(project, (string?)manifest["project"]!["directory"]);
            Assert.Null(manifest["scheduler"]);
            var output = manifest["outputs"]!.AsArray().SelectMany(record => record!["files"]!.AsArray()).Single();
            Assert.Equal("out/result.txt", (string?)output!["path"]);
            Assert.Equal(Sha256(expected), (string?)output["sha256"]);

            // checkout brings that run's own bytes back into the project.
            var checkout = await ReproAsync(project, "checkout", runId, "--outputs", "--force");
            Assert.True(checkout.ExitCode == 0, checkout.ToString());
            Assert.Equal(expected, File.ReadAllText(Path.Combine(project, "out", "result.txt")));
        }

        var shown = await ReproAsync(project, "show", (string)sweep["sweepId"]!);
        Assert.True(shown.ExitCode == 0, shown.ToString());
        var rows = shown.Stdout.Split('\n').Where(line => line.Contains("FINISHED", StringComparison.Ordinal) && !line.StartsWith("sweep", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, rows.Count);
        foreach (var (lr, _) in points)
        {
            Assert.Single(rows, row => row.Split(' ', StringSplitOptions.RemoveEmptyEntries).Count(word => word == lr) == 2);
        }
    }

    [Fact]
    public async Task SweepLocal_OutputsOverTheObjectSizeLimit_KeepsThePointsSnapshotAndSaysWhere()
    {
        var project = NewProject();

        var result = await ReproAsync(project, "sweep", ".", "--grid", "lr=0.4", "--object-size-limit", "0", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var runId = (string)ParseJson(result.Stdout)["points"]!.AsArray().Single()!["runId"]!;
        var kept = Path.Combine(StoreOf(project), "jobs", runId, "code");
        Assert.Equal("original lr=0.4\n", File.ReadAllText(Path.Combine(kept, "out", "result.txt")));
        Assert.Contains(Manifest(StoreOf(project), runId)["warnings"]!.AsArray(), warning => ((string?)warning)!.EndsWith($"are kept only in {kept}", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(project, "out")));
    }

    [Fact]
    public async Task SweepLocal_ProjectWithoutACommit_RunsInPlaceOneAtATimeAndRefusesMore()
    {
        var project = Temp.Combine("plain");
        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Combine(project, "MLproject"), Project);
        File.WriteAllText(Path.Combine(project, "train.sh"), TrainScript);
        File.WriteAllText(Path.Combine(project, "message.txt"), "plain\n");

        var refused = await ReproAsync(project, "sweep", ".", "--grid", "lr=0.1,0.2", "-j", "2");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("not in a git repository with a commit", refused.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(StoreOf(project), "sweeps")) && Directory.EnumerateFileSystemEntries(Path.Combine(StoreOf(project), "sweeps")).Any());

        var inPlace = await ReproAsync(project, "sweep", ".", "--grid", "lr=0.1,0.2", "-j", "1");

        Assert.True(inPlace.ExitCode == 0, inPlace.ToString());
        Assert.Equal("plain lr=0.2\n", File.ReadAllText(Path.Combine(project, "out", "result.txt")));
    }

    // Each run's status and message, and the end of its stderr: what a failure of a point needs to be understood.
    private static string DescribeRuns(string project) => string.Join('\n', RunIds(StoreOf(project)).Select(id =>
    {
        var manifest = Manifest(StoreOf(project), id);
        var stderr = Path.Combine(StoreOf(project), "runs", id, "stderr.log");
        return $"{id}: {(string?)manifest["status"]} {(string?)manifest["statusMessage"]} {(File.Exists(stderr) ? File.ReadAllText(stderr) : string.Empty)}";
    }));

    private static string Sha256(string text) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    private static async Task<string> WaitForRunAsync(string project)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < JobTimeout)
        {
            if (RunIds(StoreOf(project)) is [var id] && File.Exists(Path.Combine(StoreOf(project), "runs", id, "run.json"))
                && Manifest(StoreOf(project), id)["scheduler"] is JsonObject)
            {
                return id;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("no run was queued");
    }

    private static async Task WaitForStatusAsync(string project, string runId, string status)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < JobTimeout)
        {
            if ((string?)Manifest(StoreOf(project), runId)["status"] == status)
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"run {runId} never became {status}");
    }
}
