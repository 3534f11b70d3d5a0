using System.Reflection;
using System.Text;
using Repro.Core.Errors;
using Repro.Core.Execution.Backends;
using Repro.Core.FileSystem;
using Repro.Core.Projects;
using Repro.Core.Runs;

namespace Repro.Core.Execution;

/// <summary>
/// Start: builds the child's complete environment (every determinism switch, the run variables) and saves the RUNNING
/// manifest. From here on the run is always recorded, however it ends.
/// </summary>
public sealed class StartStage : IRunStage
{
    /// <summary>The repro version written into manifests.</summary>
    public static string ToolVersion { get; } =
        typeof(StartStage).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>
    /// The longest single argument Linux passes to a program (MAX_ARG_STRLEN: 32 pages of 4 KiB, the final NUL included).
    /// </summary>
    public const int MaxArgumentBytes = 128 * 1024;

    /// <inheritdoc />
    public Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);

        // The local child's watchdog (a bash process that must be running before the child starts) starts on another
        // thread while this stage writes the manifest and the index, which mostly wait for the disk: its process start
        // is then off the path between here and the child's start.
        if (run.Backend is LocalBackend && run.StartingWatchdog is null)
        {
            var marker = ExecuteStage.TreeMarker(run);
            var directory = run.ProjectDirectory;
            run.StartingWatchdog = Task.Run(() => ChildProcessRunner.StartWatchdog(marker, directory));
        }

        UseScriptForLongCommand(run);
        run.ChildEnvironment = BuildChildEnvironment(run);
        run.Start(InitialManifest(run, RunStatus.Running));
        return Task.CompletedTask;
    }

    /// <summary>
    /// The child's complete environment: every determinism switch (a verification's and a cluster job's replayed as
    /// recorded) and the run variables. Also what a queued run records before its job starts.
    /// </summary>
    internal static ChildEnvironment BuildChildEnvironment(RunContext run)
    {
        var request = run.Request;
        return ChildEnvironmentBuilder.Build(
            new ChildEnvironmentInputs(
                run.Folder.RunId,
                run.Folder.Path,
                run.Seed.Value,
                run.Folder.Parameters,
                run.MetricsFile.Path,
                run.Git.CommitTime,
                request.Threads,
                run.Command.EntryPoint?.Env ?? new Dictionary<string, string>())
            {
                AdditionalSwitches = run.AdditionalSwitches,
                AdditionalRunVariables = run.AdditionalRunVariables,
            },
            run.InheritedEnvironment,
            request.Replay?.Determinism);
    }

    /// <summary>The run's first manifest, with <paramref name="status"/>: RUNNING here, QUEUED for a run submitted to a cluster.</summary>
    internal static RunManifest InitialManifest(RunContext run, RunStatus status)
    {
        var request = run.Request;
        return new RunManifest
        {
            RunId = run.Folder.RunId,
            RunName = request.RunName,
            ExperimentName = request.ExperimentName,
            Status = status,
            Verifies = request.RecordedRun is null ? request.Replay?.Verifies : null,
            Repro = new ToolRecord(ToolVersion),
            Project = run.ProjectRecord,
            Source = request.Replay is { } replay ? replay.Source : run.Source?.ToRecord(),
            EntryPoint = run.Command.EntryPointRecord,
            Parameters = run.Command.Parameters,
            Command = new CommandRecord(run.Command.Command, run.Command.Argv, run.ProjectDirectory),
            Seed = run.Seed,
            Determinism = new DeterminismRecord(run.ChildEnvironment.Determinism, request.Threads),
            Git = run.Git,
            Environment = run.Environment,
            PythonEnvironment = run.PythonEnvironment,
            Execution = new ExecutionRecord { StartedAt = DateTimeOffset.UtcNow },
            Inputs = run.Inputs,
            Python = run.Python,
            Warnings = [.. run.Warnings],
            Scheduler = request.Scheduler,
            Sweep = request.Sweep,
        };
    }

    // A command longer than one argument may be would fail to start ("Argument list too long"): it goes into a script in
    // the run folder, which bash reads in place of -c. The manifest still records the command itself.
    private static void UseScriptForLongCommand(RunContext run)
    {
        if (run.Command.Argv.All(argument => Encoding.UTF8.GetByteCount(argument) < MaxArgumentBytes))
        {
            return;
        }

        var script = run.Folder.CommandScript;
        try
        {
            AtomicFile.WriteAllBytes(script, Encoding.UTF8.GetBytes(run.Command.Command + "\n"));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"cannot write {script}: {exception.Message}", exception);
        }

        run.Command = run.Command with { Argv = ["bash", "-c", ". " + ShellQuote.Quote(script)] };
    }
}
