using Repro.Core.Errors;
using Repro.Core.Sources;

namespace Repro.Core.Tests.Sources;

public sealed class ProjectUriTests
{
    private const string WorkingDirectory = "/work/here";

    private static ProjectUri Parse(string text, bool exists = false) => ProjectUri.Parse(text, WorkingDirectory, _ => exists);

    [Fact]
    public void Parse_RelativePath_IsLocalAndResolvedAgainstTheWorkingDirectory()
    {
        var uri = Parse("projects/mnist");

        Assert.Equal(ProjectUriKind.LocalPath, uri.Kind);
        Assert.Equal("/work/here/projects/mnist", uri.Location);
        Assert.Equal(string.Empty, uri.Subdirectory);
    }

    [Fact]
    public void Parse_FileUrl_IsTheLocalPathItNames()
    {
        var uri = Parse("file:///srv/repos/my%20project.git#train");

        Assert.Equal(ProjectUriKind.LocalPath, uri.Kind);
        Assert.Equal("/srv/repos/my project.git", uri.Location);
        Assert.Equal("train", uri.Subdirectory);
    }

    [Fact]
    public void Parse_FileUrlOnLocalhost_IsTheLocalPathItNames()
    {
        Assert.Equal("/srv/repo", Parse("file://localhost/srv/repo").Location);
    }

    [Fact]
    public void Parse_FileUrlWithAnotherHost_IsRefused()
    {
        var error = Assert.Throws<InputException>(() => Parse("file://server/srv/repo"));

        Assert.Contains("file:///absolute/path", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://github.com/mlflow/mlflow-example")]
    [InlineData("http://git.internal/team/project.git")]
    [InlineData("ssh://git@github.com/mlflow/mlflow-example.git")]
    [InlineData("git://git.kernel.org/pub/scm/git/git.git")]
    [InlineData("git@github.com:mlflow/mlflow-example.git")]
    [InlineData("github.com:mlflow/mlflow-example.git")]
    public void Parse_GitAddress_IsAGitUrlKeptAsGiven(string text)
    {
        var uri = Parse(text);

        Assert.Equal(ProjectUriKind.GitUrl, uri.Kind);
        Assert.Equal(text, uri.Location);
    }

    [Fact]
    public void Parse_ScpLikeTextThatNamesAnExistingFolder_IsLocal()
    {
        // MLflow treats any existing path as local first.
        var uri = Parse("results:2024", exists: true);

        Assert.Equal(ProjectUriKind.LocalPath, uri.Kind);
        Assert.Equal("/work/here/results:2024", uri.Location);
    }

    [Fact]
    public void Parse_TextAfterTheFirstHash_IsTheSubdirectory()
    {
        var uri = Parse("https://github.com/mlflow/mlflow#examples/sklearn_elasticnet_wine");

        Assert.Equal("https://github.com/mlflow/mlflow", uri.Location);
        Assert.Equal("examples/sklearn_elasticnet_wine", uri.Subdirectory);
    }

    [Fact]
    public void Parse_SubdirectoryWithDotsAndEmptySegments_IsNormalised()
    {
        // MLflow refuses any '.' in a subdirectory; repro accepts dotted names and drops "." and empty segments.
        Assert.Equal("v1.2/train", Parse("repo#./v1.2//train/").Subdirectory);
    }

    [Theory]
    [InlineData("repo#../outside")]
    [InlineData("repo#a/../../outside")]
    [InlineData("repo#/etc")]
    public void Parse_SubdirectoryThatCouldLeaveTheProject_IsRefused(string text)
    {
        var error = Assert.Throws<InputException>(() => Parse(text));

        Assert.Contains("subdirectory", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("'https://github.com/org/repo'")]
    [InlineData("\"https://github.com/org/repo\"")]
    public void Parse_QuotedUri_DropsTheQuotesAsMlflowDoes(string text)
    {
        Assert.Equal("https://github.com/org/repo", Parse(text).Location);
    }

    [Theory]
    [InlineData("")]
    [InlineData("''")]
    [InlineData("   ")]
    public void Parse_EmptyUri_IsRefused(string text)
    {
        Assert.Throws<InputException>(() => Parse(text));
    }

    [Fact]
    public void Parse_NoLocationBeforeTheHash_IsRefused()
    {
        Assert.Throws<InputException>(() => Parse("#sub"));
    }

    [Fact]
    public void Parse_UnsupportedScheme_IsRefusedNamingTheScheme()
    {
        var error = Assert.Throws<InputException>(() => Parse("s3://bucket/project.zip"));

        Assert.Contains("'s3'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ext::sh -c touch% /tmp/pwned")]
    [InlineData("fd::17")]
    public void Parse_GitTransportHelperSyntax_IsRefused(string text)
    {
        var error = Assert.Throws<InputException>(() => Parse(text));

        Assert.Contains("transport::address", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ssh://-oProxyCommand=touch%20pwned/repo")]
    [InlineData("-oProxyCommand=touch pwned:repo")]
    [InlineData("https://user@/repo")]
    public void Parse_HostThatSshWouldReadAsAnOption_IsRefused(string text)
    {
        Assert.Throws<InputException>(() => Parse(text));
    }

    [Fact]
    public void ToString_UrlWithCredentials_ShowsNeitherUserNorToken()
    {
        var uri = Parse("https://deploy:ghp_secretToken123@github.com/org/repo.git#train");

        Assert.Equal("https://github.com/org/repo.git#train", uri.ToString());
        Assert.Equal("https://github.com/org/repo.git", uri.SafeLocation);
        Assert.Contains("ghp_secretToken123", uri.Location, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RefusedUriWithCredentials_DoesNotRepeatThemInTheError()
    {
        var error = Assert.Throws<InputException>(() => Parse("ftp://user:hunter2secret@host/repo"));

        Assert.DoesNotContain("hunter2secret", error.Message, StringComparison.Ordinal);
    }
}
