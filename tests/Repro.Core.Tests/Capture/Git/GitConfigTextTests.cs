using System.Text;
using Repro.Core.Capture.Git;

namespace Repro.Core.Tests.Capture.Git;

/// <summary>The configuration reader: the forms git writes read as git reads them, and every other form left to libgit2 (null).</summary>
public sealed class GitConfigTextTests
{
    [Fact]
    public void Parse_WhatGitWrites_ReadsSectionsSubsectionsKeysAndValues()
    {
        var entries = Parse(
            "[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tfilemode\n" +
            "[remote \"Origin.2\"]\n\tURL = https://example.com/x.git\n\tfetch = +refs/heads/*:refs/remotes/Origin.2/*\n");

        Assert.NotNull(entries);
        Assert.Equal(
            [
                new GitConfigEntry("core", null, "repositoryformatversion", "0"),
                new GitConfigEntry("core", null, "bare", "false"),
                new GitConfigEntry("core", null, "filemode", null),
                new GitConfigEntry("remote", "Origin.2", "url", "https://example.com/x.git"),
                new GitConfigEntry("remote", "Origin.2", "fetch", "+refs/heads/*:refs/remotes/Origin.2/*"),
            ],
            entries);
    }

    [Fact]
    public void Parse_QuotesEscapesAndComments_ReadAsGitReadsThem()
    {
        var entries = Parse("# top\n; also\n[user] # trailing\n  name = \"A \\\"B\\\"  C\" ; note\n\temail = a@x # note\n\tx = \"tab\\there\"\n");

        Assert.NotNull(entries);
        Assert.Equal("A \"B\"  C", entries[0].Value);
        Assert.Equal("a@x", entries[1].Value);
        Assert.Equal("tab\there", entries[2].Value);
    }

    [Theory]
    [InlineData("[remote.origin]\n\turl = x\n")]
    [InlineData("[remote \"a\\\"b\"]\n\turl = x\n")]
    [InlineData("[core] bare = false\n")]
    [InlineData("[alias]\n\tx = !echo \\\n\t\tmore\n")]
    [InlineData("[user]\n\tname = \"unclosed\n")]
    [InlineData("[user]\n\tname = a\\qb\n")]
    [InlineData("[user]\r\n\tname = a\r\n")]
    [InlineData("\uFEFF[user]\n\tname = a\n")]
    [InlineData("name = no section\n")]
    [InlineData("[user\n\tname = a\n")]
    public void Parse_FormsLeftToLibGit2_AnswersNull(string text) => Assert.Null(Parse(text));

    [Fact]
    public void Parse_BytesThatAreNotUtf8_AnswersNull() =>
        Assert.Null(GitConfigText.Parse([.. "[user]\n\tname = "u8, 0xFF, (byte)'\n']));

    [Theory]
    [InlineData(null, true)]
    [InlineData("Yes", true)]
    [InlineData("on", true)]
    [InlineData("1", true)]
    [InlineData("false", false)]
    [InlineData("OFF", false)]
    [InlineData("", false)]
    [InlineData("2", null)]
    [InlineData("maybe", null)]
    public void ParseBoolean_GitsWords_ReadAsGitReadsThemAndOthersLeftToLibGit2(string? value, bool? expected) =>
        Assert.Equal(expected, GitConfigText.ParseBoolean(value));

    private static List<GitConfigEntry>? Parse(string text) => GitConfigText.Parse(Encoding.UTF8.GetBytes(text));
}
