using System.Text.Json.Nodes;
using Repro.Cli.IntegrationTests.Fixtures;

namespace Repro.Cli.IntegrationTests.Commands;

public sealed class RunCommandTests : ReproTestBase
{
    private const string Greeter = """
        name: greeter-project
        entry_points:
          greeter:
            parameters:
              greeting: {type: string, default: "hi"}
              name: string
            command: "echo {greeting} {name}"
          main:
            command: "echo 'Main entry point'"
        """;

    [Fact]
    public void Run_NoDataToHash_LeavesNoHashCacheInTheStore()
    {
        var (project, _) = CommittedProject(("MLproject", "entry_points:\n  main:\n    command: \"true\"\n"));

        var result = Repro.Run(project, "run", ".");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("FINISHED", (string?)OnlyManifest(StoreOf(project))["status"]);
        Assert.False(File.Exists(Path.Combine(StoreOf(project), "hash-cache.db")));
    }

    [Fact]
    public void Run_DeclaredEntryPoint_RunsRenderedCommandAndRecordsFinishedRun()
    {
        var (project, git) = CommittedProject(("MLproject", Greeter));

        var result = Repro.Run(project, "run", ".", "-e", "greeter", "-P", "name=friend", "-P", "excitement=10", "--seed", "7");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("hi friend --excitement 10\n", result.Stdout);
        var manifest = OnlyManifest(StoreOf(project));
        Assert.Equal(1, (int)manifest["schemaVersion"]!);
        Assert.Equal("FINISHED", (string?)manifest["status"]);
        Assert.Equal("echo hi friend --excitement 10", (string?)manifest["command"]!["rendered"]);
        Assert.Equal(new[] { "bash", "-c", "echo hi friend --excitement 10" }, manifest["command"]!["argv"]!.AsArray().Select(node => (string?)node));
        Assert.Equal(7, (long)manifest["seed"]!["value"]!);
        Assert.Equal("cli", (string?)manifest["seed"]!["source"]);
        Assert.Equal(git.Git("rev-parse", "HEAD").Trim(), (string?)manifest["git"]!["commit"]);
        Assert.False((bool)manifest["git"]!["dirty"]!);
        Assert.Equal(0, (int)manifest["execution"]!["exitCode"]!);
        var parameters = manifest["parameters"]!.AsArray().Select(node => ((string?)node!["name"], (string?)node["source"], (string?)node["value"])).ToList();
        Assert.Equal([("greeting", "default", "hi"), ("name", "user", "friend"), ("excitement", "extra", "10")], parameters);
    }

    [Fact]
    public void Run_Stdout_IsSavedInTheRunFolderWithItsHash()
    {
        var (project, _) = CommittedProject(("MLproject", "entry_points:\n  main:\n    command: \"echo out; echo err >&2\"\n"));

        var result = Repro.Run(project, "run", ".");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("err", result.Stderr, StringComparison.Ordinal);
        var runId = RunIds(StoreOf(project)).Single();
        var runDirectory = Path.Combine(StoreOf(project), "runs", runId);
        Assert.Equal("out\n", File.ReadAllText(Path.Combine(runDirectory, "stdout.log")));
        Assert.Equal("err\n", File.ReadAllText(Path.Combine(runDirectory, "stderr.log")));
        var stdout = Manifest(StoreOf(project), runId)["execution"]!["stdout"]!;
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("out\n"u8)), (string?)stdout["sha256"]);
    }

    [Fact]
    public void Run_FailingEntryPoint_ExitsOneAndRecordsItsExitCode()
    {
        var (project, _) = CommittedProject(("MLproject", "entry_points:\n  main:\n    command: \"exit 7\"\n"));

        var result = Repro.Run(project, "run", ".");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("exited with code 7", result.Stderr, StringComparison.Ordinal);
        var manifest = OnlyManifest(StoreOf(project));
        Assert.Equal("FAILED", (string?)manifest["status"]);
        Assert.Equal(7, (int)manifest["execution"]!["exitCode"]!);
    }

    [Fact]
    public void Run_UnknownEntryPoint_ExitsTwoWithOneLineListingEntryPointsAndRecordsNothing()
    {
        var (project, _) = CommittedProject(("MLproject", Greeter));

        var result = Repro.Run(project, "run", ".", "-e", "nope");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("nope", line, StringComparison.Ordinal);
        Assert.Contains("greeter", line, StringComparison.Ordinal);
        Assert.Empty(RunIds(StoreOf(project)));
    }

    [Fact]
    public void Run_MalformedYaml_ReportsFileLineAndColumnWithoutStackTrace()
    {
        var (project, _) = CommittedProject(("MLproject", "entry_points:\n  main:\n    command: 'unclosed\n"));

        var result = Repro.Run(project, "run", ".");

        Assert.Equal(2, result.ExitCode);
        Assert.Matches(@"MLproject:\d+:\d+: ", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(RunIds(StoreOf(project)));
    }

    [Fact]
    public void Run_MissingRequiredParameter_ExitsTwoNamingIt()
    {
        var (project, _) = CommittedProject(("MLproject", Greeter));

        var result = Repro.Run(project, "run", ".", "-e", "greeter");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("name", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(RunIds(StoreOf(project)));
    }

    [Fact]
    public void Run_HostileParameterValuesAndKeys_ArePassedLiterallyAndNeverExecuted()
    {
        var (project, _) = CommittedProject(("MLproject", "entry_points:\n  main:\n    parameters:\n      msg: string\n    command: \"printf '%s|' {msg}\"\n"));
        var marker = Path.Combine(Temp.Path, "pwned");
        var hostile = new[]
        {
            $"; touch {marker}",
            $"$(touch {marker})",
            $"`touch {marker}`",
            $"x' ; touch {marker}; echo '",
            $"a\ntouch {marker}",
        };

        foreach (var value in hostile)
        {
            var result = Repro.Run(project, "run", ".", "-P", $"msg={value}", "-P", $"k;touch {marker}=v");

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal($"{value}|--k;touch {marker}|v|", result.Stdout);
            Assert.False(File.Exists(marker), $"value {value} executed");
        }
    }

    [Fact]
    public void Run_SecretLookingVariables_NeverReachTheStore()
    {
        var (project, _) = CommittedProject(("MLproject", "entry_points:\n  main:\n    command: \"echo done\"\n"));
        var secrets = new Dictionary<string, string>
        {
            ["CUDA_ACCESS_TOKEN"] = "tok-" + Guid.NewGuid().ToString("N"),
            ["TORCH_PASSWORD"] = "pw-" + Guid.NewGuid().ToString("N"),
            ["OMP_SECRET"] = "sec-" + Guid.NewGuid().ToString("N"),
            ["DOTNET_API_KEY"] = "key-" + Guid.NewGuid().ToString("N"),
            ["AWS_SECRET_ACCESS_KEY"] = "aws-" + Guid.NewGuid().ToString("N"),
            ["GITHUB_TOKEN"] = "gh-" + Guid.NewGuid().ToString("N"),
        };
        foreach (var (name, value) in secrets)
        {
            Repro.With(name, value);
        }

        Repro.With("TORCH_HOME", "https://alice:hunter2-" + secrets["TORCH_PASSWORD"] + "@example.com/models");

        var result = Repro.Run(project, "run", ".");

        Assert.True(result.ExitCode == 0, result.ToString());
        var everything = string.Concat(Directory.EnumerateFiles(StoreOf(project), "*", SearchOption.AllDirectories)
            .Where(file => !file.EndsWith(".db", StringComparison.Ordinal) && !file.Contains(".db-", StringComparison.Ordinal))
            .Select(File.ReadAllText));
        foreach (var value in secrets.Values)
        {
            Assert.DoesNotContain(value, everything, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("hunter2", everything, StringComparison.Ordinal);
        var withheld = OnlyManifest(StoreOf(project))["environment"]!["withheldVariables"]!.AsArray().Select(node => (string?)node).ToList();
        Assert.Contains("CUDA_ACCESS_TOKEN", withheld);
        Assert.Contains("TORCH_PASSWORD", withheld);
    }

    [Fact]
    public void Run_AllowedVariablesWhoseValuesAreCredentials_AreWithheldAndListed()
    {
        var (project, _) = CommittedProject(("MLproject", "entry_points:\n  main:\n    command: \"echo done\"\n"));
        var secrets = new Dictionary<string, string>
        {
            ["NCCL_SOCKET_IFNAME"] = "ghp_" + new string('a', 36),
            ["DOTNET_CLI_HOME"] = Temp.Combine("cli-home") + "?password=" + Guid.NewGuid().ToString("N"),
            ["CUDA_CACHE_PATH"] = "glpat-" + Guid.NewGuid().ToString("N"),
            ["OMP_PLACES"] = "xoxb-123456789012-" + Guid.NewGuid().ToString("N"),
            ["MKL_VERBOSE"] = "AKIA" + "IOSFODNN7EXAMPLE",
            ["TORCH_HOME"] = "sk-proj-" + Guid.NewGuid().ToString("N"),
            ["JAX_PLATFORMS"] = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
            ["TF_CPP_MIN_LOG_LEVEL"] = "https://models.example.com/x?token=" + Guid.NewGuid().ToString("N"),
        };
        foreach (var (name, value) in secrets)
        {
            Repro.With(name, value);
        }

        Repro.With("OMP_NUM_THREADS", "2");

        var result = Repro.Run(project, "run", ".", "-P", "api_token=abc123");

        Assert.True(result.ExitCode == 0, result.ToString());
        var everything = string.Concat(Directory.EnumerateFiles(StoreOf(project), "*", SearchOption.AllDirectories)
            .Where(file => !file.EndsWith(".db", StringComparison.Ordinal) && !file.Contains(".db-", StringComparison.Ordinal))
            .Select(File.ReadAllText));
        foreach (var value in secrets.Values)
        {
            Assert.DoesNotContain(value, everything, StringComparison.Ordinal);
        }

        var environment = OnlyManifest(StoreOf(project))["environment"]!;
        var withheld = environment["withheldVariables"]!.AsArray().Select(node => (string?)node).ToList();
        Assert.All(secrets.Keys, name => Assert.Contains(name, withheld));
        Assert.Equal("2", (string?)environment["variables"]!["OMP_NUM_THREADS"]);
        Assert.Contains("parameter 'api_token' looks like a secret", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_CommandLongerThanOneArgumentMayBe_RunsFromAScriptAndIsRecordedWhole()
    {
        var text = string.Concat(Enumerable.Repeat("0123456789", 20_000));
        var (project, _) = CommittedProject(("MLproject", $"entry_points:\n  main:\n    command: \"printf %s {text} | wc -c\"\n"));

        var result = Repro.Run(project, "run", ".");

        Assert.True(result.ExitCode == 0, result.ToString());
        var manifest = OnlyManifest(StoreOf(project));
        Assert.Equal($"printf %s {text} | wc -c", (string?)manifest["command"]!["rendered"]);
        var runDirectory = Path.Combine(StoreOf(project), "runs", RunIds(StoreOf(project)).Single());
        Assert.Equal("200000", File.ReadAllText(Path.Combine(runDirectory, "stdout.log")).Trim());
        Assert.Equal($"printf %s {text} | wc -c\n", File.ReadAllText(Path.Combine(runDirectory, "command.sh")));
        var argv = manifest["command"]!["argv"]!.AsArray().Select(node => (string)node!).ToList();
        Assert.Equal(["bash", "-c"], argv.Take(2));
        Assert.Matches($"^\\. '?{System.Text.RegularExpressions.Regex.Escape(Path.Combine(runDirectory, "command.sh"))}'?$", argv[2]);
    }

    [Fact]
    public void Run_ChildEnvironment_HoldsRunVariablesAndDeterminismSwitches()
    {
        var (project, _) = CommittedProject(("MLproject", "seed: 1234\nentry_points:\n  main:\n    parameters:\n      alpha: {type: float, default: 0.5}\n    command: \"env\"\n"));
        Repro.With("CUBLAS_WORKSPACE_CONFIG", ":16:8");

        var result = Repro.Run(project, "run", ".", "--threads", "3");

        Assert.True(result.ExitCode == 0, result.ToString());
        var variables = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2)).Where(parts => parts.Length == 2).ToDictionary(parts => parts[0], parts => parts[1]);
        var runId = RunIds(StoreOf(project)).Single();
        Assert.Equal(runId, variables["REPRO_RUN_ID"]);
        Assert.Equal("1234", variables["REPRO_SEED"]);
        Assert.Equal("1234", variables["PYTHONHASHSEED"]);
        Assert.Equal(":16:8", variables["CUBLAS_WORKSPACE_CONFIG"]);
        Assert.Equal("1", variables["TF_DETERMINISTIC_OPS"]);
        Assert.Equal("3", variables["OMP_NUM_THREADS"]);
        Assert.Equal("FALSE", variables["MKL_DYNAMIC"]);
        Assert.Equal(GitRepository.FirstCommitTime.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), variables["SOURCE_DATE_EPOCH"]);
        Assert.Equal("0.5", (string?)ParseJson(File.ReadAllText(variables["REPRO_PARAMS_FILE"]))["alpha"]);

        var recorded = OnlyManifest(StoreOf(project))["determinism"]!["variables"]!.AsArray()
            .ToDictionary(node => (string)node!["name"]!, node => ((string?)node!["value"], (string?)node["setBy"]));
        Assert.Equal((":16:8", "user"), recorded["CUBLAS_WORKSPACE_CONFIG"]);
        Assert.Equal(("1234", "repro"), recorded["PYTHONHASHSEED"]);
        Assert.Equal(("3", "repro"), recorded["OPENBLAS_NUM_THREADS"]);
        Assert.Equal("mlproject", (string?)OnlyManifest(StoreOf(project))["seed"]!["source"]);
    }

    [Fact]
    public void Run_Json_PrintsOneJsonObjectAndSendsChildOutputToStderr()
    {
        var (project, _) = CommittedProject(("MLproject", "entry_points:\n  main:\n    command: \"echo child-output\"\n"));

        var result = Repro.Run(project, "run", ".", "--json", "--run-name", "first", "--experiment-name", "exp");

        Assert.Equal(0, result.ExitCode);
        var report = ParseJson(result.Stdout);
        Assert.Equal("FINISHED", (string?)report["status"]);
        Assert.Equal(RunIds(StoreOf(project)).Single(), (string?)report["runId"]);
        Assert.True(File.Exists((string?)report["manifestPath"]));
        Assert.Contains("child-output", result.Stderr, StringComparison.Ordinal);
        var manifest = OnlyManifest(StoreOf(project));
        Assert.Equal("first", (string?)manifest["runName"]);
        Assert.Equal("exp", (string?)manifest["experimentName"]);
    }

    [Fact]
    public void Run_StoreOptionAndVariable_ChooseWhereRunsGo()
    {
        var (project, _) = CommittedProject(("MLproject", "entry_points:\n  main:\n    command: \"true\"\n"));
        var byVariable = Temp.Combine("by-variable");
        var byOption = Temp.Combine("by-option");
        Repro.With("REPRO_STORE", byVariable);

        Assert.Equal(0, Repro.Run(project, "run", ".").ExitCode);
        Assert.Equal(0, Repro.Run(project, "run", ".", "--store", byOption).ExitCode);

        Assert.Single(RunIds(byVariable));
        Assert.Single(RunIds(byOption));
        Assert.False(Directory.Exists(StoreOf(project)));
    }

    [Fact]
    public void Run_DefaultStore_KeepsTheWorkingTreeClean()
    {
        var (project, git) = CommittedProject(("MLproject", "entry_points:\n  main:\n    command: \"true\"\n"));

        Assert.Equal(0, Repro.Run(project, "run", ".").ExitCode);
        Assert.Equal(0, Repro.Run(project, "run", ".").ExitCode);

        Assert.Equal(string.Empty, git.Git("status", "--porcelain"));
        Assert.False((bool)Manifest(StoreOf(project), RunIds(StoreOf(project))[1])["git"]!["dirty"]!);
    }

    [Fact]
    public void Run_RequireCleanOnDirtyTree_ExitsTwoAndRecordsNothing()
    {
        var (project, _) = CommittedProject(("MLproject", "entry_points:\n  main:\n    command: \"true\"\n"), ("data.txt", "v1\n"));
        File.WriteAllText(Path.Combine(project, "data.txt"), "v2\n");

        var result = Repro.Run(project, "run", ".", "--require-clean");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("uncommitted", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(RunIds(StoreOf(project)));
    }

    [Fact]
    public void Run_DirtyTree_RecordsAnApplicablePatchAndUntrackedFiles()
    {
        var (project, git) = CommittedProject(("MLproject", "entry_points:\n  main:\n    command: \"true\"\n"), ("data.txt", "v1\n"));
        File.WriteAllText(Path.Combine(project, "data.txt"), "v2\n");
        File.WriteAllText(Path.Combine(project, "notes.txt"), "untracked\n");

        var result = Repro.Run(project, "run", ".");

        Assert.Equal(0, result.ExitCode);
        var runId = RunIds(StoreOf(project)).Single();
        var manifest = Manifest(StoreOf(project), runId);
        Assert.True((bool)manifest["git"]!["dirty"]!);
        var patch = File.ReadAllText(Path.Combine(StoreOf(project), "runs", runId, "code.patch"));
        Assert.Contains("+v2", patch, StringComparison.Ordinal);
        var untracked = Assert.Single(manifest["git"]!["untracked"]!.AsArray());
        Assert.Equal("notes.txt", (string?)untracked!["path"]);
        Assert.DoesNotContain("untracked\n", File.ReadAllText(Path.Combine(StoreOf(project), "runs", runId, "run.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_NotAGitRepository_RunsAndRecordsThatWithAWarning()
    {
        var project = Temp.Combine("plain");
        Temp.Write("plain/MLproject", "entry_points:\n  main:\n    command: \"echo ok\"\n");

        var result = Repro.Run(project, "run", ".");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("warning", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("not-a-repository", (string?)OnlyManifest(StoreOf(project))["git"]!["state"]);
    }

    [Fact]
    public async Task Run_TwoConcurrentRunsInOneStore_AreBothRecordedIntact()
    {
        var (project, _) = CommittedProject(("MLproject", "entry_points:\n  main:\n    parameters:\n      n: int\n    command: \"sleep 0.5; echo run-{n}\"\n"));

        var first = Repro.RunAsync(project, ["run", ".", "-P", "n=1"]);
        var second = Repro.RunAsync(project, ["run", ".", "-P", "n=2"]);
        var results = await Task.WhenAll(first, second);

        Assert.All(results, result => Assert.True(result.ExitCode == 0, result.ToString()));
        var ids = RunIds(StoreOf(project));
        Assert.Equal(2, ids.Count);
        var outputs = ids.Select(id => File.ReadAllText(Path.Combine(StoreOf(project), "runs", id, "stdout.log"))).Order(StringComparer.Ordinal);
        Assert.Equal(["run-1\n", "run-2\n"], outputs);
        Assert.All(ids, id => Assert.Equal("FINISHED", (string?)Manifest(StoreOf(project), id)["status"]));
    }

    [Fact]
    public async Task Run_InterruptedWithSigint_RecordsKilledKeepsLogsAndLeavesNoProcess()
    {
        var marker = "repro-test-" + Guid.NewGuid().ToString("N")[..8];
        var (project, _) = CommittedProject(("MLproject", $"entry_points:\n  main:\n    command: \"echo started; bash -c 'exec -a {marker} sleep 300' & exec -a {marker} sleep 300\"\n"));

        using var process = Repro.Start(project, ["run", "."]);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await Processes.WaitUntilAsync(() => Processes.WithMarker(marker) >= 2);

        Processes.Signal(process.Id, "INT");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 130, $"exit {process.ExitCode}: {await stderr}");
        Assert.Equal(0, Processes.WithMarker(marker));
        var manifest = OnlyManifest(StoreOf(project));
        Assert.Equal("KILLED", (string?)manifest["status"]);
        Assert.Equal("SIGINT", (string?)manifest["execution"]!["signal"]);
        var runId = RunIds(StoreOf(project)).Single();
        Assert.Equal("started\n", File.ReadAllText(Path.Combine(StoreOf(project), "runs", runId, "stdout.log")));
        Assert.Contains("started", await stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_TerminatedWithSigterm_RecordsKilled()
    {
        var marker = "repro-test-" + Guid.NewGuid().ToString("N")[..8];
        var (project, _) = CommittedProject(("MLproject", $"entry_points:\n  main:\n    command: \"exec -a {marker} sleep 300\"\n"));

        using var process = Repro.Start(project, ["run", "."]);
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        await Processes.WaitUntilAsync(() => Processes.WithMarker(marker) >= 1);

        Processes.Signal(process.Id, "TERM");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(130, process.ExitCode);
        Assert.Equal(0, Processes.WithMarker(marker));
        var manifest = OnlyManifest(StoreOf(project));
        Assert.Equal("KILLED", (string?)manifest["status"]);
        Assert.Equal("SIGTERM", (string?)manifest["execution"]!["signal"]);
    }

    [Fact]
    public void Run_Outputs_AreCopiedIntoTheObjectStoreUpToTheSizeLimit()
    {
        var (project, _) = CommittedProject(("MLproject", "entry_points:\n  main:\n    outputs: [small.txt, big.bin]\n    command: \"echo hi > small.txt && head -c 2048 /dev/zero > big.bin\"\n"), (".gitignore", "small.txt\nbig.bin\n"));

        var result = Repro.Run(project, "run", ".", "--object-size-limit", "1KiB");

        Assert.True(result.ExitCode == 0, result.ToString());
        var files = OnlyManifest(StoreOf(project))["outputs"]!.AsArray().SelectMany(record => record!["files"]!.AsArray())
            .ToDictionary(file => (string)file!["path"]!, file => (Stored: (bool)file!["stored"]!, Sha: (string)file["sha256"]!));
        Assert.True(files["small.txt"].Stored);
        Assert.False(files["big.bin"].Stored);
        var small = files["small.txt"].Sha;
        var big = files["big.bin"].Sha;
        Assert.Equal("hi\n", File.ReadAllText(Path.Combine(StoreOf(project), "objects", "sha256", small[..2], small[2..])));
        Assert.False(File.Exists(Path.Combine(StoreOf(project), "objects", "sha256", big[..2], big[2..])));
    }

    [Theory]
    [InlineData("[data/missing.csv]", "data/missing.csv")]
    [InlineData("[\"data/*.parquet\"]", "data/*.parquet")]
    public void Run_MissingInputOrEmptyGlob_ExitsTwoNamingItBeforeAnythingRuns(string inputs, string named)
    {
        var marker = Path.Combine(Temp.Path, "ran");
        var (project, _) = CommittedProject(("MLproject", $"entry_points:\n  main:\n    inputs: {inputs}\n    command: \"touch {marker}\"\n"), ("data/present.csv", "a\n"));

        var result = Repro.Run(project, "run", ".");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(named, result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(marker));
        Assert.Empty(RunIds(StoreOf(project)));
    }

    [Fact]
    public void Run_DeclaredOutputMissingAfterSuccess_RecordsFailedNamingIt()
    {
        var (project, _) = CommittedProject(("MLproject", "entry_points:\n  main:\n    outputs: [model.bin]\n    command: \"echo trained\"\n"));

        var result = Repro.Run(project, "run", ".");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("model.bin", result.Stderr, StringComparison.Ordinal);
        var manifest = OnlyManifest(StoreOf(project));
        Assert.Equal("FAILED", (string?)manifest["status"]);
        Assert.Equal(0, (int)manifest["execution"]!["exitCode"]!);
        Assert.Contains("model.bin", (string?)manifest["statusMessage"], StringComparison.Ordinal);
    }

    [Fact]
    public void Run_DockerEnv_IsRefusedUnlessTheUserAsksToRunOnTheHost()
    {
        var (project, _) = CommittedProject(("MLproject", "docker_env:\n  image: python:3.11\nentry_points:\n  main:\n    command: \"echo on-host\"\n"));

        var refused = Repro.Run(project, "run", ".");
        var local = Repro.Run(project, "run", ".", "--env-manager", "local");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("Docker is not supported", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, local.ExitCode);
        Assert.Equal("on-host\n", local.Stdout);
        var manifest = OnlyManifest(StoreOf(project));
        Assert.Equal("docker_env", (string?)manifest["project"]!["environment"]!["kind"]);
        Assert.Equal("python:3.11", (string?)manifest["project"]!["environment"]!["image"]);
    }

    [Fact]
    public void Run_UndeclaredPythonScript_RunsWithPythonAndRecordsTheInterpreter()
    {
        var (project, _) = CommittedProject(
            ("MLproject", "entry_points:\n  main:\n    command: \"true\"\n"),
            ("train.py", "import sys\nprint('args', sys.argv[1:])\n"));
        var bin = Temp.Combine("bin");
        Directory.CreateDirectory(bin);
        File.CreateSymbolicLink(Path.Combine(bin, "python"), ProcessRunner.RunChecked("bash", ["-c", "command -v python3"], project).Trim());
        Repro.With("PATH", bin + ":" + Environment.GetEnvironmentVariable("PATH"));

        var result = Repro.Run(project, "run", ".", "-e", "train.py", "-P", "alpha=0.5");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("args ['--alpha', '0.5']\n", result.Stdout);
        var manifest = OnlyManifest(StoreOf(project));
        Assert.Equal("python-script", (string?)manifest["entryPoint"]!["kind"]);
        Assert.Equal("python train.py --alpha 0.5", (string?)manifest["command"]!["rendered"]);
        Assert.StartsWith("3.", (string?)manifest["environment"]!["interpreter"]!["version"], StringComparison.Ordinal);
    }

    // MLflow runs a folder without an MLproject file: `mlflow run . -e train.py -P x=1` runs `python train.py --x 1`.
    [Fact]
    public void Run_NoMLprojectFile_RunsTheNamedScriptsRecordsAndVerifies()
    {
        var (project, _) = CommittedProject(
            ("train.py", "import random, sys\nprint('args', sys.argv[1:], random.random())\n"),
            ("run.sh", "echo \"sh args: $*\"\n"));
        var bin = Temp.Combine("bin");
        Directory.CreateDirectory(bin);
        File.CreateSymbolicLink(Path.Combine(bin, "python"), ProcessRunner.RunChecked("bash", ["-c", "command -v python3"], project).Trim());
        Repro.With("PATH", bin + ":" + Environment.GetEnvironmentVariable("PATH")).With("SHELL", null);

        var python = RunOnce(project, "-e", "train.py", "-P", "x=1", "--seed", "3");
        var verify = Repro.Run(project, "verify", python, "--json");
        var shell = RunOnce(project, "-e", "run.sh", "-P", "x=1", "-P", "note=two words");
        var main = Repro.Run(project, "run", ".");
        var show = Repro.Run(project, "show", python);

        var store = StoreOf(project);
        var manifest = Manifest(store, python);
        Assert.Null(manifest["project"]!["file"]);
        Assert.Equal("python-script", (string?)manifest["entryPoint"]!["kind"]);
        Assert.Equal("python train.py --x 1", (string?)manifest["command"]!["rendered"]);
        Assert.Matches(@"^args \['--x', '1'\] 0\.[0-9]+\n$", File.ReadAllText(Path.Combine(store, "runs", python, "stdout.log")));
        ManifestSchema.AssertValid(Path.Combine(store, "runs", python, "run.json"));
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Equal("REPRODUCED", (string?)ParseJson(verify.Stdout)["verdict"]);
        Assert.Equal("bash run.sh --x 1 --note 'two words'", (string?)Manifest(store, shell)["command"]!["rendered"]);
        Assert.Equal("sh args: --x 1 --note two words\n", File.ReadAllText(Path.Combine(store, "runs", shell, "stdout.log")));
        Assert.Matches("(?m)^project +.+ \\(no MLproject file\\)$", show.Stdout);

        // Without -e the entry point is main, which only an MLproject file can declare: one line, nothing recorded.
        Assert.Equal(2, main.ExitCode);
        Assert.Equal(
            "repro: entry point 'main' is not a .py, .sh or .R file, and the project has no MLproject file to declare it (looked for MLproject, MLproject.yaml, MLproject.yml, in any letter case); name a script of the project, such as -e train.py\n",
            main.Stderr);
        Assert.Equal(3, RunIds(store).Count);
    }

    [Fact]
    public void Run_Inputs_AreFingerprintedWithTheirSha256()
    {
        var (project, _) = CommittedProject(
            ("MLproject", "entry_points:\n  main:\n    parameters:\n      table: path\n    inputs: [data/]\n    command: \"true\"\n"),
            ("data/a.csv", "a\n"),
            ("data/sub dir/b é.csv", "b\n"));

        var result = Repro.Run(project, "run", ".", "-P", "table=data/a.csv", "--rehash");

        Assert.True(result.ExitCode == 0, result.ToString());
        var inputs = OnlyManifest(StoreOf(project))["inputs"]!.AsArray();
        var directory = inputs.Single(node => (string?)node!["origin"] == "inputs")!;
        Assert.Equal("directory", (string?)directory["kind"]);
        Assert.Equal(["data/a.csv", "data/sub dir/b é.csv"], directory["files"]!.AsArray().Select(file => (string?)file!["path"]));
        var parameter = inputs.Single(node => (string?)node!["origin"] == "parameter:table")!;
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("a\n"u8)), (string?)parameter["digest"]);
    }

    [Fact]
    public void Run_MetricsFileWithANaNAsPythonWritesIt_RecordsEveryMetric()
    {
        var (project, _) = CommittedProject(
            ("MLproject", "entry_points:\n  main:\n    command: \"python3 train.py\"\n"),
            ("train.py", "import json, os\njson.dump({'loss': float('nan'), 'acc': 0.9}, open(os.environ['REPRO_METRICS_FILE'], 'w'))\n"));

        var result = Repro.Run(project, "run", ".");

        Assert.True(result.ExitCode == 0, result.ToString());
        var manifest = OnlyManifest(StoreOf(project));
        var values = manifest["metrics"]!["values"]!.AsObject();
        Assert.Equal("NaN", (string?)values["loss"]);
        Assert.Equal(0.9, (double)values["acc"]!);
        Assert.DoesNotContain(manifest["warnings"]!.AsArray(), warning => ((string?)warning)!.Contains("metrics", StringComparison.Ordinal));
        ManifestSchema.AssertValid(Path.Combine(StoreOf(project), "runs", RunIds(StoreOf(project)).Single(), "run.json"));
    }

    [Fact]
    public void Run_OutputThatCannotBeFingerprinted_IsRecordedAsFailedNotLeftRunning()
    {
        var (project, _) = CommittedProject(("MLproject", "entry_points:\n  main:\n    outputs: [out.pipe]\n    command: \"mkfifo out.pipe\"\n"), (".gitignore", "out.pipe\n"));

        var result = Repro.Run(project, "run", ".");

        Assert.Equal(1, result.ExitCode);
        var manifest = OnlyManifest(StoreOf(project));
        Assert.Equal("FAILED", (string?)manifest["status"]);
        Assert.Contains("out.pipe", (string?)manifest["statusMessage"], StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ProcessLeftRunningAfterTheEntryPointExits_IsStoppedAndReported()
    {
        var marker = "repro-test-" + Guid.NewGuid().ToString("N")[..8];
        var (project, _) = CommittedProject(("MLproject", $"entry_points:\n  main:\n    command: \"(exec -a {marker} sleep 300) > /dev/null 2>&1 & echo done\"\n"));

        var result = Repro.Run(project, "run", ".");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(0, Processes.WithMarker(marker));
        var warnings = OnlyManifest(StoreOf(project))["warnings"]!.AsArray().Select(node => (string?)node).ToList();
        Assert.Contains(warnings, warning => warning!.Contains("left 1 process(es) running", StringComparison.Ordinal));
    }
}
