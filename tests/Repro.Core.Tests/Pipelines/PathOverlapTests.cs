using Repro.Core.Pipelines;

namespace Repro.Core.Tests.Pipelines;

public sealed class PathOverlapTests
{
    [Theory]
    [InlineData("data/clean.csv", "data/clean.csv")]
    [InlineData("./data//clean.csv", "data/clean.csv")]
    [InlineData("data/clean/part1.csv", "data/clean")]
    [InlineData("data", "data/clean/part1.csv")]
    [InlineData("data/clean/part1.csv", "data/clean/*.csv")]
    [InlineData("data/clean", "data/clean/*.csv")]
    [InlineData("data", "data/**/*.csv")]
    [InlineData("data/a/b/c.csv", "data/**/*.csv")]
    [InlineData("data/*.csv", "data/x.csv")]
    [InlineData("data/*/x.csv", "data/sub")]
    [InlineData("models/*.bin", "models/m*")]
    public void Overlaps_InputCoveringAnOutput_IsTrue(string input, string output) =>
        Assert.True(PathOverlap.Overlaps(input, output));

    [Theory]
    [InlineData("data/raw.csv", "data/clean.csv")]
    [InlineData("data/clean2", "data/clean")]
    [InlineData("data/x.txt", "data/*.csv")]
    [InlineData("data/sub/x.csv", "data/*.csv")]
    [InlineData("models/*.bin", "models/*.json")]
    [InlineData("other", "data/**/*.csv")]
    public void Overlaps_DisjointPaths_IsFalse(string input, string output) =>
        Assert.False(PathOverlap.Overlaps(input, output));
}
