using Repro.Sdk.Reporting;

namespace Repro.Sdk.Seeds;

/// <summary>
/// The run's seed and the named sub-seeds derived from it (see <see cref="SubSeeds"/> for the algorithm).
/// Every name derived is recorded in the run's report under <c>subSeeds</c>.
/// </summary>
/// <remarks>
/// <see cref="Random.Shared"/> and <c>new Random()</c> cannot be seeded: code that must repeat takes its
/// <see cref="Random"/> from <see cref="CreateRandom"/>.
/// </remarks>
public sealed class RunSeeds
{
    private readonly RunReport _report;

    internal RunSeeds(uint seed, RunReport report)
    {
        Seed = seed;
        _report = report;
    }

    /// <summary>The run's seed, 0 to 4294967295.</summary>
    public uint Seed { get; }

    /// <summary>The 32-bit sub-seed called <paramref name="name"/>; the same name always gives the same value.</summary>
    /// <param name="name">The stream's name, for example <c>"shuffle"</c>.</param>
    /// <returns>The sub-seed.</returns>
    public uint Derive(string name)
    {
        var value = SubSeeds.Derive(Seed, name);
        _report.RecordSubSeed(name, value);
        return value;
    }

    /// <summary>The sub-seed's low 31 bits, for APIs that take a non-negative <see cref="int"/>.</summary>
    /// <param name="name">The stream's name.</param>
    /// <returns><c>Derive(name) &amp; 0x7FFFFFFF</c>.</returns>
    public int DeriveInt32(string name) => (int)(Derive(name) & 0x7FFFFFFF);

    /// <summary>A <see cref="Random"/> seeded with <see cref="DeriveInt32"/> of <paramref name="name"/>.</summary>
    /// <param name="name">The stream's name, for example <c>"shuffle"</c>.</param>
    /// <returns>A new generator; two calls with the same name give two generators producing the same sequence.</returns>
    public Random CreateRandom(string name) => new(DeriveInt32(name));
}
