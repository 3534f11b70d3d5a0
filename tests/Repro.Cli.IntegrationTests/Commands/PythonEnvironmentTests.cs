using System.Text.Json.Nodes;
using Repro.Cli.IntegrationTests.Fixtures;

namespace Repro.Cli.IntegrationTests.Commands;

/// <summary>
/// <c>--env-manager virtualenv</c> through the built CLI: real virtual environments made by the machine's Python from
/// wheels the tests write, installed offline (<c>PIP_NO_INDEX=1</c>, <c>PIP_FIND_LINKS</c>). pip appends to
/// <c>PIP_LOG</c> on every call, so an unchanged log proves that no pip ran. Each build takes seconds, so each test
/// builds as few environments as its point needs.
/// </summary>
public sealed class PythonEnvironmentTests : ReproTestBase
{
    private const string MLproject = """
        name: venv-demo
        python_env: python_env.yaml
        entry_points:
          main:
            parameters:
              tag: {type: string, default: none}
            command: "python3 show.py {tag}"
            outputs: [out.txt]
        """;

    // What the child sees: the package's version, and whether it runs inside a virtual environment.
    private const string ShowScript = """
        import sys
        try:
            import reprotest_pkg
            value = reprotest_pkg.VALUE
        except ImportError:
            value = "no package"
        open("out.txt", "w").write(f"{value}\n{sys.prefix != sys.base_prefix}\n")
        """;

    private readonly string _wheels;
    private readonly string _cache;
    private readonly string _pipLog;
    private readonly string _python;

    public PythonEnvironmentTests()
    {
        _wheels = Temp.Folder("wheels");
        _cache = Temp.Combine("cache");
        _pipLog = Temp.Combine("pip.log");
        TestWheel.Write(_wheels, "reprotest-pkg", "1.0");
        _python = ProcessRunner.RunChecked("python3", ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"], Temp.Path).Trim();
        Repro.With("REPRO_CACHE_DIR", _cache)
            .With("PIP_NO_INDEX", "1")
            .With("PIP_FIND_LINKS", _wheels)
            .With("PIP_CONFIG_FILE", "/dev/null")
            .With("PIP_CACHE_DIR", Temp.Combine("pip-cache"))
            .With("PIP_LOG", _pipLog);
    }

    private string PythonEnv => $"python: \"{_python}\"\nbuild_dependencies:\n  - pip\ndependencies:\n  - -r requirements.txt\n";

    [Fact]
    public async Task Run_PythonEnv_BuildsOnceForConcurrentRunsThenReusesWithoutPipAndANewRequirementBuildsAnew()
    {
        var (project, git) = CommittedProject(("MLproject", MLproject), ("show.py", ShowScript), ("python_env.yaml", PythonEnv), ("requirements.txt", "reprotest-pkg==1.0\n"), (".gitignore", "out.txt\n"));
        var store = StoreOf(project);

        var first = await Task.WhenAll(
            Repro.RunAsync(project, ["run", ".", "-P", "tag=a"]),
            Repro.RunAsync(project, ["run", ".", "-P", "tag=b"]));
        Assert.All(first, result => Assert.True(result.ExitCode == 0, result.ToString()));
        Assert.Single(first, result => result.Stderr.Contains("repro: building a Python", StringComparison.Ordinal));
        var built = Manifest(store, RunIds(store)[0]);
        var python = built["pythonEnvironment"]!.AsObject();
        var key = (string)python["key"]!;
        Assert.Equal(key, (string?)Manifest(store, RunIds(store)[1])["pythonEnvironment"]!["key"]);
        Assert.Equal("virtualenv", (string?)built["project"]!["environment"]!["manager"]);
        Assert.StartsWith(_python + ".", (string)python["interpreter"]!["version"]!, StringComparison.Ordinal);
        Assert.Equal(
            new JsonObject { ["file"] = "python_env.yaml", ["python"] = _python, ["buildDependencies"] = new JsonArray("pip"), ["dependencies"] = new JsonArray("-r requirements.txt") }.ToJsonString(),
            new JsonObject { ["file"] = python["requested"]!["file"]!.DeepClone(), ["python"] = python["requested"]!["python"]!.DeepClone(), ["buildDependencies"] = python["requested"]!["buildDependencies"]!.DeepClone(), ["dependencies"] = python["requested"]!["dependencies"]!.DeepClone() }.ToJsonString());
        Assert.Equal("requirements.txt", (string?)python["requested"]!["requirementFiles"]![0]!["path"]);
        Assert.Equal("1.0", PackageVersion(built, "reprotest-pkg"));
        Assert.NotNull(PackageVersion(built, "pip"));
        Assert.Matches("^[0-9a-f]{64}$", (string)python["resolved"]!["freezeSha256"]!);
        Assert.StartsWith(Path.Combine(_cache, "python"), (string)built["environment"]!["interpreter"]!["path"]!, StringComparison.Ordinal);
        Assert.Equal("reprotest-pkg 1.0\nTrue\n", File.ReadAllText(Path.Combine(project, "out.txt")));
        ManifestSchema.AssertValid(Path.Combine(store, "runs", RunIds(store)[0], "run.json"));

        var pipCalls = File.ReadAllText(_pipLog);
        Assert.NotEmpty(pipCalls);
        var reused = Repro.Run(project, "run", ".");
        Assert.True(reused.ExitCode == 0, reused.ToString());
        Assert.Equal(pipCalls, File.ReadAllText(_pipLog));
        Assert.Equal(key, (string?)Latest(store)["pythonEnvironment"]!["key"]);
        var reusedRun = RunIds(store)[^1];

        var planned = Repro.Run(project, "run", ".", "--dry-run");
        Assert.True(planned.ExitCode == 0, planned.ToString());
        Assert.Contains("env manager  virtualenv", planned.Stdout, StringComparison.Ordinal);
        Assert.Contains($"virtualenv: would reuse {Path.Combine(_cache, "python", key[..32])}", planned.Stdout, StringComparison.Ordinal);

        var local = Repro.Run(project, "run", ".", "--env-manager", "local");
        Assert.True(local.ExitCode == 0, local.ToString());
        Assert.Equal(("local", null), ((string?)Latest(store)["project"]!["environment"]!["manager"], Latest(store)["pythonEnvironment"]));
        Assert.Equal("no package\nFalse\n", File.ReadAllText(Path.Combine(project, "out.txt")));

        var verify = Repro.Run(project, "verify", reusedRun);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("REPRODUCED", verify.Stdout, StringComparison.Ordinal);
        Assert.Equal(pipCalls, File.ReadAllText(_pipLog));

        TestWheel.Write(_wheels, "reprotest-pkg", "1.1");
        git.Write("requirements.txt", "reprotest-pkg==1.1\n");
        git.CommitAll("newer package");
        var changed = Repro.Run(project, "run", ".");
        Assert.True(changed.ExitCode == 0, changed.ToString());
        Assert.NotEqual(key, (string?)Latest(store)["pythonEnvironment"]!["key"]);
        Assert.Equal("1.1", PackageVersion(Latest(store), "reprotest-pkg"));
        Assert.Equal("reprotest-pkg 1.1\nTrue\n", File.ReadAllText(Path.Combine(project, "out.txt")));
    }

    [Fact]
    public void Verify_EnvironmentThatResolvesDifferently_NamesThePackageAndStrictEnvRefusesBeforeRunning()
    {
        var (project, _) = CommittedProject(("MLproject", MLproject), ("show.py", ShowScript), ("python_env.yaml", PythonEnv), ("requirements.txt", "reprotest-pkg>=1.0\n"), (".gitignore", "out.txt\n"));
        var store = StoreOf(project);
        var original = RunOnce(project);

        // A newer release appears and the environment is gone: the rebuild resolves the unpinned requirement anew.
        TestWheel.Write(_wheels, "reprotest-pkg", "1.1");
        Directory.Delete(Path.Combine(_cache, "python"), recursive: true);
        var verify = Repro.Run(project, "verify", original);

        Assert.True(verify.ExitCode == 1, verify.ToString());
        Assert.Contains("DIFFERENT", verify.Stdout, StringComparison.Ordinal);
        Assert.Contains("Python package reprotest-pkg 1.0 -> 1.1", verify.Stdout, StringComparison.Ordinal);
        Assert.Contains($"the Python environment resolves differently from run {original}: reprotest-pkg 1.0 -> 1.1", Latest(store)["warnings"]!.AsArray().Select(warning => (string?)warning));

        var runs = RunIds(store).Count;
        var pipCalls = File.ReadAllText(_pipLog);
        var strict = Repro.Run(project, "verify", original, "--strict-env");

        Assert.True(strict.ExitCode == 2, strict.ToString());
        Assert.Contains("NOT_VERIFIABLE", strict.Stdout, StringComparison.Ordinal);
        Assert.Contains($"--strict-env: the Python environment resolves differently from run {original}: reprotest-pkg 1.0 -> 1.1", strict.Stdout, StringComparison.Ordinal);
        Assert.Equal(runs, RunIds(store).Count);
        Assert.Equal(pipCalls, File.ReadAllText(_pipLog));
    }

    [Fact]
    public void Run_UnmeetableRequirement_IsOneErrorWithPipsReasonAndLeavesNothingBehind()
    {
        var (project, _) = CommittedProject(("MLproject", MLproject), ("show.py", ShowScript), ("python_env.yaml", PythonEnv), ("requirements.txt", "reprotest-pkg==9.9\n"));

        var result = Repro.Run(project, "run", ".");

        Assert.True(result.ExitCode == 2, result.ToString());
        var error = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.StartsWith("repro: pip could not install the dependencies of python_env.yaml: ERROR: Could not find a version that satisfies the requirement reprotest-pkg==9.9", error, StringComparison.Ordinal);
        Assert.EndsWith("ERROR: No matching distribution found for reprotest-pkg==9.9", error, StringComparison.Ordinal);
        Assert.Empty(RunIds(StoreOf(project)));
        Assert.All(Directory.GetFileSystemEntries(Path.Combine(_cache, "python")), entry => Assert.EndsWith(".lock", entry, StringComparison.Ordinal));
    }

    [Fact]
    public void Run_HashedRequirements_RunInTheEnvironmentRebuildOnRequestAndAWrongHashIsRefused()
    {
        const string EnvProject = """
            python_env: python_env.yaml
            entry_points:
              main:
                command: "python3 where.py"
            """;
        const string WhereScript = """
            import os, sys
            import reprotest_pkg
            open("where.txt", "w").write("\n".join([os.environ["VIRTUAL_ENV"], os.environ["PATH"].split(os.pathsep)[0], sys.prefix, reprotest_pkg.VALUE]) + "\n")
            """;
        var wheel = Path.Combine(_wheels, "reprotest_pkg-1.0-py3-none-any.whl");
        var (project, git) = CommittedProject(("MLproject", EnvProject), ("where.py", WhereScript), ("python_env.yaml", PythonEnv), ("requirements.txt", $"reprotest-pkg==1.0 --hash={TestWheel.HashOf(wheel)}\n"), (".gitignore", "where.txt\n"));
        var store = StoreOf(project);

        var built = Repro.Run(project, "run", ".");
        Assert.True(built.ExitCode == 0, built.ToString());
        var key = (string)Latest(store)["pythonEnvironment"]!["key"]!;
        var environment = Path.Combine(_cache, "python", key[..32]);
        Assert.Equal($"{environment}\n{Path.Combine(environment, "bin")}\n{environment}\nreprotest-pkg 1.0\n", File.ReadAllText(Path.Combine(project, "where.txt")));

        var pipCalls = File.ReadAllText(_pipLog);
        var rebuilt = Repro.Run(project, "run", ".", "--rebuild-env");
        Assert.True(rebuilt.ExitCode == 0, rebuilt.ToString());
        Assert.Contains("repro: building a Python", rebuilt.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(pipCalls, File.ReadAllText(_pipLog));
        Assert.Equal(key, (string?)Latest(store)["pythonEnvironment"]!["key"]);

        git.Write("requirements.txt", $"reprotest-pkg==1.0 --hash=sha256:{new string('0', 64)}\n");
        git.CommitAll("wrong hash");
        var wrongHash = Repro.Run(project, "run", ".");
        Assert.True(wrongHash.ExitCode == 2, wrongHash.ToString());
        Assert.StartsWith(
            "repro: pip could not install the dependencies of python_env.yaml: ERROR: THESE PACKAGES DO NOT MATCH THE HASHES",
            wrongHash.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1],
            StringComparison.Ordinal);
        Assert.Equal(2, RunIds(store).Count);
        Assert.Equal([environment], Directory.GetDirectories(Path.Combine(_cache, "python")));
    }

    [Fact]
    public void Run_PythonVersionThatIsNowhere_IsOneErrorNamingWhatWasSearched()
    {
        var pyenv = Temp.Folder("pyenv");
        var (project, _) = CommittedProject(("MLproject", MLproject), ("show.py", ShowScript), ("python_env.yaml", "python: \"3.4\"\ndependencies: []\n"));

        var result = Repro.With("PYENV_ROOT", pyenv).Run(project, "run", ".");

        Assert.Equal(
            (2, $"repro: no Python 3.4 found for python_env.yaml: searched python3.4 on PATH (none); pyenv versions in {Path.Combine(pyenv, "versions")} (none); install it (for example `pyenv install 3.4`) or name one with --python\n"),
            (result.ExitCode, result.Stderr));
        Assert.Empty(RunIds(StoreOf(project)));
        Assert.False(File.Exists(_pipLog));
    }

    [Fact]
    public void Run_EnvironmentManagerThatCannotServeTheProject_IsRefusedBeforeAnythingRuns()
    {
        var (project, _) = CommittedProject(
            ("MLproject", "conda_env: conda.yaml\nentry_points:\n  main:\n    command: \"echo hi\"\n"),
            ("conda.yaml", "dependencies: [python=3.11]\n"),
            ("python_env.yaml", PythonEnv));

        var conda = Repro.Run(project, "run", ".", "--env-manager", "conda");
        var virtualenv = Repro.Run(project, "run", ".", "--env-manager", "virtualenv");
        var local = Repro.Run(project, "run", ".");
        File.WriteAllText(Path.Combine(project, "MLproject"), "python_env: python_env.yaml\nentry_points:\n  main:\n    command: \"echo hi\"\n");
        var notPython = Repro.Run(project, "run", ".", "--python", "/bin/true");

        Assert.Equal((2, "repro: --env-manager conda: conda environments are not supported yet; pass --env-manager local to run on this host\n"), (conda.ExitCode, conda.Stderr));
        Assert.Equal(2, virtualenv.ExitCode);
        Assert.EndsWith("declares conda_env; repro builds virtual environments from a python_env only (pass --env-manager local to run on this host)\n", virtualenv.Stderr, StringComparison.Ordinal);
        Assert.True(local.ExitCode == 0, local.ToString());
        Assert.Contains("conda_env (conda.yaml) recorded but not created", local.Stderr, StringComparison.Ordinal);
        Assert.Equal((2, "repro: --python /bin/true: /bin/true did not answer as a Python interpreter\n"), (notPython.ExitCode, notPython.Stderr));
        Assert.Single(RunIds(StoreOf(project)));
        Assert.False(File.Exists(_pipLog));
    }

    [Fact]
    public void Run_PythonEnvWithTheHook_UnseededRandomIsSeededInsideTheVirtualenvVerifiesAndAFolderWithoutMLprojectBuildsItToo()
    {
        // The script seeds nothing: only repro's hook, started by the virtualenv's interpreter, can make the draws repeat.
        const string draw = """
            import os, random, sys
            import reprotest_pkg
            with open("draws.txt", "w") as out:
                out.write(f"{random.random()!r} {random.randrange(10**9)}\n")
            print(sys.prefix != sys.base_prefix, os.environ.get("VIRTUAL_ENV") == sys.prefix, reprotest_pkg.VALUE)
            """;
        var (project, _) = CommittedProject(
            ("MLproject", "python_env: python_env.yaml\nentry_points:\n  main:\n    command: \"python draw.py\"\n    outputs: [draws.txt]\n"),
            ("draw.py", draw),
            ("python_env.yaml", PythonEnv),
            ("requirements.txt", "reprotest-pkg==1.0\n"),
            ("plain/draw.py", draw),
            ("plain/python_env.yaml", PythonEnv),
            ("plain/requirements.txt", "reprotest-pkg==1.0\n"),
            (".gitignore", "draws.txt\n"));
        var store = StoreOf(project);
        var environments = Path.Combine(_cache, "python");
        var expected = ProcessRunner.RunChecked(
            "python3",
            ["-c", "import random; random.seed(7); print(f'{random.random()!r} {random.randrange(10**9)}')"],
            Temp.Path,
            PythonInterpreters.HostVariablesToClear.ToDictionary(name => name, string? (_) => null, StringComparer.Ordinal));

        var plan = Repro.Run(project, "run", ".", "--seed", "7", "--dry-run");
        var first = RunOnce(project, "--seed", "7");
        var firstDraws = File.ReadAllText(Path.Combine(project, "draws.txt"));
        var second = RunOnce(project, "--seed", "7");
        var pipCalls = File.ReadAllText(_pipLog);
        var verify = Repro.Run(project, "verify", first);

        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Contains("env manager  virtualenv", plan.Stdout, StringComparison.Ordinal);
        Assert.Contains("virtualenv: would build ", plan.Stdout, StringComparison.Ordinal);
        Assert.Contains("auto-seed    on: repro's hook seeds random, numpy, torch and tensorflow in every Python process, the virtualenv's included (the default)", plan.Stdout, StringComparison.Ordinal);
        Assert.Matches($@"(?m)^\s+PYTHONPATH={System.Text.RegularExpressions.Regex.Escape(store)}/python-hook-[0-9a-f]{{16}} \(repro\)$", plan.Stdout);
        Assert.Equal(expected, firstDraws);
        Assert.Equal(firstDraws, File.ReadAllText(Path.Combine(project, "draws.txt")));
        foreach (var run in new[] { first, second })
        {
            var manifest = Manifest(store, run);
            Assert.Equal("virtualenv", (string?)manifest["project"]!["environment"]!["manager"]);
            Assert.Equal("True True reprotest-pkg 1.0\n", File.ReadAllText(Path.Combine(store, "runs", run, "stdout.log")));
            var process = Assert.Single(manifest["python"]!["processes"]!.AsArray())!;
            Assert.Equal("seeded", (string?)process["status"]);
            Assert.StartsWith(environments, (string)process["executable"]!, StringComparison.Ordinal);
            Assert.Contains("random", process["libraries"]!.AsArray().Select(library => (string?)library!["name"]));
            Assert.DoesNotContain(environments, (string)manifest["pythonEnvironment"]!["interpreter"]!["path"]!, StringComparison.Ordinal);
            Assert.Contains(
                manifest["determinism"]!["variables"]!.AsArray(),
                variable => (string?)variable!["name"] == "PYTHONPATH" && ((string)variable["value"]!).StartsWith(Path.Combine(store, "python-hook-"), StringComparison.Ordinal));
            ManifestSchema.AssertValid(Path.Combine(store, "runs", run, "run.json"));
        }

        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("REPRODUCED", verify.Stdout, StringComparison.Ordinal);
        Assert.Equal(pipCalls, File.ReadAllText(_pipLog));
        Assert.True((bool)Latest(store)["python"]!["autoSeed"]!);
        Assert.StartsWith(environments, (string)Latest(store)["python"]!["processes"]![0]!["executable"]!, StringComparison.Ordinal);

        // No MLproject: python_env.yaml is the environment, as MLflow takes it, and virtualenv is its default manager.
        var plain = Path.Combine(project, "plain");
        var plainRun = RunOnce(plain, "-e", "draw.py", "--seed", "7");
        var plainManifest = Manifest(StoreOf(plain), plainRun);
        Assert.Null(plainManifest["project"]!["file"]);
        Assert.Equal(("python_env", "virtualenv"), ((string?)plainManifest["project"]!["environment"]!["kind"], (string?)plainManifest["project"]!["environment"]!["manager"]));
        Assert.Equal("python_env.yaml", (string?)plainManifest["pythonEnvironment"]!["requested"]!["file"]);
        Assert.Equal("True True reprotest-pkg 1.0\n", File.ReadAllText(Path.Combine(StoreOf(plain), "runs", plainRun, "stdout.log")));
        Assert.Equal(expected, File.ReadAllText(Path.Combine(plain, "draws.txt")));
        Assert.StartsWith(environments, (string)plainManifest["python"]!["processes"]![0]!["executable"]!, StringComparison.Ordinal);
    }

    private static JsonObject Latest(string store) => Manifest(store, RunIds(store)[^1]);

    private static string? PackageVersion(JsonObject manifest, string name) =>
        (string?)manifest["pythonEnvironment"]!["resolved"]!["packages"]!.AsArray().FirstOrDefault(package => (string?)package!["name"] == name)?["version"];
}
