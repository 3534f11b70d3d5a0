using Microsoft.ML;

namespace Repro.Sdk.MLNet;

/// <summary>Creates ML.NET contexts seeded from the run.</summary>
/// <remarks>
/// <para>
/// A seed makes ML.NET's own randomness repeat (shuffling, sampling, initialisation), but several trainers also
/// run threads whose results depend on scheduling or on the thread count. Measured with ML.NET 5.0.1 (same data,
/// same seed, two contexts, see the tests):
/// </para>
/// <list type="bullet">
/// <item>FastTree: identical predictions with 1, 4 or the default number of threads.</item>
/// <item>SDCA and SGD (Hogwild): differ from one training to the next with several threads; set
/// <c>NumberOfThreads = 1</c> (their default thread count follows the machine's cores, so leave it unset only on
/// one core).</item>
/// <item>L-BFGS (logistic regression, maximum entropy, Poisson): repeat for a fixed thread count but change with it;
/// pin <c>NumberOfThreads</c> to a fixed value so another machine gets the same model.</item>
/// <item>LightGBM (not referenced by this repository, so untested): ML.NET does not expose LightGBM's own
/// <c>deterministic</c> switch; set <c>NumberOfThreads = 1</c> and the trainer's <c>Seed</c>.</item>
/// </list>
/// </remarks>
public static class MLContextFactory
{
    /// <summary>The stream name <see cref="CreateMLContext"/> uses when none is given.</summary>
    public const string DefaultStreamName = "mlnet";

    /// <summary>
    /// An <see cref="MLContext"/> seeded with the run's sub-seed <paramref name="streamName"/> (its low 31 bits, as
    /// <see cref="MLContext"/> takes an <see cref="int"/>). Two contexts with the same name get the same seed.
    /// The report's <c>mlnet</c> section records the ML.NET version and, under <c>contextSeeds</c>, the seed of each stream name.
    /// </summary>
    /// <param name="run">The run.</param>
    /// <param name="streamName">Sub-seed name.</param>
    /// <returns>A new seeded context.</returns>
    public static MLContext CreateMLContext(this ReproRun run, string streamName = DefaultStreamName)
    {
        ArgumentNullException.ThrowIfNull(run);
        var seed = run.Seeds.DeriveInt32(streamName);
        run.Report.SetAt(ReproRun.AssemblyVersion(typeof(MLContext).Assembly), "mlnet", "version");
        run.Report.SetAt(seed, "mlnet", "contextSeeds", streamName);
        return new MLContext(seed);
    }
}
