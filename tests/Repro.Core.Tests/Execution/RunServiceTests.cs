using System.Collections;
using System.Text;
using Repro.Core.Errors;
using Repro.Core.Execution;
using Repro.Core.Execution.Backends;
using Repro.Core.Processes;
using Repro.Core.Runs;
using Repro.Core.Store;
using Repro.Core.Tests.Store;

namespace Repro.Core.Tests.Execution;

/// <summary>The stages composed by <see cref="RunService"/>, run in-process on a real project, store and child.</summary>
public sealed class RunServiceTests : IDisposable
{
    private readonly TempDirectory _temp = new("run");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Run_MetricsWithANaNAsPythonWritesIt_RecordsEveryValue()
    {
        // Braces are doubled: a single one opens a parameter placeholder in an MLproject command.
        var request = Project("printf '{{\"loss\": NaN, \"acc\": 0.9, \"best\": -Infinity}}' > \"$REPRO_METRICS_FILE\"");

        var outcome = await RunService.RunAsync(request, new Interruption(), CancellationToken.None);

        Assert.Equal(RunStatus.Finished, outcome.Manifest.Status);
        var values = outcome.Manifest.Metrics!.Values;
        Assert.Equal(3, values.Count);
        Assert.True(double.IsNaN(values["loss"]));
        Assert.Equal(0.9, values["acc"]);
        Assert.Equal(double.NegativeInfinity, values["best"]);
        Assert.DoesNotContain(outcome.Manifest.Warnings, warning => warning.Contains("metrics", StringComparison.Ordinal));
        Assert.Equal(RunFolder.DefaultMetricsFileName, outcome.Manifest.Metrics.File);
    }

    [Fact]
    public async Task Run_FinishedRun_IsSavedAsTheOutcomeSays()
    {
        var request = Project("echo hello");

        var outcome = await RunService.RunAsync(request, new Interruption(), CancellationToken.None);

        var store = RunStore.OpenExisting(request.StoreDirectory);
        Assert.Equal(ManifestSerializer.Serialize(outcome.Manifest), ManifestSerializer.Serialize(store.Load(outcome.Manifest.RunId)));
        Assert.Equal(new RunFolder(outcome.RunDirectory).Manifest, outcome.ManifestPath);
        Assert.Equal("hello\n", File.ReadAllText(new RunFolder(outcome.RunDirectory).Stdout));
        Assert.Equal(0, outcome.Manifest.Execution!.ExitCode);
    }

    [Fact]
    public async Task Run_ManifestOnDisk_IsWhatTheSerializerWroteBeforeTheHandWrittenWriter()
    {
        var request = Project("mkdir -p out && printf 'é' > out/model.bin && printf '{{\"loss\": NaN, \"acc\": 0.9}}' > \"$REPRO_METRICS_FILE\" && echo 'done <ok>'", outputs: "out");

        var outcome = await RunService.RunAsync(request, new Interruption(), CancellationToken.None);

        var onDisk = Encoding.UTF8.GetString(File.ReadAllBytes(outcome.ManifestPath));
        var loaded = RunStore.OpenExisting(request.StoreDirectory).Load(outcome.Manifest.RunId);
        Assert.Equal(Encoding.UTF8.GetString(ManifestWriterTests.ReferenceBytes(loaded)), onDisk);
        Assert.Equal(Encoding.UTF8.GetString(ManifestWriterTests.ReferenceBytes(outcome.Manifest)), onDisk);
    }

    [Fact]
    public async Task Run_ManifestOnDisk_IsReadByTheHandWrittenReaderAsTheSerializerReadsIt()
    {
        var request = Project("mkdir -p out && printf 'é' > out/model.bin && printf '{{\"loss\": NaN, \"acc\": 0.9, \"best\": -Infinity}}' > \"$REPRO_METRICS_FILE\" && echo 'done <ok>'", outputs: "out");
        var outcome = await RunService.RunAsync(request, new Interruption(), CancellationToken.None);

        ManifestReaderTests.AssertReads(File.ReadAllBytes(outcome.ManifestPath));

        var failed = await RunService.RunAsync(Project("echo nope >&2; exit 3"), new Interruption(), CancellationToken.None);
        ManifestReaderTests.AssertReads(File.ReadAllBytes(failed.ManifestPath));
    }

    [Fact]
    public async Task Run_BadInput_RecordsNothingAndLeavesNoRunFolder()
    {
        var request = Project("true") with { EntryPoint = "missing" };

        await Assert.ThrowsAsync<InputException>(() => RunService.RunAsync(request, new Interruption(), CancellationToken.None));

        Assert.False(Directory.Exists(Path.Combine(request.StoreDirectory, StoreLayout.RunsFolderName))
            && Directory.EnumerateFileSystemEntries(Path.Combine(request.StoreDirectory, StoreLayout.RunsFolderName)).Any());
    }

    [Fact]
    public async Task Run_StageFailingBeforeTheStart_RemovesTheRunFolder()
    {
        var request = Project("true");
        var stages = RunStages.Default.ToList();
        stages.Insert(stages.FindIndex(stage => stage is StartStage), new Throwing(new InputException("refused by a stage")));

        var error = await Assert.ThrowsAsync<InputException>(() => RunService.RunAsync(request, new Interruption(), stages, CancellationToken.None));

        Assert.Equal("refused by a stage", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(request.StoreDirectory, StoreLayout.RunsFolderName)));
    }

    [Fact]
    public async Task Run_StageFailingAfterTheStart_IsRecordedFailedNotLeftRunning()
    {
        var request = Project("true");
        var stages = RunStages.Default.ToList();
        stages.Insert(stages.FindIndex(stage => stage is RecordStage), new Throwing(new StoreException("disk full")));

        await Assert.ThrowsAsync<StoreException>(() => RunService.RunAsync(request, new Interruption(), stages, CancellationToken.None));

        var store = RunStore.OpenExisting(request.StoreDirectory);
        var manifest = store.Load(Assert.Single(store.ListRunIds()));
        Assert.Equal(RunStatus.Failed, manifest.Status);
        Assert.Equal("repro failed while recording the run: disk full", manifest.StatusMessage);
        Assert.Equal(0, manifest.Execution!.ExitCode);
    }

    [Fact]
    public async Task Run_StageReplacingTheBackend_IsRecordedWithWhatTheBackendReports()
    {
        var request = Project("exit 1");
        var backend = new CannedBackend(exitCode: 0);
        var stages = RunStages.Default.ToList();
        stages.Insert(stages.FindIndex(stage => stage is ExecuteStage), new UseBackend(backend));

        var outcome = await RunService.RunAsync(request, new Interruption(), stages, CancellationToken.None);

        Assert.Equal(RunStatus.Finished, outcome.Manifest.Status);
        Assert.Equal(["bash", "-c", "exit 1"], backend.Argv);
        Assert.Equal(outcome.Manifest.RunId, backend.Environment!["REPRO_RUN_ID"]);
    }

    [Fact]
    public async Task Run_StageBeforeTheStart_ShapesTheChildsEnvironmentAndItsRecord()
    {
        var request = Project("echo \"$PATH|$EXTRA_SEED\"");
        var tools = _temp.Folder("tools");
        var stages = RunStages.Default.ToList();
        stages.Insert(stages.FindIndex(stage => stage is CaptureStage), new PrepareEnvironment(tools));

        var outcome = await RunService.RunAsync(request, new Interruption(), stages, CancellationToken.None);

        Assert.Equal($"{tools}:{request.Environment["PATH"]}|7\n", File.ReadAllText(new RunFolder(outcome.RunDirectory).Stdout));
        var recorded = outcome.Manifest.Determinism.Variables.Single(variable => variable.Name == "EXTRA_SEED");
        Assert.Equal(("7", VariableSetter.Repro), (recorded.Value, recorded.SetBy));
    }

    [Fact]
    public async Task Run_StagesOutOfOrder_SayWhichFactIsMissing()
    {
        var request = Project("true");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RunService.RunAsync(request, new Interruption(), [new ExecuteStage()], CancellationToken.None));

        Assert.Contains("Command", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_CancelledAfterAnInterruptBeforeTheStart_IsInterruptedAndRecordsNothing()
    {
        var request = Project("true");
        var interruption = new Interruption();
        interruption.Request(InterruptSignal.Interrupt);
        var stages = RunStages.Default.ToList();
        stages.Insert(stages.FindIndex(stage => stage is CaptureStage), new Throwing(new OperationCanceledException()));

        await Assert.ThrowsAsync<InterruptedException>(() => RunService.RunAsync(request, interruption, stages, CancellationToken.None));

        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(request.StoreDirectory, StoreLayout.RunsFolderName)));
    }

    [Fact]
    public async Task Run_NonZeroExitAndMissingOutput_IsFailedForTheExitCode()
    {
        var request = Project("exit 3", outputs: "model.bin");

        var outcome = await RunService.RunAsync(request, new Interruption(), CancellationToken.None);

        Assert.Equal(RunStatus.Failed, outcome.Manifest.Status);
        Assert.Equal("the entry point exited with code 3", outcome.Manifest.StatusMessage);
    }

    [Fact]
    public async Task Run_MissingOutputAfterSuccess_IsFailedNamingIt()
    {
        var request = Project("true", outputs: "model.bin");

        var outcome = await RunService.RunAsync(request, new Interruption(), CancellationToken.None);

        Assert.Equal(RunStatus.Failed, outcome.Manifest.Status);
        Assert.Contains("model.bin", outcome.Manifest.StatusMessage, StringComparison.Ordinal);
    }

    private RunRequest Project(string command, string? outputs = null)
    {
        var outputsLine = outputs is null ? string.Empty : $"    outputs: [{outputs}]\n";
        var project = _temp.Folder("project");
        _temp.Write("project/MLproject", $"name: t\nentry_points:\n  main:\n    command: \"{command.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"\n{outputsLine}");
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = (string)entry.Value!;
        }

        return new RunRequest
        {
            ProjectDirectory = project,
            StoreDirectory = _temp.Combine("store"),
            Environment = environment,
            Seed = 7,
        };
    }

    private sealed class Throwing(Exception exception) : IRunStage
    {
        public Task RunAsync(RunContext run, CancellationToken cancellationToken) => throw exception;
    }

    /// <summary>What an environment-building stage does: a folder first on PATH, a seed variable for a library.</summary>
    private sealed class PrepareEnvironment(string binFolder) : IRunStage
    {
        public Task RunAsync(RunContext run, CancellationToken cancellationToken)
        {
            run.InheritedEnvironment["PATH"] = binFolder + Path.PathSeparator + run.InheritedEnvironment["PATH"];
            run.AdditionalSwitches.Add(new DeterminismSwitch("EXTRA_SEED", run.Seed.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), "a library seeds from it at import"));
            return Task.CompletedTask;
        }
    }

    private sealed class UseBackend(IExecutionBackend backend) : IRunStage
    {
        public Task RunAsync(RunContext run, CancellationToken cancellationToken)
        {
            run.Backend = backend;
            return Task.CompletedTask;
        }
    }

    /// <summary>A backend that starts nothing: writes empty logs and reports the given exit code, as a cache hit would.</summary>
    private sealed class CannedBackend(int exitCode) : IExecutionBackend
    {
        public IReadOnlyList<string>? Argv { get; private set; }

        public IReadOnlyDictionary<string, string>? Environment { get; private set; }

        public Task<ChildProcessResult> ExecuteAsync(ChildProcessRequest request, Interruption interruption, CancellationToken cancellationToken)
        {
            Argv = request.Argv;
            Environment = request.Environment;
            File.WriteAllBytes(request.StdoutPath, []);
            File.WriteAllBytes(request.StderrPath, []);
            var empty = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(ReadOnlySpan<byte>.Empty));
            var now = DateTimeOffset.UtcNow;
            return Task.FromResult(new ChildProcessResult(exitCode, null, now, now, null, null, null, new CapturedStream(request.StdoutPath, empty, 0), new CapturedStream(request.StderrPath, empty, 0), 0));
        }
    }
}
