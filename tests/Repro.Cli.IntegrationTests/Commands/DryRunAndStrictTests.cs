using System.Security.Cryptography;
using Repro.Cli.IntegrationTests.Fixtures;

namespace Repro.Cli.IntegrationTests.Commands;

/// <summary><c>repro run --dry-run</c> (plans, never writes or hashes) and <c>--strict</c> on run and verify.</summary>
public sealed class DryRunAndStrictTests : ReproTestBase
{
    private const string Project = """
        name: dry
        seed: 11
        entry_points:
          main:
            parameters:
              alpha: {type: float, default: 0.10}
              data: {type: path, default: data/}
            command: "touch ran.marker && test -d {data} && echo {alpha} > out.txt"
            inputs: [data/]
            outputs: [out.txt]
            env: {OMP_NUM_THREADS: 2}
        """;

    [Fact]
    public void DryRun_LeavesTreeAndStoreByteIdentical()
    {
        var (project, _) = CommittedProject(("MLproject", Project), ("data/a.csv", "1,2\n"), ("data/b.csv", "3,4\n"));
        RunOnce(project);
        File.Delete(Path.Combine(project, "ran.marker"));
        var before = Snapshot(project);

        var result = Repro.Run(project, "run", ".", "--dry-run", "-P", "alpha=0.5");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(before, Snapshot(project));
        Assert.False(File.Exists(Path.Combine(project, "ran.marker")));
    }

    [Fact]
    public void DryRun_WithoutStore_CreatesNoStore()
    {
        var (project, _) = CommittedProject(("MLproject", Project), ("data/a.csv", "1\n"));
        var before = Snapshot(project);

        var result = Repro.Run(project, "run", ".", "--dry-run");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(before, Snapshot(project));
        Assert.False(Directory.Exists(StoreOf(project)));
    }

    [Fact]
    public void DryRun_PrintsCommandArgvParametersSeedEnvironmentAndInputs()
    {
        var (project, _) = CommittedProject(("MLproject", Project), ("data/a.csv", "1\n"), ("data/b.csv", "2\n"));

        var result = Repro.Run(project, "run", ".", "--dry-run", "-P", "extra=x y");

        Assert.True(result.ExitCode == 0, result.ToString());
        var data = Path.Combine(project, "data");
        var command = $"touch ran.marker && test -d {data} && echo 0.1 > out.txt --extra 'x y'";
        Assert.Contains($"command      {command}\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"argv         [\"bash\", \"-c\", \"{command}\"]\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("parameters   alpha=0.1 (default)\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"             data={data} (default: data/)\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("             extra=x y (extra)\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("seed         11 (mlproject)\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("environment  OMP_NUM_THREADS=2 (mlproject)\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("             PYTHONHASHSEED=11 (repro)\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("inputs       data/: directory, 2 file(s)\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"             parameter data: {data}: directory, 2 file(s)\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("outputs      out.txt\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"{Path.Combine(project, "MLproject")}:6:37: warning: the default of parameter 'alpha', 0.10", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void DryRun_Json_IsOneObjectWithThePlan()
    {
        var (project, _) = CommittedProject(("MLproject", Project), ("data/a.csv", "1\n"));

        var result = Repro.Run(project, "run", ".", "--dry-run", "--json", "--seed", "5");

        Assert.True(result.ExitCode == 0, result.ToString());
        var plan = ParseJson(result.Stdout);
        Assert.True((bool)plan["dryRun"]!);
        Assert.Equal("main", (string?)plan["entryPoint"]!["name"]);
        Assert.Equal("bash", (string?)plan["argv"]![0]);
        Assert.Equal(5, (long)plan["seed"]!["value"]!);
        Assert.Equal("cli", (string?)plan["seed"]!["source"]);
        Assert.Contains(plan["environment"]!.AsArray(), variable => (string?)variable!["name"] == "PYTHONHASHSEED" && (string?)variable["value"] == "5");
        Assert.Equal("directory", (string?)plan["inputs"]![0]!["kind"]);
        Assert.Single(plan["warnings"]!.AsArray());
    }

    [Fact]
    public void DryRun_BadParameter_ExitsTwoAndWritesNothing()
    {
        var (project, _) = CommittedProject(("MLproject", Project), ("data/a.csv", "1\n"));
        var before = Snapshot(project);

        var result = Repro.Run(project, "run", ".", "--dry-run", "-P", "alpha=fast");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("repro: parameter 'alpha' (float) must be a number; got 'fast'\n", result.Stderr);
        Assert.Equal(before, Snapshot(project));
    }

    [Fact]
    public void DryRun_MissingInput_ShowsThePlanAndExitsTwoAsTheRunWould()
    {
        var (project, _) = CommittedProject(("MLproject", Project.Replace("inputs: [data/]", "inputs: [data/, gone.csv]", StringComparison.Ordinal)), ("data/a.csv", "1\n"));
        var before = Snapshot(project);

        var result = Repro.Run(project, "run", ".", "--dry-run");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("             gone.csv: MISSING (input 'gone.csv' does not exist)\n", result.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("repro: input 'gone.csv' does not exist\n", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(project));
    }

    [Fact]
    public void Run_Warnings_AreRecordedInTheManifestWithTheirLocation()
    {
        var (project, _) = CommittedProject(("MLproject", Project), ("data/a.csv", "1\n"));

        var result = Repro.Run(project, "run", ".");

        Assert.True(result.ExitCode == 0, result.ToString());
        var expected = $"{Path.Combine(project, "MLproject")}:6:37: warning: the default of parameter 'alpha', 0.10, is read by MLflow's YAML reader as the float 0.1 and passed as '0.1'; quote it to pass '0.10'";
        Assert.Contains(expected + "\n", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(expected, OnlyManifest(StoreOf(project))["warnings"]!.AsArray().Select(node => (string?)node));
    }

    [Fact]
    public void Run_StrictWithWarning_ExitsTwoAndRecordsNothing()
    {
        var (project, _) = CommittedProject(("MLproject", Project), ("data/a.csv", "1\n"));

        var result = Repro.Run(project, "run", ".", "--strict");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"repro: {Path.Combine(project, "MLproject")}:6:37: the default of parameter 'alpha', 0.10, is read by MLflow's YAML reader as the float 0.1 and passed as '0.1'; quote it to pass '0.10' (an error under --strict)\n", result.Stderr);
        Assert.Empty(RunIds(StoreOf(project)));
        Assert.False(File.Exists(Path.Combine(project, "ran.marker")));
    }

    [Fact]
    public void Run_StrictWithoutWarnings_Runs()
    {
        var (project, _) = CommittedProject(("MLproject", Project.Replace("0.10", "0.1", StringComparison.Ordinal)), ("data/a.csv", "1\n"));

        var result = Repro.Run(project, "run", ".", "--strict");

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public void Verify_Strict_RefusesARunWhoseMLprojectHasWarnings()
    {
        var (project, _) = CommittedProject(("MLproject", Project), ("data/a.csv", "1\n"), (".gitignore", ".repro/\nout.txt\nran.marker\n"));
        var runId = RunOnce(project);

        var strict = Repro.Run(project, "verify", runId, "--strict");
        var lenient = Repro.Run(project, "verify", runId);

        Assert.Equal(2, strict.ExitCode);
        Assert.Contains(":6:37: the default of parameter 'alpha', 0.10, is read by MLflow's YAML reader as the float 0.1", strict.Stderr, StringComparison.Ordinal);
        Assert.Contains("(an error under --strict)", strict.Stderr, StringComparison.Ordinal);
        Assert.True(lenient.ExitCode == 0, lenient.ToString());
    }

    // Every file under the project, .git and the store included, with its content hash.
    private static SortedDictionary<string, string> Snapshot(string directory)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories))
        {
            files[Path.GetRelativePath(directory, entry)] = File.Exists(entry) ? Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(entry))) : "directory";
        }

        return files;
    }
}
