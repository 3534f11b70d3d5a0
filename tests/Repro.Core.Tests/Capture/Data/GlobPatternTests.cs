using Repro.Core.Capture.Data;

namespace Repro.Core.Tests.Capture.Data;

public sealed class GlobPatternTests
{
    [Theory]
    [InlineData("data/*.csv", "data/train.csv", true)]
    [InlineData("data/*.csv", "data/sub/train.csv", false)]
    [InlineData("data/*.csv", "data/train.csv.bak", false)]
    [InlineData("data/*.csv", "data/.hidden.csv", true)]
    [InlineData("data/part-?.bin", "data/part-1.bin", true)]
    [InlineData("data/part-?.bin", "data/part-12.bin", false)]
    [InlineData("data/**", "data/a", true)]
    [InlineData("data/**", "data/a/b/c.txt", true)]
    [InlineData("data/**", "other/a", false)]
    [InlineData("**/*.pt", "model.pt", true)]
    [InlineData("**/*.pt", "runs/1/model.pt", true)]
    [InlineData("data/**/x.csv", "data/x.csv", true)]
    [InlineData("data/**/x.csv", "data/a/b/x.csv", true)]
    [InlineData("data/**/x.csv", "data/a/b/y.csv", false)]
    [InlineData("*/b/*", "a/b/c", true)]
    [InlineData("a*b*c", "abc", true)]
    [InlineData("a*b*c", "aXbYbZc", true)]
    [InlineData("a*b*c", "aXbYcZ", false)]
    [InlineData("Data/*.csv", "data/a.csv", false)]
    [InlineData("données/é?.txt", "données/été.txt", false)]
    [InlineData("données/é??.txt", "données/été.txt", true)]
    public void Matches_PathAgainstPattern_FollowsGlobRules(string pattern, string path, bool expected)
    {
        Assert.Equal(expected, GlobPattern.Parse(pattern).Matches(path));
    }

    [Theory]
    [InlineData("data/*.csv", "data", 1)]
    [InlineData("data/raw/*/part-?.bin", "data/raw", 2)]
    [InlineData("*.txt", "", 1)]
    [InlineData("data/**/*.csv", "data", null)]
    public void Parse_Pattern_SplitsLiteralFolderFromWildcardDepth(string pattern, string prefix, int? depth)
    {
        var glob = GlobPattern.Parse(pattern);

        Assert.Equal(prefix, glob.LiteralPrefix);
        Assert.Equal(depth, glob.MaxDepth);
    }

    [Theory]
    [InlineData("data/*.csv", true)]
    [InlineData("data/?.csv", true)]
    [InlineData("data/train.csv", false)]
    [InlineData("data dir/[1].csv", false)]
    public void IsGlob_Spec_IsTrueOnlyWithStarOrQuestionMark(string spec, bool expected)
    {
        Assert.Equal(expected, GlobPattern.IsGlob(spec));
    }
}
