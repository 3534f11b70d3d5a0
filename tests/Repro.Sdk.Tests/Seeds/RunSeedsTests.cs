using System.Text.Json.Nodes;

namespace Repro.Sdk.Tests.Seeds;

public sealed class RunSeedsTests
{
    private readonly ReproRun _run = ReproRun.CreateStandalone(42, null, null, _ => null, "/", TextWriter.Null);

    [Fact]
    public void CreateRandom_SameName_RepeatsTheSequence()
    {
        var first = _run.Seeds.CreateRandom("shuffle");
        var second = _run.Seeds.CreateRandom("shuffle");

        Assert.Equal(Draw(first), Draw(second));
    }

    [Fact]
    public void CreateRandom_DifferentNames_GiveDifferentSequences() =>
        Assert.NotEqual(Draw(_run.Seeds.CreateRandom("shuffle")), Draw(_run.Seeds.CreateRandom("init")));

    [Fact]
    public void CreateRandom_Name_IsSeededWithTheSubSeedsLow31Bits() =>
        Assert.Equal(Draw(new Random(407652528)), Draw(_run.Seeds.CreateRandom("split")));

    [Fact]
    public void Derive_Names_AreRecordedInTheReport()
    {
        _run.Seeds.Derive("shuffle");
        _run.Seeds.CreateRandom("split");

        var subSeeds = _run.Report.ToJsonObject()["subSeeds"]!.AsObject();

        Assert.Equal(1267917253u, subSeeds["shuffle"]!.GetValue<uint>());
        Assert.Equal(2555136176u, subSeeds["split"]!.GetValue<uint>());
    }

    [Fact]
    public void Seed_Report_NamesTheValueSourceAndAlgorithm()
    {
        var seed = _run.Report.ToJsonObject()["seed"]!;

        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"value":42,"source":"explicit","subSeedAlgorithm":"repro.subseed.v1"}"""),
            seed));
    }

    private static int[] Draw(Random random) => [.. Enumerable.Range(0, 8).Select(_ => random.Next())];
}
