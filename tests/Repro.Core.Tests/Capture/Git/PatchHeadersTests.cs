using Repro.Core.Capture.Git;

namespace Repro.Core.Tests.Capture.Git;

public sealed class PatchHeadersTests
{
    [Theory]
    [InlineData("a/train.py b/train.py", "train.py")]
    [InlineData("a/with space b/with space", "with space")]
    [InlineData("a/x b/y b/x b/y", "x b/y")]
    [InlineData("\"a/line\\nbreak\" \"b/line\\nbreak\"", "line\nbreak")]
    [InlineData("\"a/quo\\\"te\" \"b/quo\\\"te\"", "quo\"te")]
    [InlineData("\"a/\\303\\274\" \"b/\\303\\274\"", "ü")]
    public void ParseDiffLine_SameNameOnBothSides_ReturnsThePath(string rest, string expected)
    {
        Assert.Equal(expected, PatchHeaders.ParseDiffLine(rest));
    }

    [Theory]
    [InlineData("a/old b/new")]
    [InlineData("x/a y/a")]
    [InlineData("\"a/unterminated")]
    public void ParseDiffLine_NotASameNamePair_ReturnsNull(string rest)
    {
        Assert.Null(PatchHeaders.ParseDiffLine(rest));
    }

    [Fact]
    public void ParseDiffLine_UnquotedUtf8Name_IsDecodedFromItsBytes()
    {
        // The reader sees bytes as Latin-1 characters; the name must come back as the UTF-8 it was.
        var latin1 = System.Text.Encoding.Latin1.GetString(System.Text.Encoding.UTF8.GetBytes("a/文件 b/文件"));

        Assert.Equal("文件", PatchHeaders.ParseDiffLine(latin1));
    }
}
