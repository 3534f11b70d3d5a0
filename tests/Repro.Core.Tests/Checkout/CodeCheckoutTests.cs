using System.Runtime.Versioning;
using System.Security.Cryptography;
using Repro.Core.Capture.Git;
using Repro.Core.Errors;
using Repro.Core.Runs;
using Repro.Core.Tests.Capture.Git;
using Repro.Core.Checkout;

namespace Repro.Core.Tests.Checkout;

// Executable bits and symbolic links are part of what is materialised.
[UnsupportedOSPlatform("windows")]
public sealed class CodeCheckoutTests : IDisposable
{
    private readonly GitRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task MaterializeAsync_Commit_WritesFilesExecutableBitsAndSymbolicLinks()
    {
        _repo.Write("train.py", "print(1)\n");
        _repo.Write("bin/run.sh", "#!/bin/sh\necho hi\n");
        File.SetUnixFileMode(Path.Combine(_repo.Root, "bin", "run.sh"), (UnixFileMode)Convert.ToInt32("755", 8));
        _repo.Write("data/raw/weights.bin", [0, 1, 2, 255]);
        File.CreateSymbolicLink(Path.Combine(_repo.Root, "latest"), "data/raw/weights.bin");
        var commit = _repo.CommitAll();

        await using var checkout = await CodeCheckout.MaterializeAsync(_repo.Root, commit, patchFile: null, _repo.Scratch("checkouts"));

        Assert.Equal(commit, checkout.Commit);
        Assert.Equal("print(1)\n", File.ReadAllText(Path.Combine(checkout.Root, "train.py")));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, File.ReadAllBytes(Path.Combine(checkout.Root, "data", "raw", "weights.bin")));
        Assert.True((File.GetUnixFileMode(Path.Combine(checkout.Root, "bin", "run.sh")) & UnixFileMode.UserExecute) != 0);
        Assert.True((File.GetUnixFileMode(Path.Combine(checkout.Root, "train.py")) & UnixFileMode.UserExecute) == 0);
        Assert.Equal("data/raw/weights.bin", new FileInfo(Path.Combine(checkout.Root, "latest")).LinkTarget);
        Assert.False(Directory.Exists(Path.Combine(checkout.Root, ".git")));
        Assert.Empty(checkout.Warnings);
    }

    [Fact]
    public async Task MaterializeAsync_DirtyRunAfterLaterCommits_ReproducesTheTreeAsItWasAtTheRun()
    {
        var random = new Random(7);
        var weights = new byte[50_000];
        random.NextBytes(weights);
        _repo.Write("train.py", "lr = 0.1\n");
        _repo.Write("config.yaml", "epochs: 1\n");
        _repo.Write("model.bin", weights);
        _repo.Write("obsolete.py", "x\n");
        _repo.CommitAll();
        _repo.Write("train.py", "lr = 0.2\n");
        _repo.Git("add", "train.py");
        _repo.Write("config.yaml", "epochs: 2\n");
        weights[100] ^= 0x5A;
        _repo.Write("model.bin", weights);
        _repo.Write("new_module.py", "y = 1\n");
        _repo.Git("add", "new_module.py");
        File.Delete(Path.Combine(_repo.Root, "obsolete.py"));
        var run = _repo.Scratch("run");
        var capture = await GitCapture.CaptureAsync(_repo.Root, run, CancellationToken.None);
        var atRun = TrackedFiles(capture.Record);

        _repo.Write("train.py", "lr = 0.3\n");
        _repo.CommitAll("later");
        _repo.Write("config.yaml", "epochs: 3\n");
        _repo.CommitAll("later again");
        _repo.Write("train.py", "lr = 0.4\n");

        await using var checkout = await CodeCheckout.MaterializeAsync(capture.Record, run, parentDirectory: _repo.Scratch("checkouts"));

        var materialised = Directory.EnumerateFiles(checkout.Root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(checkout.Root, f).Replace('\\', '/'), File.ReadAllBytes);
        Assert.Equal(atRun.Keys.Order(StringComparer.Ordinal), materialised.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, content) in atRun)
        {
            Assert.Equal(content, materialised[path]);
        }
    }

    [Fact]
    public async Task MaterializeAsync_UserRepository_RefsWorktreesStashAndIndexAreUnchanged()
    {
        _repo.Write("train.py", "a\n");
        _repo.CommitAll();
        _repo.Git("branch", "feature");
        _repo.Git("tag", "v1");
        _repo.Git("worktree", "add", "--quiet", Path.Combine(_repo.Folder, "linked"), "feature");
        _repo.Write("train.py", "stashed\n");
        _repo.Git("stash", "--quiet");
        _repo.Write("train.py", "b\n");
        _repo.Git("add", "train.py");
        _repo.Write("train.py", "c\n");
        _repo.Write("new.bin", [0, 9, 0]);
        var before = Snapshot();
        var run = _repo.Scratch("run");
        var capture = await GitCapture.CaptureAsync(_repo.Root, run, CancellationToken.None);

        // A checkout made inside the user's own working tree is the hardest case for git apply.
        await using (var checkout = await CodeCheckout.MaterializeAsync(capture.Record, run, parentDirectory: Path.Combine(_repo.Root, ".repro", "checkouts")))
        {
            Assert.Equal("c\n", File.ReadAllText(Path.Combine(checkout.Root, "train.py")));
        }

        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public async Task Dispose_Checkout_DeletesItsFolder()
    {
        _repo.Write("train.py", "a\n");
        var commit = _repo.CommitAll();
        var parent = _repo.Scratch("checkouts");
        var checkout = await CodeCheckout.MaterializeAsync(_repo.Root, commit, null, parent);
        var root = checkout.Root;
        Directory.CreateDirectory(Path.Combine(root, "outputs", "locked"));
        File.WriteAllText(Path.Combine(root, "outputs", "locked", "x"), "x");
        File.SetUnixFileMode(Path.Combine(root, "outputs", "locked"), UnixFileMode.UserRead | UnixFileMode.UserExecute);

        checkout.Dispose();

        Assert.False(Directory.Exists(root));
        Assert.Empty(Directory.EnumerateFileSystemEntries(parent));
    }

    [Fact]
    public async Task MaterializeAsync_UnknownCommit_IsAnInputErrorAndLeavesNothingBehind()
    {
        _repo.Write("train.py", "a\n");
        _repo.CommitAll();
        var parent = _repo.Scratch("checkouts");
        var missing = new string('a', 40);

        var error = await Assert.ThrowsAsync<InputException>(() => CodeCheckout.MaterializeAsync(_repo.Root, missing, null, parent));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(parent));
    }

    [Fact]
    public async Task MaterializeAsync_PatchThatDoesNotApply_IsAGitErrorAndLeavesNothingBehind()
    {
        _repo.Write("train.py", "a\n");
        var first = _repo.CommitAll();
        _repo.Write("train.py", "b\n");
        _repo.CommitAll();
        _repo.Write("train.py", "c\n");
        var run = _repo.Scratch("run");
        var capture = await GitCapture.CaptureAsync(_repo.Root, run, CancellationToken.None);
        var parent = _repo.Scratch("checkouts");

        var error = await Assert.ThrowsAsync<GitException>(
            () => CodeCheckout.MaterializeAsync(_repo.Root, first, Path.Combine(run, capture.Record.Patch!.File), parent));

        Assert.Contains(RunFolder.PatchFileName, error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(parent));
    }

    [Fact]
    public async Task MaterializeAsync_PatchEditedAfterTheRun_IsAStoreError()
    {
        _repo.Write("train.py", "a\n");
        _repo.CommitAll();
        _repo.Write("train.py", "b\n");
        var run = _repo.Scratch("run");
        var capture = await GitCapture.CaptureAsync(_repo.Root, run, CancellationToken.None);
        File.AppendAllText(Path.Combine(run, RunFolder.PatchFileName), "\n");

        var error = await Assert.ThrowsAsync<StoreException>(() => CodeCheckout.MaterializeAsync(capture.Record, run, parentDirectory: _repo.Scratch("checkouts")));

        Assert.Contains(capture.Record.Patch!.Sha256, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MaterializeAsync_RunWithoutCommit_IsAnInputError()
    {
        var record = new GitRecord { State = GitState.NotARepository };

        await Assert.ThrowsAsync<InputException>(() => CodeCheckout.MaterializeAsync(record, _repo.Scratch("run")));
    }

    [Fact]
    public async Task CopyUntrackedAsync_UnchangedFiles_AreCopiedIntoTheCheckout()
    {
        _repo.Write("train.py", "a\n");
        _repo.CommitAll();
        _repo.Write("data/my file ü.csv", "1,2\n");
        File.CreateSymbolicLink(Path.Combine(_repo.Root, "latest.csv"), "data/my file ü.csv");
        var run = _repo.Scratch("run");
        var capture = await GitCapture.CaptureAsync(_repo.Root, run, CancellationToken.None);
        await using var checkout = await CodeCheckout.MaterializeAsync(capture.Record, run, parentDirectory: _repo.Scratch("checkouts"));

        await checkout.CopyUntrackedAsync(_repo.Root, capture.Record.Untracked);

        Assert.Equal("1,2\n", File.ReadAllText(Path.Combine(checkout.Root, "data", "my file ü.csv")));
        Assert.Equal("data/my file ü.csv", new FileInfo(Path.Combine(checkout.Root, "latest.csv")).LinkTarget);
    }

    [Fact]
    public async Task CopyUntrackedAsync_ChangedAndMissingFiles_InputErrorNamesEachWithRecordedAndCurrentHash()
    {
        _repo.Write("train.py", "a\n");
        _repo.CommitAll();
        _repo.Write("changed.csv", "1\n");
        _repo.Write("removed.csv", "2\n");
        _repo.Write("same.csv", "3\n");
        var run = _repo.Scratch("run");
        var capture = await GitCapture.CaptureAsync(_repo.Root, run, CancellationToken.None);
        _repo.Write("changed.csv", "1 edited\n");
        File.Delete(Path.Combine(_repo.Root, "removed.csv"));
        await using var checkout = await CodeCheckout.MaterializeAsync(capture.Record, run, parentDirectory: _repo.Scratch("checkouts"));

        var error = await Assert.ThrowsAsync<InputException>(() => checkout.CopyUntrackedAsync(_repo.Root, capture.Record.Untracked));

        var recorded = capture.Record.Untracked.ToDictionary(f => f.Path, f => f.Sha256);
        Assert.Contains($"changed.csv (recorded sha256 {recorded["changed.csv"]}, current {Sha256("1 edited\n")})", error.Message, StringComparison.Ordinal);
        Assert.Contains($"removed.csv (recorded sha256 {recorded["removed.csv"]}, now missing)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("same.csv", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CopyUntrackedAsync_PathOutsideTheRepository_IsAnInputError()
    {
        _repo.Write("train.py", "a\n");
        var commit = _repo.CommitAll();
        await using var checkout = await CodeCheckout.MaterializeAsync(_repo.Root, commit, null, _repo.Scratch("checkouts"));

        await Assert.ThrowsAsync<InputException>(() => checkout.CopyUntrackedAsync(_repo.Root, [new FileRecord("../outside.txt", 1, Sha256("x"))]));
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    /// <summary>Every tracked file's bytes as the working tree holds them now, untracked files left out.</summary>
    private Dictionary<string, byte[]> TrackedFiles(GitRecord record)
    {
        var untracked = record.Untracked.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        var paths = _repo.Git("ls-files", "-z", "--cached", "--others", "--exclude-standard").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        return paths.Where(p => !untracked.Contains(p) && File.Exists(Path.Combine(_repo.Root, p)))
            .ToDictionary(p => p, _repo.Read);
    }

    private string Snapshot()
    {
        var index = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(_repo.Root, ".git", "index"))));
        return string.Join(
            "\n---\n",
            _repo.Git("for-each-ref"),
            _repo.Git("worktree", "list", "--porcelain"),
            _repo.Git("stash", "list"),
            _repo.Git("--no-optional-locks", "status", "--porcelain=v2", "--untracked-files=all"),
            index);
    }
}
