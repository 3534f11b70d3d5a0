using System.Reflection;
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

    /// <inheritdoc />
    public Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var request = run.Request;
        run.ChildEnvironment = ChildEnvironmentBuilder.Build(
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
            },
            run.InheritedEnvironment,
            request.Replay?.Determinism);

        run.Start(new RunManifest
        {
            RunId = run.Folder.RunId,
            RunName = request.RunName,
            ExperimentName = request.ExperimentName,
            Status = RunStatus.Running,
            Verifies = request.Replay?.Verifies,
            Repro = new ToolRecord(ToolVersion),
            Project = run.ProjectRecord,
            EntryPoint = run.Command.EntryPointRecord,
            Parameters = run.Command.Parameters,
            Command = new CommandRecord(run.Command.Command, run.Command.Argv, run.ProjectDirectory),
            Seed = run.Seed,
            Determinism = new DeterminismRecord(run.ChildEnvironment.Determinism, request.Threads),
            Git = run.Git,
            Environment = run.Environment,
            Execution = new ExecutionRecord { StartedAt = DateTimeOffset.UtcNow },
            Inputs = run.Inputs,
            Warnings = [.. run.Warnings],
        });
        return Task.CompletedTask;
    }
}
