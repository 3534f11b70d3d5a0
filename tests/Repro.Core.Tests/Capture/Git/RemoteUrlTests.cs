using Repro.Core.Capture.Git;

namespace Repro.Core.Tests.Capture.Git;

public sealed class RemoteUrlTests
{
    [Theory]
    [InlineData("https://user:token@example.com/team/x.git", "https://example.com/team/x.git")]
    [InlineData("https://ghp_tokenAsUserName@github.example/x.git", "https://github.example/x.git")]
    [InlineData("http://user:p%40ss@example.com:8080/x", "http://example.com:8080/x")]
    [InlineData("https://user:p@ss@example.com/x", "https://example.com/x")]
    [InlineData("https://example.com/x.git?private_token=abc", "https://example.com/x.git")]
    [InlineData("https://user:secret@example.com", "https://example.com")]
    [InlineData("HTTPS://u:p@Example.com/x", "HTTPS://Example.com/x")]
    [InlineData("ftp://u:p@example.com/x", "ftp://example.com/x")]
    public void RemoveCredentials_HttpLikeUrl_DropsTheWholeUserPartAndQuery(string url, string expected)
    {
        Assert.Equal(expected, RemoteUrl.RemoveCredentials(url));
    }

    [Theory]
    [InlineData("ssh://git@example.com/team/x.git", "ssh://git@example.com/team/x.git")]
    [InlineData("ssh://git:secret@example.com:22/x.git", "ssh://git@example.com:22/x.git")]
    [InlineData("git+ssh://deploy:secret@example.com/x", "git+ssh://deploy@example.com/x")]
    [InlineData("ssh://:secret@example.com/x", "ssh://example.com/x")]
    [InlineData("ssh://example.com/x", "ssh://example.com/x")]
    public void RemoveCredentials_SshUrl_KeepsTheUserNameAndDropsThePassword(string url, string expected)
    {
        Assert.Equal(expected, RemoteUrl.RemoveCredentials(url));
    }

    [Theory]
    [InlineData("git@example.com:team/x.git", "git@example.com:team/x.git")]
    [InlineData("deploy:secret@example.com:team/x.git", "deploy@example.com:team/x.git")]
    [InlineData("example.com:team/x.git", "example.com:team/x.git")]
    public void RemoveCredentials_ScpLikeAddress_KeepsTheUserNameAndDropsThePassword(string url, string expected)
    {
        Assert.Equal(expected, RemoteUrl.RemoveCredentials(url));
    }

    [Theory]
    [InlineData("/srv/git/x.git")]
    [InlineData("../x.git")]
    [InlineData("./dir@v2:x/y")]
    [InlineData("file:///srv/git/x.git")]
    [InlineData("C:\\repos\\x")]
    public void RemoveCredentials_LocalPath_IsUnchanged(string url)
    {
        Assert.Equal(url, RemoteUrl.RemoveCredentials(url));
    }
}
