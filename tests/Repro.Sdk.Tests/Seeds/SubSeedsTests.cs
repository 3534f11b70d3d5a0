using Repro.Sdk.Seeds;

namespace Repro.Sdk.Tests.Seeds;

public sealed class SubSeedsTests
{
    // Computed independently with Python's hashlib, as docs/sdk.md shows, so both languages agree:
    // int.from_bytes(sha256(b"repro.subseed.v1\0" + seed.to_bytes(8, "little") + name.encode()).digest()[:4], "little")
    [Theory]
    [InlineData(0u, "shuffle", 1475055736u)]
    [InlineData(42u, "shuffle", 1267917253u)]
    [InlineData(42u, "init", 460201897u)]
    [InlineData(42u, "split", 2555136176u)]
    [InlineData(42u, "mlnet", 1842317986u)]
    [InlineData(42u, "données", 2426985893u)]
    [InlineData(4294967295u, "shuffle", 959806105u)]
    public void Derive_KnownSeedAndName_GivesGoldenValue(uint seed, string name, uint expected) =>
        Assert.Equal(expected, SubSeeds.Derive(seed, name));

    [Fact]
    public void DeriveInt32_AnySubSeed_KeepsTheLow31Bits()
    {
        Assert.Equal(407652528, SubSeeds.DeriveInt32(42, "split"));
        Assert.Equal(1267917253, SubSeeds.DeriveInt32(42, "shuffle"));
    }

    [Fact]
    public void Derive_ManyNames_GivesDistinctSeeds()
    {
        var names = Enumerable.Range(0, 1000).Select(i => $"stream-{i}").Concat(["shuffle", "Shuffle", "shuffle ", "init", "split"]).ToList();

        var seeds = names.Select(n => SubSeeds.Derive(42, n)).ToHashSet();

        Assert.Equal(names.Count, seeds.Count);
    }

    [Fact]
    public void Derive_SameNameDifferentRunSeeds_GivesDifferentSeeds() =>
        Assert.NotEqual(SubSeeds.Derive(1, "shuffle"), SubSeeds.Derive(2, "shuffle"));

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Derive_BlankName_IsRejected(string name) =>
        Assert.Throws<ArgumentException>(() => SubSeeds.Derive(42, name));
}
