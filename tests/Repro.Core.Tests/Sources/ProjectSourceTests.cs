using Repro.Core.Errors;
using Repro.Core.Runs;
using Repro.Core.Sources;

namespace Repro.Core.Tests.Sources;

public sealed class ProjectSourceTests : IDisposable
{
    private readonly GitUpstream _upstream = new();
    private readonly string _commit;

    public ProjectSourceTests()
    {
        _upstream.Work.Write("proj/MLproject", "name: committed\n");
        _commit = _upstream.Work.CommitAll("first");
        _upstream.Publish();
    }

    private GitProjectCache Cache => new(_upstream.CacheRoot);

    private Task<ProjectSource> ResolveAsync(string text, string? version = null) =>
        ProjectSource.ResolveAsync(ProjectUri.Parse(text, _upstream.Work.Folder), version, Cache, refresh: false, log: null, CancellationToken.None);

    [Fact]
    public async Task Resolve_LocalFolderWithoutVersion_IsUsedInPlace()
    {
        var source = await ResolveAsync("repo#proj");

        Assert.Null(source.Checkout);
        Assert.Equal(Path.Combine(_upstream.Work.Root, "proj"), source.ProjectDirectory);
        Assert.False(Directory.Exists(_upstream.CacheRoot));
    }

    [Fact]
    public async Task Resolve_LocalRepositoryWithVersion_ChecksOutWhatIsCommitted()
    {
        _upstream.Work.Write("proj/MLproject", "name: uncommitted\n");

        var source = await ResolveAsync("repo#proj", "main");

        Assert.Equal(_commit, source.Checkout!.Commit);
        Assert.Equal("name: committed\n", File.ReadAllText(Path.Combine(source.ProjectDirectory, "MLproject")));
        Assert.StartsWith(Cache.Root, source.ProjectDirectory, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_BareRepositoryByPathWithoutVersion_ChecksOutItsDefaultBranch()
    {
        var source = await ResolveAsync("upstream.git#proj");

        Assert.Equal(_commit, source.Checkout!.Commit);
        Assert.Equal(GitRefKind.DefaultBranch, source.Checkout.RefKind);
        Assert.Equal(Path.Combine(source.Checkout.Directory, "proj"), source.ProjectDirectory);
    }

    [Fact]
    public async Task Resolve_FileUrlWithSubdirectoryAndCommit_LeadsIntoTheCheckout()
    {
        var source = await ResolveAsync(_upstream.BareUrl + "#proj", _commit);

        Assert.Equal("name: committed\n", File.ReadAllText(Path.Combine(source.ProjectDirectory, "MLproject")));
        Assert.Equal($"{_upstream.Bare}#proj at {_commit}", source.ToString());
    }

    [Fact]
    public async Task Resolve_VersionForAFolderThatIsNotARepository_IsRefusedAsMlflowDoes()
    {
        Directory.CreateDirectory(Path.Combine(_upstream.Work.Folder, "plain"));

        var error = await Assert.ThrowsAsync<InputException>(() => ResolveAsync("plain", "main"));

        Assert.Contains("a version needs a git repository", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_MissingFolder_IsRefusedNamingIt()
    {
        var error = await Assert.ThrowsAsync<InputException>(() => ResolveAsync("nowhere"));

        Assert.Contains(Path.Combine(_upstream.Work.Folder, "nowhere"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_SubdirectoryMissingFromTheCheckout_IsRefusedNamingTheCommit()
    {
        var error = await Assert.ThrowsAsync<InputException>(() => ResolveAsync(_upstream.BareUrl + "#train", "main"));

        Assert.Equal($"the subdirectory 'train' does not exist in {_upstream.Bare} at {_commit}", error.Message);
    }

    [UnixFact]
    public async Task Resolve_SubdirectoryThatIsALinkOutOfTheCheckout_IsRefused()
    {
        var outside = Directory.CreateDirectory(Path.Combine(_upstream.Work.Folder, "outside")).FullName;
        File.CreateSymbolicLink(Path.Combine(_upstream.Work.Root, "escape"), outside);
        var commit = _upstream.Work.CommitAll("link");
        _upstream.Publish();

        var error = await Assert.ThrowsAsync<InputException>(() => ResolveAsync("upstream.git#escape", commit));

        Assert.Contains("is a link that leads out of it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IsPlainWorkingTreeRoot_RepositoryMadeByGit_IsTrueAndAgreesWithLibGit2()
    {
        Assert.True(ProjectSource.IsPlainWorkingTreeRoot(_upstream.Work.Root));
        Assert.False(ProjectSource.UsesCache(ProjectUri.Parse("repo", _upstream.Work.Folder), version: null));
        Assert.False(LibGit2SaysBare(_upstream.Work.Root));
    }

    [Fact]
    public void IsPlainWorkingTreeRoot_BareRepository_AsksLibGit2WhichSaysBare()
    {
        Assert.False(ProjectSource.IsPlainWorkingTreeRoot(_upstream.Bare));
        Assert.True(ProjectSource.UsesCache(ProjectUri.Parse("upstream.git", _upstream.Work.Folder), version: null));
    }

    [Theory]
    [InlineData("true")]
    [InlineData("yes")]
    [InlineData("1")]
    public void IsPlainWorkingTreeRoot_ConfigSettingCoreBare_AsksLibGit2AndGoesThroughTheCache(string value)
    {
        GitRepository.Run(_upstream.Work.Root, "config", "core.bare", value);

        Assert.False(ProjectSource.IsPlainWorkingTreeRoot(_upstream.Work.Root));
        Assert.Equal(LibGit2SaysBare(_upstream.Work.Root), ProjectSource.UsesCache(ProjectUri.Parse("repo", _upstream.Work.Folder), version: null));
        Assert.True(ProjectSource.UsesCache(ProjectUri.Parse("repo", _upstream.Work.Folder), version: null));
    }

    [Fact]
    public void IsPlainWorkingTreeRoot_ConfigIncludingAnotherFile_AsksLibGit2()
    {
        var included = Path.Combine(_upstream.Work.Folder, "bare.gitconfig");
        File.WriteAllText(included, "[core]\n\tbare = true\n");
        GitRepository.Run(_upstream.Work.Root, "config", "include.path", included);

        Assert.False(ProjectSource.IsPlainWorkingTreeRoot(_upstream.Work.Root));
        Assert.Equal(LibGit2SaysBare(_upstream.Work.Root), ProjectSource.UsesCache(ProjectUri.Parse("repo", _upstream.Work.Folder), version: null));
    }

    [Fact]
    public void IsPlainWorkingTreeRoot_LinkedWorktree_AsksLibGit2WhichUsesItInPlace()
    {
        var worktree = Path.Combine(_upstream.Work.Folder, "linked");
        GitRepository.Run(_upstream.Work.Root, "worktree", "add", "--quiet", "-b", "linked", worktree);

        Assert.False(ProjectSource.IsPlainWorkingTreeRoot(worktree));
        Assert.False(ProjectSource.UsesCache(ProjectUri.Parse("linked", _upstream.Work.Folder), version: null));
    }

    [Fact]
    public void IsPlainWorkingTreeRoot_FolderOutsideAnyRepository_IsFalse()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_upstream.Work.Folder, "plain")).FullName;

        Assert.False(ProjectSource.IsPlainWorkingTreeRoot(folder));
        Assert.False(ProjectSource.UsesCache(ProjectUri.Parse("plain", _upstream.Work.Folder), version: null));
    }

    [Fact]
    public void IsOutsideAnyRepositoryRoot_SubfolderOfAWorkingTree_IsTrueAndLibGit2FindsNoRepositoryThere()
    {
        var subfolder = Path.Combine(_upstream.Work.Root, "proj");

        Assert.True(ProjectSource.IsOutsideAnyRepositoryRoot(subfolder));
        Assert.False(LibGit2Sharp.Repository.IsValid(subfolder));
        Assert.False(ProjectSource.UsesCache(ProjectUri.Parse("repo/proj", _upstream.Work.Folder), version: null));
    }

    [Fact]
    public void IsOutsideAnyRepositoryRoot_RepositoryRootOrBareRepository_IsFalse()
    {
        Assert.False(ProjectSource.IsOutsideAnyRepositoryRoot(_upstream.Work.Root));
        Assert.False(ProjectSource.IsOutsideAnyRepositoryRoot(_upstream.Bare));
    }

    private static bool LibGit2SaysBare(string path)
    {
        using var repository = new LibGit2Sharp.Repository(path);
        return repository.Info.IsBare;
    }

    public void Dispose() => _upstream.Dispose();
}
