using Repro.Core.Errors;
using Repro.Core.Runs;
using Repro.Core.Sources;

namespace Repro.Core.Tests.Sources;

public sealed class GitProjectCacheTests : IDisposable
{
    private readonly GitUpstream _upstream = new();
    private readonly string _first;
    private readonly string _second;
    private readonly string _feature;

    public GitProjectCacheTests()
    {
        var work = _upstream.Work;
        work.Write("proj/MLproject", "name: first\n");
        _first = work.CommitAll("first");
        work.Git("tag", "v1");
        work.Write("proj/MLproject", "name: second\n");
        _second = work.CommitAll("second");
        work.Git("-c", "user.name=Repro Test", "-c", "user.email=test@repro.invalid", "tag", "-a", "v2", "-m", "annotated");
        work.Git("checkout", "--quiet", "-b", "feature");
        work.Write("proj/MLproject", "name: feature\n");
        _feature = work.CommitAll("feature");
        work.Git("checkout", "--quiet", "main");
        _upstream.Publish();
    }

    private GitProjectCache Cache => new(_upstream.CacheRoot);

    [Fact]
    public async Task Checkout_NoVersion_ChecksOutTheDefaultBranch()
    {
        var checkout = await Cache.CheckoutAsync(new GitCheckoutRequest(_upstream.Bare, null), CancellationToken.None);

        Assert.Equal(_second, checkout.Commit);
        Assert.Equal(GitRefKind.DefaultBranch, checkout.RefKind);
        Assert.Equal("name: second\n", File.ReadAllText(Path.Combine(checkout.Directory, "proj", "MLproject")));
        Assert.True(checkout.Fetched);
        Assert.True(checkout.Created);
    }

    [Theory]
    [InlineData("v1", "first", GitRefKind.Tag)]
    [InlineData("v2", "second", GitRefKind.Tag)]
    [InlineData("feature", "feature", GitRefKind.Branch)]
    [InlineData("refs/heads/feature", "feature", GitRefKind.Branch)]
    [InlineData("main", "second", GitRefKind.Branch)]
    public async Task Checkout_TagOrBranch_ChecksOutItsCommit(string version, string expectedName, GitRefKind expectedKind)
    {
        var checkout = await Cache.CheckoutAsync(new GitCheckoutRequest(_upstream.Bare, version), CancellationToken.None);

        var expected = expectedName switch { "first" => _first, "second" => _second, _ => _feature };
        Assert.Equal(expected, checkout.Commit);
        Assert.Equal(expectedKind, checkout.RefKind);
        Assert.Equal($"name: {expectedName}\n", File.ReadAllText(Path.Combine(checkout.Directory, "proj", "MLproject")));
    }

    [Fact]
    public async Task Checkout_FullOrAbbreviatedCommit_ChecksOutThatCommit()
    {
        var full = await Cache.CheckoutAsync(new GitCheckoutRequest(_upstream.BareUrl, _feature), CancellationToken.None);
        var abbreviated = await Cache.CheckoutAsync(new GitCheckoutRequest(_upstream.BareUrl, _first[..8]), CancellationToken.None);

        Assert.Equal((_feature, GitRefKind.Commit), (full.Commit, full.RefKind));
        Assert.Equal((_first, GitRefKind.Commit), (abbreviated.Commit, abbreviated.RefKind));
    }

    [Fact]
    public async Task Checkout_VersionAlreadyCached_NeitherFetchesNorChecksOutAgain()
    {
        var first = await Cache.CheckoutAsync(new GitCheckoutRequest(_upstream.Bare, "v1"), CancellationToken.None);
        var marker = Path.Combine(first.Directory, "written-after-checkout");
        File.WriteAllText(marker, "still here");

        var second = await Cache.CheckoutAsync(new GitCheckoutRequest(_upstream.Bare, "v1"), CancellationToken.None);

        Assert.Equal(first.Directory, second.Directory);
        Assert.False(second.Fetched);
        Assert.False(second.Created);
        Assert.True(File.Exists(marker));
    }

    [Fact]
    public async Task Checkout_BranchMissingFromTheCache_FetchesOnlyThen()
    {
        await Cache.CheckoutAsync(new GitCheckoutRequest(_upstream.Bare, "main"), CancellationToken.None);
        _upstream.Work.Git("checkout", "--quiet", "-b", "later");
        _upstream.Work.Write("proj/MLproject", "name: later\n");
        var later = _upstream.Work.CommitAll("later");
        _upstream.Publish();

        var cachedMain = await Cache.CheckoutAsync(new GitCheckoutRequest(_upstream.Bare, "main"), CancellationToken.None);
        var newBranch = await Cache.CheckoutAsync(new GitCheckoutRequest(_upstream.Bare, "later"), CancellationToken.None);

        Assert.False(cachedMain.Fetched);
        Assert.True(newBranch.Fetched);
        Assert.Equal(later, newBranch.Commit);
    }

    [Fact]
    public async Task Checkout_BranchMovedUpstream_ResolvesToTheCachedTipUntilRefreshed()
    {
        await Cache.CheckoutAsync(new GitCheckoutRequest(_upstream.Bare, "main"), CancellationToken.None);
        _upstream.Work.Write("proj/MLproject", "name: third\n");
        var third = _upstream.Work.CommitAll("third");
        _upstream.Publish();

        var cached = await Cache.CheckoutAsync(new GitCheckoutRequest(_upstream.Bare, "main"), CancellationToken.None);
        var refreshed = await Cache.CheckoutAsync(new GitCheckoutRequest(_upstream.Bare, "main") { Refresh = true }, CancellationToken.None);

        Assert.Equal(_second, cached.Commit);
        Assert.Equal(third, refreshed.Commit);
        Assert.True(refreshed.Fetched);
    }

    [Fact]
    public async Task Checkout_PlainPathAndFileUrlOfOneRepository_AreTheSameSource()
    {
        var byPath = await Cache.CheckoutAsync(new GitCheckoutRequest(_upstream.Bare, "v1"), CancellationToken.None);
        var uri = ProjectUri.Parse(_upstream.BareUrl, "/");
        var byUrl = await Cache.CheckoutAsync(new GitCheckoutRequest(uri.Location, "v1"), CancellationToken.None);

        Assert.Equal(byPath.Directory, byUrl.Directory);
        Assert.False(byUrl.Created);
    }

    [Fact]
    public async Task Checkout_UnknownVersion_FailsWithOneLineAndLeavesNoTemporaryFolder()
    {
        var error = await Assert.ThrowsAsync<InputException>(
            () => Cache.CheckoutAsync(new GitCheckoutRequest(_upstream.Bare, "no-such-branch"), CancellationToken.None));

        Assert.Equal($"version 'no-such-branch' is not a branch, tag or commit of {_upstream.Bare}", error.Message);
        var folder = Cache.FolderFor(_upstream.Bare);
        Assert.Equal(["repository.git"], Directory.GetDirectories(folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Checkout_UnknownCommitId_SaysItIsNotInTheRepository()
    {
        var missing = new string('e', 40);

        var error = await Assert.ThrowsAsync<InputException>(
            () => Cache.CheckoutAsync(new GitCheckoutRequest(_upstream.Bare, missing), CancellationToken.None));

        Assert.StartsWith($"version '{missing}' is not a branch, tag or commit of {_upstream.Bare}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task Checkout_RepositoryThatDoesNotExist_FailsAsBadInputAndCachesNothing()
    {
        var missing = Path.Combine(_upstream.Work.Folder, "missing.git");

        var error = await Assert.ThrowsAsync<InputException>(
            () => Cache.CheckoutAsync(new GitCheckoutRequest(missing, null), CancellationToken.None));

        Assert.StartsWith($"cannot fetch {missing}: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Empty(Directory.GetDirectories(Cache.FolderFor(missing)));
    }

    [Fact]
    public async Task Checkout_UrlWithCredentials_NeverShowsOrStoresThem()
    {
        // Nothing listens on port 9 of this machine: git fails at once, after reading the URL.
        const string Secret = "ghp_doNotLeak1234";
        var url = $"https://deploy:{Secret}@127.0.0.1:9/team/repo.git";

        var error = await Assert.ThrowsAsync<InputException>(
            () => Cache.CheckoutAsync(new GitCheckoutRequest(url, "main"), CancellationToken.None));

        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("deploy", error.Message, StringComparison.Ordinal);
        Assert.Contains("https://127.0.0.1:9/team/repo.git", error.Message, StringComparison.Ordinal);
        foreach (var file in Directory.EnumerateFiles(_upstream.CacheRoot, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(Secret, File.ReadAllText(file), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(Secret, Cache.FolderFor(url), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checkout_ConcurrentFirstCheckouts_CloneAndCheckOutOnce()
    {
        var requests = Enumerable.Range(0, 3)
            .Select(_ => Task.Run(() => Cache.CheckoutAsync(new GitCheckoutRequest(_upstream.Bare, "v2"), CancellationToken.None)));

        var checkouts = await Task.WhenAll(requests);

        Assert.Single(checkouts, checkout => checkout.Created);
        Assert.Single(checkouts.Select(checkout => checkout.Directory).Distinct());
        Assert.All(checkouts, checkout => Assert.Equal(_second, checkout.Commit));
    }

    [Fact]
    public async Task Checkout_ProjectWithNestedSubmodules_InitialisesThemRecursively()
    {
        var leaf = _upstream.PublishRepository("leaf", new Dictionary<string, string> { ["leaf.txt"] = "leaf content\n" });
        var middle = _upstream.PublishRepository(
            "middle",
            new Dictionary<string, string> { ["middle.txt"] = "middle content\n" },
            new Dictionary<string, string> { ["deps/leaf"] = $"../leaf.git {leaf}" });
        GitUpstream.AddSubmodules(_upstream.Work, new Dictionary<string, string> { ["deps/middle"] = $"../middle.git {middle}" });
        var withSubmodules = _upstream.Work.CommitAll("submodules");
        _upstream.Publish();

        var checkout = await Cache.CheckoutAsync(new GitCheckoutRequest(_upstream.BareUrl, withSubmodules), CancellationToken.None);

        Assert.Equal("middle content\n", File.ReadAllText(Path.Combine(checkout.Directory, "deps", "middle", "middle.txt")));
        Assert.Equal("leaf content\n", File.ReadAllText(Path.Combine(checkout.Directory, "deps", "middle", "deps", "leaf", "leaf.txt")));
        Assert.Equal(leaf, GitRepository.Run(Path.Combine(checkout.Directory, "deps", "middle", "deps", "leaf"), "rev-parse", "HEAD").Trim());
        Assert.Equal(_upstream.BareUrl, GitRepository.Run(checkout.Directory, "config", "remote.origin.url").Trim());
    }

    [Fact]
    public async Task Checkout_MalformedVersion_IsRefusedBeforeGitRuns()
    {
        var error = await Assert.ThrowsAsync<InputException>(
            () => Cache.CheckoutAsync(new GitCheckoutRequest(_upstream.Bare, "--upload-pack=touch pwned"), CancellationToken.None));

        Assert.StartsWith("version '--upload-pack=touch pwned'", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_upstream.CacheRoot));
    }

    public void Dispose() => _upstream.Dispose();
}
