using System.Collections;
using Repro.Core.AutoSeed;
using Repro.Core.Errors;
using Repro.Core.Execution;
using Repro.Core.Processes;
using Repro.Core.Projects;
using Repro.Core.Runs;
using Repro.Core.Tests.AutoSeed.Support;

namespace Repro.Core.Tests.Execution;

/// <summary>
/// The stages that put repro's Python hook on a run (<see cref="ChooseAutoSeedStage"/>, <see cref="PreparePythonHookStage"/>,
/// <see cref="ReadPythonReportStage"/>), run in-process through <see cref="RunService"/> on a real project, store and
/// interpreter.
/// </summary>
public sealed class PythonHookStagesTests : IDisposable
{
    private readonly TempDirectory _temp = new("pyhook");

    public void Dispose() => _temp.Dispose();

    [PythonFact]
    public async Task Run_PythonChild_IsSeededByTheHookInTheStoreAndTheManifestSaysSo()
    {
        var python = PythonInterpreters.RequireDefault();
        var request = Project($"{python} -c 'import random; print(repr(random.random()))'");

        var outcome = await RunService.RunAsync(request, new Interruption(), CancellationToken.None);

        Assert.Equal(RunStatus.Finished, outcome.Manifest.Status);
        Assert.Equal(Reference(python, "import random; random.seed(7); print(repr(random.random()))"), Stdout(outcome));
        var section = outcome.Manifest.Python!;
        Assert.True(section.AutoSeed);
        Assert.Equal(PythonHook.Sha256, section.Hook);
        var process = Assert.Single(section.Processes);
        Assert.Equal((PythonHookStatus.Seeded, "/", 7L), (process.Status, process.Stream, process.Seed));
        Assert.Contains(process.Libraries, library => library.Name == "random" && library.Seed == 7);
        var hookFolder = Path.Combine(request.StoreDirectory, PythonHook.VersionedFolderName);
        Assert.All(PythonHook.FileNames, name => Assert.True(File.Exists(Path.Combine(hookFolder, name)), name));
        Assert.True(File.Exists(new RunFolder(outcome.RunDirectory).PythonReport));
        var variables = outcome.Manifest.Determinism.Variables.ToDictionary(variable => variable.Name, StringComparer.Ordinal);
        Assert.Equal(("7", VariableSetter.Repro), (variables["PL_GLOBAL_SEED"].Value, variables["PL_GLOBAL_SEED"].SetBy));
        Assert.Equal("1", variables["PL_SEED_WORKERS"].Value);
        Assert.Equal(new RunFolder(outcome.RunDirectory).PythonReport, variables[AutoSeedEnvironment.ReportVariable].Value);
        Assert.DoesNotContain(outcome.Manifest.Warnings, warning => warning.Contains("python", StringComparison.OrdinalIgnoreCase));
    }

    [PythonFact]
    public async Task Run_PythonPathFromTheUserAndTheProject_HookFirstThenTheProjectsWhichWinsOverTheUsers()
    {
        var python = PythonInterpreters.RequireDefault();
        var request = Project($"{python} -c 'import os; print(os.environ[\"PYTHONPATH\"])'", env: "PYTHONPATH: project-lib");
        request = request with { Environment = new Dictionary<string, string>(request.Environment) { ["PYTHONPATH"] = "/home/u/lib", [AutoSeedEnvironment.AnnouncedVariable] = "1" } };

        var outcome = await RunService.RunAsync(request, new Interruption(), CancellationToken.None);

        var hookFolder = Path.Combine(request.StoreDirectory, PythonHook.VersionedFolderName);
        Assert.Equal($"{hookFolder}{Path.PathSeparator}project-lib\n", Stdout(outcome));
        Assert.Contains("repro: seeding random", File.ReadAllText(new RunFolder(outcome.RunDirectory).Stderr), StringComparison.Ordinal);
    }

    [PythonFact]
    public async Task Run_AutoSeedOff_LeavesPythonUnseededRecordsOffAndKeepsAnotherRunsHookVariablesFromTheChild()
    {
        var python = PythonInterpreters.RequireDefault();
        var request = Project($"{python} -c 'import os, sys; print(os.environ.get(\"REPRO_AUTOSEED_REPORT\"), os.environ.get(\"PL_GLOBAL_SEED\"), \"_repro_autoseed\" in sys.modules)'");
        request = request with
        {
            AutoSeed = false,
            Environment = new Dictionary<string, string>(request.Environment) { [AutoSeedEnvironment.ReportVariable] = "/outer/run/python-autoseed.jsonl" },
        };

        var outcome = await RunService.RunAsync(request, new Interruption(), CancellationToken.None);

        Assert.Equal("None None False\n", Stdout(outcome));
        Assert.Equal(PythonRecord.Off, outcome.Manifest.Python);
        Assert.DoesNotContain(outcome.Manifest.Determinism.Variables, variable => variable.Name is "PYTHONPATH" or "PL_GLOBAL_SEED");
        Assert.False(File.Exists(new RunFolder(outcome.RunDirectory).PythonReport));
    }

    [Fact]
    public async Task Run_ReportOfAnUnsupportedInterpreterAndABadLine_LandInTheSectionAndTheWarnings()
    {
        // What the hook's sitecustomize writes under a Python older than 3.8, written here by the command itself, so
        // that the record is tested where no old interpreter is installed (OldPythonHookTests runs the real ones).
        // Braces are doubled: a single one opens a parameter placeholder in an MLproject command.
        var request = Project("""printf '%s\n%s\n' '{{"report": 1, "status": "unsupported", "pid": 12, "ppid": 1, "executable": "/opt/python3.7", "pythonVersion": "3.7.16", "implementation": "cpython", "errors": ["Python 3.7.16 is older than 3.8, the oldest the hook supports"]}}' 'not json' >> "$REPRO_AUTOSEED_REPORT" """);

        var outcome = await RunService.RunAsync(request, new Interruption(), CancellationToken.None);

        Assert.Equal(RunStatus.Finished, outcome.Manifest.Status);
        var process = Assert.Single(outcome.Manifest.Python!.Processes);
        Assert.Equal(PythonHookStatus.Unsupported, process.Status);
        var warnings = outcome.Manifest.Warnings.Where(warning => warning.Contains("python", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.StartsWith($"{new RunFolder(outcome.RunDirectory).PythonReport}:2:", warnings[0], StringComparison.Ordinal);
        Assert.Contains(": not a Python hook report line", warnings[0], StringComparison.Ordinal);
        Assert.Equal("Python 3.7.16 (/opt/python3.7, 1 process) is older than 3.8: repro's hook did not seed its generators and the program ran unseeded (docs/python.md)", warnings[1]);
    }

    [PyenvFact("3.7")]
    public async Task Run_Python37_GoesOnUnseededAndTheManifestAndStderrSaySo()
    {
        var request = Project($"{PythonInterpreters.Pyenv("3.7")} -c 'print(\"ran\")'");

        var outcome = await RunService.RunAsync(request, new Interruption(), CancellationToken.None);

        Assert.Equal(RunStatus.Finished, outcome.Manifest.Status);
        Assert.Equal("ran\n", Stdout(outcome));
        Assert.Contains("is older than 3.8; repro does not seed its generators", File.ReadAllText(new RunFolder(outcome.RunDirectory).Stderr), StringComparison.Ordinal);
        Assert.Equal(PythonHookStatus.Unsupported, Assert.Single(outcome.Manifest.Python!.Processes).Status);
        Assert.Contains(outcome.Manifest.Warnings, warning => warning.StartsWith("Python 3.7.", StringComparison.Ordinal) && warning.Contains("is older than 3.8", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, null, null, true, "the default")]
    [InlineData(false, null, null, false, "--no-auto-seed")]
    [InlineData(false, true, true, false, "--no-auto-seed")]
    [InlineData(null, false, null, false, "auto_seed: false in MLproject")]
    [InlineData(null, false, true, true, "auto_seed: true in entry point 'main' of MLproject")]
    [InlineData(null, true, false, false, "auto_seed: false in entry point 'main' of MLproject")]
    public void Choose_CliThenEntryPointThenTopLevel_DecidesInThatOrder(bool? cli, bool? topLevel, bool? entryPoint, bool on, string because)
    {
        var request = new RunRequest { ProjectDirectory = "/p", StoreDirectory = "/s", Environment = new Dictionary<string, string>(), AutoSeed = cli ?? true };
        var main = new EntryPoint("main", [], "python train.py", new SourceLocation("MLproject", 3, 5), [], [], null, new Dictionary<string, string>()) { AutoSeed = entryPoint };
        var project = new MLProject("/p", "/p/MLproject", "MLproject", null, ProjectEnvironment.None, null, new Dictionary<string, EntryPoint> { ["main"] = main }) { AutoSeed = topLevel };

        Assert.Equal(new AutoSeedChoice(on, because), ChooseAutoSeedStage.Choose(request, main, project));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Choose_Verification_ReplaysTheRecordedChoiceWhateverTheProjectSaysNow(bool recorded)
    {
        var replay = new RunReplay("20240102-030405-000-0123abcd", new SeedRecord(7, SeedSource.Cli), [], new GitRecord { State = GitState.NotARepository }, recorded);
        var request = new RunRequest { ProjectDirectory = "/p", StoreDirectory = "/s", Environment = new Dictionary<string, string>(), Replay = replay };
        var project = new MLProject("/p", "/p/MLproject", "MLproject", null, ProjectEnvironment.None, null, new Dictionary<string, EntryPoint>()) { AutoSeed = !recorded };

        Assert.Equal(new AutoSeedChoice(recorded, "as run 20240102-030405-000-0123abcd ran"), ChooseAutoSeedStage.Choose(request, null, project));
    }

    private static string Stdout(RunOutcome outcome) => File.ReadAllText(new RunFolder(outcome.RunDirectory).Stdout);

    private string Reference(string python, string code)
    {
        var environment = PythonInterpreters.HostVariablesToClear.ToDictionary(name => name, string? (_) => null, StringComparer.Ordinal);
        return ProcessRunner.RunChecked(python, ["-c", code], _temp.Path, environment);
    }

    private RunRequest Project(string command, string? env = null)
    {
        var project = _temp.Folder("project");
        var envLines = env is null ? string.Empty : $"    env:\n      {env}\n";
        _temp.Write("project/MLproject", $"name: t\nentry_points:\n  main:\n    command: \"{command.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"\n{envLines}");
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = (string)entry.Value!;
        }

        foreach (var name in PythonInterpreters.HostVariablesToClear)
        {
            environment.Remove(name);
        }

        return new RunRequest
        {
            ProjectDirectory = project,
            StoreDirectory = _temp.Combine("store"),
            Environment = environment,
            Seed = 7,
        };
    }
}
