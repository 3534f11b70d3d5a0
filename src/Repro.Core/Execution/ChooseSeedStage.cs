using Repro.Core.Randomness;
using Repro.Core.Runs;

namespace Repro.Core.Execution;

/// <summary>
/// Resolve: the run's seed. A verification takes the recorded one; otherwise <c>--seed</c>, else the MLproject's
/// <c>seed:</c>, else 32 bits from the operating system's random source. Always recorded, with where it came from.
/// </summary>
public sealed class ChooseSeedStage : IRunStage
{
    /// <inheritdoc />
    public Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        run.Seed = Choose(run.Request.Replay?.Seed, run.Request.Seed, run.Project.Seed);
        return Task.CompletedTask;
    }

    /// <summary>The seed from the first source that has one.</summary>
    /// <param name="replayed">The seed a verified run recorded.</param>
    /// <param name="given">The seed given with <c>--seed</c>.</param>
    /// <param name="declared">The MLproject's top-level <c>seed:</c>.</param>
    public static SeedRecord Choose(SeedRecord? replayed, uint? given, uint? declared)
    {
        if (replayed is not null)
        {
            return replayed;
        }

        if (given is { } value)
        {
            return new SeedRecord(value, SeedSource.Cli);
        }

        if (declared is { } fromProject)
        {
            return new SeedRecord(fromProject, SeedSource.MLproject);
        }

        return new SeedRecord(OsRandom.NextUInt32(), SeedSource.Random);
    }
}
