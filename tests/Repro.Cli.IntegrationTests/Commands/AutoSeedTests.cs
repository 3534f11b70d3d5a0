using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Repro.Cli.IntegrationTests.Fixtures;

namespace Repro.Cli.IntegrationTests.Commands;

/// <summary>
/// repro's Python start-up hook through the built CLI (docs/python.md): an unmodified script that never seeds, run with
/// real NumPy and PyTorch, repeats bit for bit under one seed, changes with the seed, and changes from run to run
/// without the hook; the choice is recorded, replayed by verify and switchable from the MLproject.
/// </summary>
public sealed class AutoSeedTests : ReproTestBase
{
    private static readonly string[] Outputs = ["outputs/model.bin", "outputs/draws.json"];

    [PythonLibrariesFact]
    public void UnseededTraining_OneSeedTwice_IdenticalVerifiedAndRecorded_AnotherSeedDiffers()
    {
        var project = TrainingProject();

        var first = RunOnce(project, "--seed", "11");
        var firstOutputs = OutputHashes(project);
        var firstDraws = Draws(project);
        var second = RunOnce(project, "--seed", "11");
        var secondOutputs = OutputHashes(project);
        var verify = Repro.Run(project, "verify", first, "--json");
        RunOnce(project, "--seed", "12");
        var otherDraws = Draws(project);

        Assert.Equal(firstOutputs, secondOutputs);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Equal("REPRODUCED", (string?)ParseJson(verify.Stdout)["verdict"]);
        Assert.NotEqual(firstOutputs[0], OutputHashes(project)[0]);
        foreach (var key in new[] { "numpy", "default_rng", "random", "set_order", "pool" })
        {
            Assert.True(firstDraws[key]!.ToJsonString() != otherDraws[key]!.ToJsonString(), $"{key} is the same under seeds 11 and 12");
        }

        Assert.Equal("ran", (string?)firstDraws["user_sitecustomize"]);

        var store = StoreOf(project);

        // One line says what repro seeds, however many Python processes the run starts.
        var announcements = File.ReadAllLines(Path.Combine(store, "runs", first, "stderr.log")).Where(line => line.StartsWith("repro: seeding ", StringComparison.Ordinal)).ToList();
        Assert.Matches("^repro: seeding random, numpy, torch and tensorflow from seed 11 ", Assert.Single(announcements));
        ManifestSchema.AssertValid(Path.Combine(store, "runs", first, "run.json"));
        var python = Manifest(store, first)["python"]!.AsObject();
        Assert.True((bool)python["autoSeed"]!);
        var processes = python["processes"]!.AsArray();
        var main = processes.Single(process => (string?)process!["stream"] == "/")!;
        Assert.Equal(11L, (long)main["seed"]!);
        Assert.Equal(["numpy", "random", "torch"], main["libraries"]!.AsArray().Select(library => (string)library!["name"]!).Order(StringComparer.Ordinal));
        Assert.True((bool)main["flags"]!["torch.are_deterministic_algorithms_enabled"]!);
        Assert.Contains(processes, process => ((string?)process!["stream"])?.StartsWith("/mp:", StringComparison.Ordinal) == true);

        var show = Repro.Run(project, "show", first);
        Assert.Matches(@"(?m)^auto-seed   on \(hook [0-9a-f]{12}\), [0-9]+ Python processes reported$", show.Stdout);
        Assert.Matches(@"(?m)^seeded      numpy [^,]+, random [^,]+, torch \S+$", show.Stdout);

        // A recorded library version and flag that differ are named by diff (edited in the second run's record).
        var manifestPath = Path.Combine(store, "runs", second, "run.json");
        var edited = JsonNode.Parse(File.ReadAllText(manifestPath))!;
        foreach (var process in edited["python"]!["processes"]!.AsArray())
        {
            foreach (var library in process!["libraries"]!.AsArray().Where(library => (string?)library!["name"] == "torch"))
            {
                library!["version"] = "9.9.9";
            }

            if (process["flags"]!["torch.backends.cudnn.benchmark"] is not null)
            {
                process["flags"]!["torch.backends.cudnn.benchmark"] = true;
            }
        }

        File.WriteAllText(manifestPath, edited.ToJsonString());
        var diff = Repro.Run(project, "diff", first, second);
        Assert.True(diff.ExitCode == 0, diff.ToString());
        Assert.Matches(@"(?m)^  determinism\.python\.libraries\.torch\.version:\s+\S+ -> 9\.9\.9$", diff.Stdout);
        Assert.Matches(@"(?m)^  determinism\.python\.flags\.torch\.backends\.cudnn\.benchmark:\s+false -> true$", diff.Stdout);
        Assert.DoesNotContain("determinism.python.interpreter", diff.Stdout, StringComparison.Ordinal);
    }

    [PythonLibrariesFact]
    public void UnseededTraining_NoAutoSeed_DiffersFromRunToRunAndVerifyReplaysTheChoice()
    {
        var project = TrainingProject();

        var first = RunOnce(project, "--seed", "11", "--no-auto-seed");
        var firstOutputs = OutputHashes(project);
        var firstDraws = Draws(project);
        RunOnce(project, "--seed", "11", "--no-auto-seed");
        var secondDraws = Draws(project);
        var verify = Repro.Run(project, "verify", first, "--json");

        Assert.NotEqual(firstOutputs[0], OutputHashes(project)[0]);
        foreach (var key in new[] { "numpy", "default_rng", "random", "pool" })
        {
            Assert.True(firstDraws[key]!.ToJsonString() != secondDraws[key]!.ToJsonString(), $"{key} is the same in two runs without the hook");
        }

        // PYTHONHASHSEED is not the hook's: set order stays fixed.
        Assert.Equal(firstDraws["set_order"]!.ToJsonString(), secondDraws["set_order"]!.ToJsonString());
        Assert.Equal(1, verify.ExitCode);
        var report = ParseJson(verify.Stdout);
        Assert.Equal("DIFFERENT", (string?)report["verdict"]);
        var store = StoreOf(project);
        Assert.False((bool)Manifest(store, first)["python"]!["autoSeed"]!);
        Assert.False((bool)Manifest(store, (string)report["verificationRunId"]!)["python"]!["autoSeed"]!);
        Assert.DoesNotContain("repro: seeding", File.ReadAllText(Path.Combine(store, "runs", first, "stderr.log")), StringComparison.Ordinal);
    }

    [PythonLibrariesFact]
    public void AutoSeedKey_TopLevelFalseEntryPointTrue_EachRunRecordsItsChoiceAndTheDryRunListsTheHook()
    {
        var python = PythonInterpreters.RequireWithLibraries();
        var (project, _) = CommittedProject(
            ("MLproject", $"""
                auto_seed: false
                entry_points:
                  main:
                    command: "{python} draw.py"
                  seeded:
                    command: "{python} draw.py"
                    auto_seed: true
                """),
            ("draw.py", "import random\nprint(repr(random.random()))\n"));

        var off = RunOnce(project, "-e", "main", "--seed", "5");
        var on = RunOnce(project, "-e", "seeded", "--seed", "5");
        var plan = Repro.Run(project, "run", ".", "-e", "seeded", "--seed", "5", "--dry-run");
        var planOff = Repro.Run(project, "run", ".", "-e", "main", "--dry-run");

        var store = StoreOf(project);
        Assert.False((bool)Manifest(store, off)["python"]!["autoSeed"]!);
        Assert.True((bool)Manifest(store, on)["python"]!["autoSeed"]!);
        Assert.Equal(Reference(python, "import random; random.seed(5); print(repr(random.random()))"), File.ReadAllText(Path.Combine(store, "runs", on, "stdout.log")));
        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Contains("auto-seed    on: ", plan.Stdout, StringComparison.Ordinal);
        Assert.Matches($@"(?m)^\s+PYTHONPATH={System.Text.RegularExpressions.Regex.Escape(store)}/python-hook-[0-9a-f]{{16}} \(repro\)$", plan.Stdout);
        Assert.Matches(@"(?m)^\s+REPRO_AUTOSEED_REPORT=\S+/<run-id>/python-autoseed\.jsonl \(repro\)$", plan.Stdout);
        Assert.Matches(@"(?m)^\s+PL_GLOBAL_SEED=5 \(repro\)$", plan.Stdout);
        Assert.Contains("auto-seed    off (auto_seed: false in MLproject)", planOff.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("PYTHONPATH=", planOff.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("auto_seed: 'no'\nentry_points:\n  main:\n    command: python3 -c pass\n", "MLproject:1:12: auto_seed at the top level must be true or false, not 'no'")]
    [InlineData("entry_points:\n  main:\n    command: python3 -c pass\n    auto_seed: 1\n", "MLproject:4:16: auto_seed in entry point 'main' must be true or false, not '1'")]
    public void AutoSeedKey_NotABoolean_IsOneLocatedLineExitTwoAndNothingRecorded(string mlproject, string expected)
    {
        var (project, _) = CommittedProject(("MLproject", mlproject));

        var result = Repro.Run(project, "run", ".");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"repro: {Path.Combine(project, expected)}", result.Stderr.TrimEnd('\n'));
        Assert.Empty(RunIds(StoreOf(project)));
    }

    [Fact]
    public void LightningSwitches_SetByTheProject_AreLeftAloneRecordedAsTheProjectsAndReplayedByVerify()
    {
        var python = PythonInterpreters.RequireDefault();
        var (project, _) = CommittedProject(
            ("MLproject", $"""
                entry_points:
                  main:
                    command: "{python} -c 'import os; print(os.environ[\"PL_GLOBAL_SEED\"], os.environ[\"PL_SEED_WORKERS\"])'"
                    env:
                      PL_GLOBAL_SEED: "3"
                """));

        var run = RunOnce(project, "--seed", "8");
        var verify = Repro.Run(project, "verify", run, "--json");

        var store = StoreOf(project);
        Assert.Equal("3 1\n", File.ReadAllText(Path.Combine(store, "runs", run, "stdout.log")));
        var variables = Manifest(store, run)["determinism"]!["variables"]!.AsArray().ToDictionary(variable => (string)variable!["name"]!, variable => variable!);
        Assert.Equal(("3", "mlproject"), ((string)variables["PL_GLOBAL_SEED"]["value"]!, (string)variables["PL_GLOBAL_SEED"]["setBy"]!));
        Assert.Equal(("1", "repro"), ((string)variables["PL_SEED_WORKERS"]["value"]!, (string)variables["PL_SEED_WORKERS"]["setBy"]!));
        Assert.True(verify.ExitCode == 0, verify.ToString());
        var verification = (string)ParseJson(verify.Stdout)["verificationRunId"]!;
        Assert.Equal("3 1\n", File.ReadAllText(Path.Combine(store, "runs", verification, "stdout.log")));
    }

    [PyenvFact("3.7")]
    public void OldPython_RunGoesOnUnseeded_AndStderrAndTheManifestSaySo()
    {
        var python = PythonInterpreters.Pyenv("3.7")!;
        var (project, _) = CommittedProject(
            ("MLproject", $"""
                entry_points:
                  main:
                    command: "{python} -c 'print(\"program ran\")'"
                """));

        var result = Repro.Run(project, "run", ".", "--seed", "4");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("program ran\n", result.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^repro: Python 3\.7\.[0-9]+ is older than 3\.8; repro does not seed its generators \(docs/python\.md\)$", result.Stderr);
        Assert.Matches(@"(?m)^repro: warning: Python 3\.7\.[0-9]+ \(\S+, 1 process\) is older than 3\.8: repro's hook did not seed its generators and the program ran unseeded \(docs/python\.md\)$", result.Stderr);
        var store = StoreOf(project);
        var manifest = OnlyManifest(store);
        Assert.Contains(manifest["warnings"]!.AsArray(), warning => ((string?)warning)?.Contains("is older than 3.8", StringComparison.Ordinal) == true);
        var process = Assert.Single(manifest["python"]!["processes"]!.AsArray())!;
        Assert.Equal("unsupported", (string?)process["status"]);
        Assert.Null(process["seed"]);
        ManifestSchema.AssertValid(Path.Combine(store, "runs", RunIds(store)[0], "run.json"));
    }

    private string TrainingProject()
    {
        var python = PythonInterpreters.RequireWithLibraries();
        var fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Python");
        var (project, _) = CommittedProject(
            ("MLproject", $"""
                name: unseeded
                entry_points:
                  main:
                    command: "{python} train.py"
                    outputs: [outputs/model.bin, outputs/draws.json]
                    env:
                      PYTHONPATH: usersite
                """),
            (".gitignore", "outputs/\n"),
            ("train.py", File.ReadAllText(Path.Combine(fixtures, "train.py"))),
            ("usersite/sitecustomize.py", File.ReadAllText(Path.Combine(fixtures, "sitecustomize.py"))));
        return project;
    }

    private static List<string> OutputHashes(string project) =>
        [.. Outputs.Select(output => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(project, output)))))];

    private static JsonObject Draws(string project) => ParseJson(File.ReadAllText(Path.Combine(project, "outputs", "draws.json")));

    private string Reference(string python, string code) =>
        ProcessRunner.RunChecked(python, ["-c", code], Temp.Path, PythonInterpreters.HostVariablesToClear.ToDictionary(name => name, string? (_) => null, StringComparer.Ordinal));
}
