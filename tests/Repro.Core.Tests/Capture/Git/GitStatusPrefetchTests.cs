using System.Runtime.Versioning;
using Repro.Core.Capture.Git;
using Repro.Core.Runs;

namespace Repro.Core.Tests.Capture.Git;

// Unix file modes are part of what is captured.
[UnsupportedOSPlatform("windows")]
public sealed class GitStatusPrefetchTests : IDisposable
{
    private readonly GitRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task CaptureWithListing_StatusStartedWithTheRun_RecordsWhatAFreshCaptureRecords()
    {
        _repo.Write("requirements.txt", "x\n");
        _repo.Write("train.py", "a\n");
        _repo.Write("staged.py", "s\n");
        _repo.Write(".gitignore", "build/\n*.tmp\n");
        _repo.CommitAll();
        _repo.Write("train.py", "b\n");
        _repo.Write("staged.py", "t\n");
        _repo.Git("add", "staged.py");
        _repo.Write("notes.txt", "untracked\n");
        _repo.Write("build/out/requirements.txt", "ignored\n");
        _repo.Write("scratch.tmp", "ignored\n");

        var fresh = await CaptureAsync(_repo.Root, "fresh", prefetch: null);
        using var prefetch = GitStatusPrefetch.Start(_repo.Root, CancellationToken.None)!;
        var prefetched = await CaptureAsync(_repo.Root, "prefetched", prefetch);

        AssertSameCapture(fresh, prefetched);
        Assert.Equal(["staged.py", "train.py"], prefetched.Result.ChangedPaths.Order(StringComparer.Ordinal));
        Assert.Equal(["notes.txt"], prefetched.Result.Record.Untracked.Select(f => f.Path));
    }

    [Fact]
    public async Task CaptureWithListing_StatusStartedInAnotherRepository_IsNotUsed()
    {
        _repo.Write("train.py", "a\n");
        _repo.CommitAll();
        _repo.Write("mine.txt", "untracked here\n");
        using var other = new GitRepository();
        other.Write("other.py", "o\n");
        other.CommitAll();
        other.Write("theirs.txt", "untracked there\n");

        var fresh = await CaptureAsync(_repo.Root, "fresh", prefetch: null);
        using var prefetch = GitStatusPrefetch.Start(other.Root, CancellationToken.None)!;
        var prefetched = await CaptureAsync(_repo.Root, "prefetched", prefetch);

        AssertSameCapture(fresh, prefetched);
        Assert.Equal(["mine.txt"], prefetched.Result.Record.Untracked.Select(f => f.Path));
    }

    [Fact]
    public async Task CaptureWithListing_StatusStartedOutsideAnyRepository_CaptureStillReadsTheRepository()
    {
        _repo.Write("train.py", "a\n");
        _repo.CommitAll();
        _repo.Write("train.py", "b\n");
        var outside = _repo.Scratch("not-a-repository");
        Directory.CreateDirectory(outside);

        var fresh = await CaptureAsync(_repo.Root, "fresh", prefetch: null);
        using var prefetch = GitStatusPrefetch.Start(outside, CancellationToken.None)!;
        var prefetched = await CaptureAsync(_repo.Root, "prefetched", prefetch);

        AssertSameCapture(fresh, prefetched);
        Assert.NotNull(prefetched.Result.Record.Patch);
    }

    [Fact]
    public async Task Dispose_PassNeverTaken_ReturnsAndLeavesTheRepositoryAsItWas()
    {
        _repo.Write("train.py", "a\n");
        _repo.CommitAll();
        _repo.Write("train.py", "b\n");
        var index = File.ReadAllBytes(Path.Combine(_repo.Root, ".git", "index"));

        GitStatusPrefetch.Start(_repo.Root, CancellationToken.None)!.Dispose();

        // The prefetch never writes the user's index (status runs without optional locks) and leaves no lock behind.
        Assert.Equal(index, File.ReadAllBytes(Path.Combine(_repo.Root, ".git", "index")));
        Assert.False(File.Exists(Path.Combine(_repo.Root, ".git", "index.lock")));
        var capture = await CaptureAsync(_repo.Root, "after", prefetch: null);
        Assert.True(capture.Result.Record.Dirty);
    }

    private static void AssertSameCapture((GitCaptureResult Result, string Run) expected, (GitCaptureResult Result, string Run) actual)
    {
        var (want, got) = (expected.Result, actual.Result);
        Assert.Equal(want.Record.Commit, got.Record.Commit);
        Assert.Equal(want.Record.Branch, got.Record.Branch);
        Assert.Equal(want.Record.Dirty, got.Record.Dirty);
        Assert.Equal(want.Record.Untracked, got.Record.Untracked);
        Assert.Equal(want.Record.Patch?.Sha256, got.Record.Patch?.Sha256);
        Assert.Equal(want.ChangedPaths, got.ChangedPaths);
        Assert.Equal(want.Warnings, got.Warnings);
        var patch = Path.Combine(expected.Run, RunFolder.PatchFileName);
        Assert.Equal(File.Exists(patch), File.Exists(Path.Combine(actual.Run, RunFolder.PatchFileName)));
        if (File.Exists(patch))
        {
            Assert.Equal(File.ReadAllBytes(patch), File.ReadAllBytes(Path.Combine(actual.Run, RunFolder.PatchFileName)));
        }

        var (wantListing, gotListing) = (want.Listing!, got.Listing!);
        Assert.Equal(wantListing.TrackedFiles(_ => true).Order(StringComparer.Ordinal), gotListing.TrackedFiles(_ => true).Order(StringComparer.Ordinal));
        Assert.Equal(wantListing.OtherFiles.Order(StringComparer.Ordinal), gotListing.OtherFiles.Order(StringComparer.Ordinal));
        Assert.Equal(wantListing.Folders.Order(StringComparer.Ordinal), gotListing.Folders.Order(StringComparer.Ordinal));
    }

    private async Task<(GitCaptureResult Result, string Run)> CaptureAsync(string project, string name, GitStatusPrefetch? prefetch)
    {
        var run = _repo.Scratch(name);
        var result = await GitCapture.CaptureWithListingAsync(project, run, onListing: null, CancellationToken.None, prefetch);
        return (result, run);
    }
}
