using Repro.Core.AutoSeed;
using Repro.Core.Projects;

namespace Repro.Core.Execution;

/// <summary>Whether repro's Python start-up hook seeds a run, and why, in words for the user.</summary>
/// <param name="On">Whether the hook is put on the child's <c>PYTHONPATH</c>.</param>
/// <param name="Because">What decided it: <c>--no-auto-seed</c>, an <c>auto_seed</c> key, the verified run, or the default.</param>
public sealed record AutoSeedChoice(bool On, string Because);

/// <summary>
/// Resolve: whether repro's Python start-up hook seeds the run (docs/python.md). A verification replays the recorded
/// choice; otherwise <c>--no-auto-seed</c> turns it off, else the entry point's <c>auto_seed</c>, else the top-level
/// one, else it is on. When it is on, the variables libraries read their seed from before start-up
/// (<see cref="AutoSeedEnvironment.Switches"/>) join the determinism switches.
/// </summary>
public sealed class ChooseAutoSeedStage : IRunStage
{
    /// <inheritdoc />
    public Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        run.AutoSeed = Choose(run.Request, run.Command.EntryPoint, run.Project);
        if (run.AutoSeed.On)
        {
            run.AdditionalSwitches.AddRange(AutoSeedEnvironment.Switches(run.Seed.Value).Select(variable => new DeterminismSwitch(variable.Name, variable.Value, variable.Reason)));
        }

        return Task.CompletedTask;
    }

    /// <summary>The choice for a run of <paramref name="entryPoint"/> (null for a script run directly).</summary>
    /// <param name="request">What the user asked for; its replay, when it has one, decides.</param>
    /// <param name="entryPoint">The declared entry point, or null.</param>
    /// <param name="project">The MLproject file.</param>
    public static AutoSeedChoice Choose(RunRequest request, EntryPoint? entryPoint, MLProject project)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(project);
        if (request.Replay is { } replay)
        {
            return new AutoSeedChoice(replay.AutoSeed, $"as run {replay.Verifies} ran");
        }

        if (!request.AutoSeed)
        {
            return new AutoSeedChoice(false, "--no-auto-seed");
        }

        if (entryPoint?.AutoSeed is { } forEntryPoint)
        {
            return new AutoSeedChoice(forEntryPoint, $"auto_seed: {Word(forEntryPoint)} in entry point '{entryPoint.Name}' of {project.FileDescription}");
        }

        if (project.AutoSeed is { } forProject)
        {
            return new AutoSeedChoice(forProject, $"auto_seed: {Word(forProject)} in {project.FileDescription}");
        }

        return new AutoSeedChoice(true, "the default");
    }

    private static string Word(bool value) => value ? "true" : "false";
}
