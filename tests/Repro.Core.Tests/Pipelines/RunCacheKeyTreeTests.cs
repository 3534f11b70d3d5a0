using LibGit2Sharp;
using Repro.Core.Pipelines;
using Repro.TestInfrastructure;

namespace Repro.Core.Tests.Pipelines;

/// <summary>
/// The project tree of the run-cache key read from the repository's own files against libgit2's answer, on real
/// repositories: loose and packed commits, and what is left to libgit2.
/// </summary>
public sealed class RunCacheKeyTreeTests : IDisposable
{
    private readonly GitRepository _repository = new();

    [Fact]
    public void RootTreeFromFiles_LooseCommit_IsTheTreeLibGit2Names()
    {
        _repository.Write("train.py", "print('hi')\n");
        var commit = _repository.CommitAll();

        Assert.Equal(TreeByLibGit2(commit), RunCacheKey.RootTreeFromFiles(_repository.Root, commit));
    }

    [Fact]
    public void RootTreeFromFiles_CommitsPackedByGc_IsTheTreeLibGit2Names()
    {
        _repository.Write("train.py", "print('hi')\n");
        var first = _repository.CommitAll();
        _repository.Write("data/x.csv", "1,2\n");
        var second = _repository.CommitAll();
        _repository.Git("gc", "--quiet");
        Assert.Empty(Directory.GetDirectories(Path.Combine(_repository.Root, ".git", "objects"), "??"));

        Assert.Equal(TreeByLibGit2(first), RunCacheKey.RootTreeFromFiles(_repository.Root, first));
        Assert.Equal(TreeByLibGit2(second), RunCacheKey.RootTreeFromFiles(_repository.Root, second));
    }

    [Fact]
    public void RootTreeFromFiles_CommitNotInTheRepository_IsLeftToLibGit2()
    {
        _repository.Write("train.py", "print('hi')\n");
        _repository.CommitAll();

        Assert.Null(RunCacheKey.RootTreeFromFiles(_repository.Root, new string('a', 40)));
    }

    [Fact]
    public void RootTreeFromFiles_NoGitFolder_IsLeftToLibGit2()
    {
        _repository.Write("train.py", "print('hi')\n");
        var commit = _repository.CommitAll();
        using var elsewhere = new TempDirectory();

        Assert.Null(RunCacheKey.RootTreeFromFiles(elsewhere.Path, commit));
    }

    public void Dispose() => _repository.Dispose();

    private string TreeByLibGit2(string commit)
    {
        using var repository = new Repository(_repository.Root);
        return repository.Lookup<Commit>(commit).Tree.Sha;
    }
}
