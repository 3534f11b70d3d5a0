using Repro.Core.Errors;
using Repro.Core.Sources;

namespace Repro.Core.Tests.Sources;

public sealed class ProjectVersionTests
{
    [Theory]
    [InlineData("main")]
    [InlineData("feature/new-loss")]
    [InlineData("v1.2.0")]
    [InlineData("release-2024.01")]
    [InlineData("3f2a9c1")]
    [InlineData("refs/tags/v1")]
    public void Validate_BranchTagOrCommitName_IsAccepted(string version)
    {
        Assert.Equal(version, ProjectVersion.Validate(version));
    }

    [Fact]
    public void Validate_NoVersion_MeansTheDefaultBranch()
    {
        Assert.Null(ProjectVersion.Validate(null));
    }

    [Theory]
    [InlineData("")]
    [InlineData("--upload-pack=touch pwned")]
    [InlineData("-b")]
    [InlineData("main~2")]
    [InlineData("main^")]
    [InlineData("HEAD@{1}")]
    [InlineData(":/fix")]
    [InlineData("a..b")]
    [InlineData("has space")]
    [InlineData(".hidden")]
    [InlineData("topic.lock")]
    [InlineData("trailing/")]
    [InlineData("tab\tname")]
    public void Validate_TextGitWouldReadAsAnOptionOrRevisionSyntax_IsRefused(string version)
    {
        var error = Assert.Throws<InputException>(() => ProjectVersion.Validate(version));

        Assert.StartsWith("version '", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abcd", true)]
    [InlineData("3F2A9C1", true)]
    [InlineData("abc", false)]
    [InlineData("main", false)]
    public void IsCommitPrefix_HexOfFourDigitsOrMore_IsAPrefix(string version, bool expected)
    {
        Assert.Equal(expected, ProjectVersion.IsCommitPrefix(version));
    }

    [Fact]
    public void IsFullCommitId_FortyOrSixtyFourHexDigits_IsFull()
    {
        Assert.True(ProjectVersion.IsFullCommitId(new string('a', 40)));
        Assert.True(ProjectVersion.IsFullCommitId(new string('b', 64)));
        Assert.False(ProjectVersion.IsFullCommitId(new string('c', 39)));
    }
}
