using Repro.Core.Projects;

namespace Repro.Core.Tests.Projects;

public sealed class ShellQuoteTests
{
    [Theory]
    [InlineData("abc")]
    [InlineData("0.5")]
    [InlineData("_@%+=:,./-")]
    [InlineData("/data/train.csv")]
    [InlineData("s3://bucket/key=1,2")]
    [InlineData("--alpha")]
    public void Quote_OnlySafeCharacters_LeavesValueUnchanged(string value) =>
        Assert.Equal(value, ShellQuote.Quote(value));

    [Fact]
    public void Quote_EmptyString_GivesTwoSingleQuotes() => Assert.Equal("''", ShellQuote.Quote(string.Empty));

    [Theory]
    [InlineData("a b", "'a b'")]
    [InlineData("$HOME", "'$HOME'")]
    [InlineData("`id`", "'`id`'")]
    [InlineData("$(id)", "'$(id)'")]
    [InlineData("a;b", "'a;b'")]
    [InlineData("line1\nline2", "'line1\nline2'")]
    [InlineData("tab\there", "'tab\there'")]
    [InlineData("~", "'~'")]
    [InlineData("*", "'*'")]
    [InlineData("!", "'!'")]
    [InlineData("\"", "'\"'")]
    [InlineData("\\", "'\\'")]
    [InlineData("héllo", "'héllo'")]
    [InlineData("日本", "'日本'")]
    public void Quote_UnsafeCharacters_WrapsInSingleQuotes(string value, string expected) =>
        Assert.Equal(expected, ShellQuote.Quote(value));

    [Theory]
    [InlineData("it's", "'it'\"'\"'s'")]
    [InlineData("'", "''\"'\"''")]
    [InlineData("''", "''\"'\"''\"'\"''")]
    [InlineData("friend; echo 'hi'", "'friend; echo '\"'\"'hi'\"'\"''")]
    public void Quote_SingleQuotes_WritesEachAsClosedDoubleQuotedQuote(string value, string expected) =>
        Assert.Equal(expected, ShellQuote.Quote(value));
}
