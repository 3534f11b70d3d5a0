using System.Runtime.Versioning;
using Repro.Core.Capture.Git;
using Repro.Core.Errors;

namespace Repro.Core.Tests.Capture.Git;

[UnsupportedOSPlatform("windows")]
public sealed class GitExecutableTests : IDisposable
{
    private readonly GitRepository _folder = new(init: false);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Find_ExecutableInALaterDirectory_IsFound()
    {
        var empty = _folder.Scratch("empty");
        var bin = _folder.Scratch("bin");
        var git = Path.Combine(bin, "git");
        File.WriteAllText(git, "#!/bin/sh\n");
        File.SetUnixFileMode(git, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        var found = GitExecutable.Find(string.Join(Path.PathSeparator, empty, bin));

        Assert.Equal(git, found?.FilePath);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Find_NoSearchPath_FindsNothing(string? searchPath)
    {
        Assert.Null(GitExecutable.Find(searchPath));
    }

    [Fact]
    public void Find_FileWithoutExecuteBit_IsSkipped()
    {
        var bin = _folder.Scratch("bin");
        File.WriteAllText(Path.Combine(bin, "git"), "not a program");

        Assert.Null(GitExecutable.Find(bin));
    }

    [Fact]
    public async Task RunAsync_GitFails_GitErrorCarriesGitsReason()
    {
        var git = GitExecutable.OnPath ?? throw new InvalidOperationException("git is not on PATH");
        var outside = _folder.Scratch("outside");

        var error = await Assert.ThrowsAsync<GitException>(
            () => git.ReadAllAsync(outside, ["--git-dir=does-not-exist", "rev-parse", "HEAD"], userConfiguration: false, CancellationToken.None));

        Assert.Contains("fatal:", error.Message, StringComparison.Ordinal);
        Assert.Contains(outside, error.Message, StringComparison.Ordinal);
    }
}
