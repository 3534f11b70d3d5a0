using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Repro.Core.Capture.Git;
using Repro.Core.Errors;
using Repro.Core.Runs;

namespace Repro.Core.Tests.Capture.Git;

// Unix file modes and symbolic links are part of what is captured.
[UnsupportedOSPlatform("windows")]
public sealed class GitCaptureTests : IDisposable
{
    private readonly GitRepository _repo = new();

    /// <summary>How the working tree is read: with the git executable, or with LibGit2Sharp alone (no git on PATH).</summary>
    public enum Reader
    {
        GitExecutable,
        LibGit2Sharp,
    }

    public void Dispose() => _repo.Dispose();

    [Theory]
    [InlineData(Reader.GitExecutable)]
    [InlineData(Reader.LibGit2Sharp)]
    public async Task CaptureAsync_CleanRepository_RecordsCommitBranchAndUtcTimeWithoutPatch(Reader reader)
    {
        _repo.Write("train.py", "print('hi')\n");
        var commit = _repo.CommitAll();

        var (result, run) = await CaptureAsync(reader);

        var record = result.Record;
        Assert.Equal(GitState.Repository, record.State);
        Assert.Equal(commit, record.Commit);
        Assert.Equal(40, record.Commit!.Length);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 1, 4, 5, TimeSpan.Zero), record.CommitTime);
        Assert.Equal(TimeSpan.Zero, record.CommitTime!.Value.Offset);
        Assert.Equal("main", record.Branch);
        Assert.False(record.Detached);
        Assert.False(record.Dirty);
        Assert.False(result.Dirty);
        Assert.Null(record.Patch);
        Assert.Empty(record.Untracked);
        Assert.Equal(_repo.Root, record.RepositoryRoot);
        Assert.Equal("", record.ProjectPath);
        Assert.Null(record.RemoteName);
        Assert.False(File.Exists(Path.Combine(run, RunFolder.PatchFileName)));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public async Task CaptureAsync_ProjectInSubfolder_RecordsProjectPathWithForwardSlashes()
    {
        _repo.Write("src/models/MLproject", "name: m\n");
        _repo.CommitAll();

        var result = await GitCapture.CaptureAsync(Path.Combine(_repo.Root, "src", "models"), _repo.Scratch("run"), CancellationToken.None);

        Assert.Equal("src/models", result.Record.ProjectPath);
        Assert.Equal(_repo.Root, result.Record.RepositoryRoot);
    }

    [Fact]
    public async Task CaptureAsync_ProjectReachedThroughASymbolicLink_RecordsTheProjectPathInsideTheRepository()
    {
        _repo.Write("src/models/MLproject", "name: m\n");
        _repo.CommitAll();
        var link = Path.Combine(_repo.Folder, "link");
        Directory.CreateSymbolicLink(link, _repo.Root);

        var result = await GitCapture.CaptureAsync(Path.Combine(link, "src", "models"), _repo.Scratch("run"), CancellationToken.None);

        Assert.Equal("src/models", result.Record.ProjectPath);
    }

    [Fact]
    public async Task CaptureAsync_LinkedWorktree_RecordsTheWorktreeAndItsBranch()
    {
        _repo.Write("train.py", "x\n");
        _repo.CommitAll();
        var worktree = Path.Combine(_repo.Folder, "wt");
        _repo.Git("worktree", "add", "--quiet", "-b", "experiment", worktree);
        File.WriteAllText(Path.Combine(worktree, "train.py"), "y\n");

        var result = await GitCapture.CaptureAsync(worktree, _repo.Scratch("run"), CancellationToken.None);

        Assert.Equal(worktree, result.Record.RepositoryRoot);
        Assert.Equal("experiment", result.Record.Branch);
        Assert.Equal(["train.py"], result.ChangedPaths);
    }

    [Theory]
    [InlineData(Reader.GitExecutable)]
    [InlineData(Reader.LibGit2Sharp)]
    public async Task CaptureAsync_StagedAndUnstagedChanges_PatchReproducesTheWorkingTreeOnHead(Reader reader)
    {
        _repo.Write("staged.py", "a = 1\n");
        _repo.Write("unstaged.py", "b = 1\n");
        _repo.Write("both.py", "c = 1\n");
        _repo.Write("deleted.py", "d = 1\n");
        _repo.Write("run.sh", "echo hi\n");
        _repo.Write("no newline.txt", "x");
        File.CreateSymbolicLink(Path.Combine(_repo.Root, "current.py"), "staged.py");
        _repo.CommitAll();
        File.Delete(Path.Combine(_repo.Root, "current.py"));
        File.CreateSymbolicLink(Path.Combine(_repo.Root, "current.py"), "both.py");
        _repo.Write("staged.py", "a = 2\n");
        _repo.Git("add", "staged.py");
        _repo.Write("both.py", "c = 2\n");
        _repo.Git("add", "both.py");
        _repo.Write("both.py", "c = 3\n");
        _repo.Write("unstaged.py", "b = 2\n");
        File.Delete(Path.Combine(_repo.Root, "deleted.py"));
        _repo.Write("added.py", "e = 1\n");
        _repo.Git("add", "added.py");
        File.SetUnixFileMode(Path.Combine(_repo.Root, "run.sh"), (UnixFileMode)Convert.ToInt32("755", 8));
        _repo.Write("no newline.txt", "y");

        var (result, run) = await CaptureAsync(reader);

        Assert.True(result.Record.Dirty);
        var patch = result.Record.Patch;
        Assert.NotNull(patch);
        AssertStoredFile(run, patch);
        Assert.Equal(
            ["added.py", "both.py", "current.py", "deleted.py", "no newline.txt", "run.sh", "staged.py", "unstaged.py"],
            result.ChangedPaths.Order(StringComparer.Ordinal));
        var clone = ApplyToCloneOfHead(run);
        foreach (var path in new[] { "staged.py", "unstaged.py", "both.py", "added.py", "run.sh", "no newline.txt" })
        {
            Assert.Equal(_repo.Read(path), File.ReadAllBytes(Path.Combine(clone, path)));
        }

        Assert.False(File.Exists(Path.Combine(clone, "deleted.py")));
        Assert.Equal("both.py", new FileInfo(Path.Combine(clone, "current.py")).LinkTarget);
        Assert.True((File.GetUnixFileMode(Path.Combine(clone, "run.sh")) & UnixFileMode.UserExecute) != 0);
    }

    [Theory]
    [InlineData(Reader.GitExecutable)]
    [InlineData(Reader.LibGit2Sharp)]
    public async Task CaptureAsync_BinaryChanges_PatchReproducesExactBytes(Reader reader)
    {
        var random = new Random(42);
        var original = new byte[20_000];
        random.NextBytes(original);
        original[10] = 0;
        _repo.Write("model.bin", original);
        _repo.Write("old.bin", [0, 1, 2, 0, 3]);
        _repo.Write("latin1.txt", [0x63, 0x61, 0x66, 0xE9, 0x0A]);
        _repo.CommitAll();
        var changed = (byte[])original.Clone();
        changed[5000] ^= 0xFF;
        Array.Resize(ref changed, 25_000);
        _repo.Write("model.bin", changed);
        var added = new byte[3000];
        random.NextBytes(added);
        _repo.Write("weights/new.bin", added);
        _repo.Git("add", "weights/new.bin");
        File.Delete(Path.Combine(_repo.Root, "old.bin"));
        _repo.Write("latin1.txt", [0x63, 0x61, 0x66, 0xE8, 0x0A]);

        var (result, run) = await CaptureAsync(reader);

        Assert.NotNull(result.Record.Patch);
        AssertStoredFile(run, result.Record.Patch);
        var clone = ApplyToCloneOfHead(run);
        Assert.Equal(changed, File.ReadAllBytes(Path.Combine(clone, "model.bin")));
        Assert.Equal(added, File.ReadAllBytes(Path.Combine(clone, "weights", "new.bin")));
        Assert.Equal(_repo.Read("latin1.txt"), File.ReadAllBytes(Path.Combine(clone, "latin1.txt")));
        Assert.False(File.Exists(Path.Combine(clone, "old.bin")));
    }

    [Theory]
    [InlineData(Reader.GitExecutable)]
    [InlineData(Reader.LibGit2Sharp)]
    public async Task CaptureAsync_UntrackedFiles_ListsPathSizeAndSha256WithoutContent(Reader reader)
    {
        _repo.Write("tracked.py", "x\n");
        _repo.CommitAll();
        var files = new Dictionary<string, byte[]>
        {
            ["notes.txt"] = Encoding.UTF8.GetBytes("secret-untracked-content\n"),
            ["with space.txt"] = [1, 2, 3],
            ["dätä/文件 1.bin"] = [0, 0, 7],
            ["deep/er/x.csv"] = Encoding.UTF8.GetBytes("a,b\n"),
        };
        foreach (var (path, content) in files)
        {
            _repo.Write(path, content);
        }

        var (result, run) = await CaptureAsync(reader);

        Assert.True(result.Record.Dirty);
        Assert.Null(result.Record.Patch);
        Assert.Empty(Directory.GetFiles(run));
        var expected = files
            .Select(f => new FileRecord(f.Key, f.Value.Length, Convert.ToHexStringLower(SHA256.HashData(f.Value))))
            .OrderBy(f => f.Path, StringComparer.Ordinal);
        Assert.Equal(expected, result.Record.Untracked);
    }

    [Theory]
    [InlineData(Reader.GitExecutable)]
    [InlineData(Reader.LibGit2Sharp)]
    public async Task CaptureAsync_IgnoredFiles_AreNotListedAndLeaveTheTreeClean(Reader reader)
    {
        _repo.Write(".gitignore", "*.log\nbuild/\n");
        _repo.CommitAll();
        _repo.Write("train.log", "loss\n");
        _repo.Write("build/out.bin", [1]);

        var (result, _) = await CaptureAsync(reader);

        Assert.Empty(result.Record.Untracked);
        Assert.False(result.Record.Dirty);
    }

    [Theory]
    [InlineData(Reader.GitExecutable)]
    [InlineData(Reader.LibGit2Sharp)]
    public async Task CaptureAsync_StoreFolder_IsNeverReported(Reader reader)
    {
        _repo.Write("train.py", "x\n");
        _repo.CommitAll();
        _repo.Write(".repro/.gitignore", "*\n");
        _repo.Write(".repro/runs/earlier/run.json", "{}");
        // A store whose .gitignore was lost, in a sub-project, must not be reported either.
        _repo.Write("sub/.repro/runs/x/run.json", "{}");
        _repo.Write("train.py", "y\n");
        var run = Path.Combine(_repo.Root, ".repro", "runs", "now");

        var result = await GitCapture.CaptureAsync(_repo.Root, run, Executable(reader), CancellationToken.None);

        Assert.True(File.Exists(Path.Combine(run, RunFolder.PatchFileName)));
        Assert.Empty(result.Record.Untracked);
        Assert.Equal(["train.py"], result.ChangedPaths);
    }

    [Theory]
    [InlineData(Reader.GitExecutable)]
    [InlineData(Reader.LibGit2Sharp)]
    public async Task CaptureAsync_RunFolderInsideTheWorkingTree_DoesNotListItsOwnPatch(Reader reader)
    {
        _repo.Write("train.py", "x\n");
        _repo.CommitAll();
        _repo.Write("train.py", "y\n");
        var run = Path.Combine(_repo.Root, "runs", "now");

        var result = await GitCapture.CaptureAsync(_repo.Root, run, Executable(reader), CancellationToken.None);

        Assert.NotNull(result.Record.Patch);
        Assert.Empty(result.Record.Untracked);
    }

    [Theory]
    [InlineData(Reader.GitExecutable)]
    [InlineData(Reader.LibGit2Sharp)]
    public async Task CaptureAsync_DetachedHead_RecordsNoBranch(Reader reader)
    {
        _repo.Write("a.txt", "1\n");
        var first = _repo.CommitAll();
        _repo.Write("a.txt", "2\n");
        _repo.CommitAll();
        _repo.Git("checkout", "--quiet", "--detach", first);

        var (result, _) = await CaptureAsync(reader);

        Assert.Equal(first, result.Record.Commit);
        Assert.True(result.Record.Detached);
        Assert.Null(result.Record.Branch);
    }

    [Theory]
    [InlineData(Reader.GitExecutable)]
    [InlineData(Reader.LibGit2Sharp)]
    public async Task CaptureAsync_NoCommits_RecordsStateAndWarns(Reader reader)
    {
        _repo.Write("train.py", "x\n");

        var (result, run) = await CaptureAsync(reader);

        Assert.Equal(GitState.NoCommits, result.Record.State);
        Assert.Null(result.Record.Commit);
        Assert.Equal("main", result.Record.Branch);
        Assert.True(result.Record.Dirty);
        Assert.Contains(result.Warnings, w => w.Contains("no commits", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(run));
    }

    [Fact]
    public async Task CaptureAsync_NotARepository_RecordsStateAndWarns()
    {
        using var folder = new GitRepository(init: false);
        var project = Directory.CreateDirectory(Path.Combine(folder.Root, "project")).FullName;
        using (File.Create(Path.Combine(project, "MLproject")))
        {
        }

        var result = await GitCapture.CaptureAsync(project, folder.Scratch("run"), CancellationToken.None);

        Assert.Equal(GitState.NotARepository, result.Record.State);
        Assert.Null(result.Record.Commit);
        Assert.Null(result.Record.RepositoryRoot);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains(project, warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CaptureAsync_MissingProjectDirectory_IsAnInputError()
    {
        var missing = Path.Combine(_repo.Folder, "missing");

        var error = await Assert.ThrowsAsync<InputException>(() => GitCapture.CaptureAsync(missing, _repo.Scratch("run"), CancellationToken.None));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Reader.GitExecutable)]
    [InlineData(Reader.LibGit2Sharp)]
    public async Task CaptureAsync_RemoteUrlWithCredentials_NoByteOfThePasswordIsRecorded(Reader reader)
    {
        const string password = "s3cr3t-T0KEN-value";
        _repo.Write("train.py", "x\n");
        _repo.CommitAll();
        _repo.Git("remote", "add", "upstream", "https://bob:other@example.com/u.git");
        _repo.Git("remote", "add", "origin", $"https://alice:{password}@example.com/team/project.git");
        _repo.Write("train.py", "y\n");

        var (result, run) = await CaptureAsync(reader);

        Assert.Equal("origin", result.Record.RemoteName);
        Assert.Equal("https://example.com/team/project.git", result.Record.RemoteUrl);
        var json = JsonSerializer.Serialize(result.Record, ManifestJsonContext.Default.GitRecord);
        Assert.DoesNotContain("s3cr3t", json, StringComparison.Ordinal);
        Assert.DoesNotContain("alice", json, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", string.Join('\n', result.Warnings), StringComparison.Ordinal);
        var patch = File.ReadAllBytes(Path.Combine(run, RunFolder.PatchFileName));
        Assert.Equal(-1, patch.AsSpan().IndexOf(Encoding.UTF8.GetBytes("s3cr3t")));
    }

    [Fact]
    public async Task CaptureAsync_ScpLikeRemote_KeepsTheSshUserName()
    {
        _repo.Write("train.py", "x\n");
        _repo.CommitAll();
        _repo.Git("remote", "add", "origin", "git@example.com:team/project.git");

        var result = await GitCapture.CaptureAsync(_repo.Root, _repo.Scratch("run"), CancellationToken.None);

        Assert.Equal("git@example.com:team/project.git", result.Record.RemoteUrl);
    }

    [Theory]
    [InlineData(Reader.GitExecutable)]
    [InlineData(Reader.LibGit2Sharp)]
    public async Task CaptureAsync_TouchedButUnchangedFile_IsCleanAndTheIndexIsNotRewritten(Reader reader)
    {
        _repo.Write("train.py", "x\n");
        _repo.CommitAll();
        File.SetLastWriteTimeUtc(Path.Combine(_repo.Root, "train.py"), DateTime.UtcNow.AddMinutes(5));
        var index = File.ReadAllBytes(Path.Combine(_repo.Root, ".git", "index"));

        var (result, run) = await CaptureAsync(reader);

        Assert.False(result.Record.Dirty);
        Assert.Null(result.Record.Patch);
        Assert.Empty(Directory.GetFiles(run));
        Assert.Equal(index, File.ReadAllBytes(Path.Combine(_repo.Root, ".git", "index")));
        Assert.False(File.Exists(Path.Combine(_repo.Root, ".git", "index.lock")));
    }

    [Theory]
    [InlineData(Reader.GitExecutable)]
    [InlineData(Reader.LibGit2Sharp)]
    public async Task CaptureAsync_UntrackedFifo_IsNeitherOpenedNorRecorded(Reader reader)
    {
        _repo.Write("data/a.csv", "1\n");
        _repo.CommitAll();
        _repo.Write("notes.txt", "n\n");
        Assert.NotNull(Repro.Core.Tests.Capture.Data.DataTestDirectory.Tool("mkfifo", Path.Combine(_repo.Root, "feed.pipe")));

        // Opening the FIFO would wait for a writer forever: the timeout turns that into a failure instead of a hang.
        var (result, _) = await CaptureAsync(reader).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(["notes.txt"], result.Record.Untracked.Select(file => file.Path));
    }

    [Theory]
    [InlineData(Reader.GitExecutable)]
    [InlineData(Reader.LibGit2Sharp)]
    public async Task CaptureAsync_UntrackedSymbolicLink_IsFingerprintedByItsTarget(Reader reader)
    {
        _repo.Write("data/a.csv", "1\n");
        _repo.CommitAll();
        File.CreateSymbolicLink(Path.Combine(_repo.Root, "latest.csv"), "data/a.csv");

        var (result, _) = await CaptureAsync(reader);

        var link = Assert.Single(result.Record.Untracked);
        Assert.Equal("latest.csv", link.Path);
        Assert.Equal("data/a.csv", link.LinkTarget);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData("data/a.csv"u8)), link.Sha256);
    }

    [Theory]
    [InlineData(Reader.GitExecutable)]
    [InlineData(Reader.LibGit2Sharp)]
    public async Task CaptureAsync_UntrackedNestedRepository_MakesTheTreeDirtyAndWarns(Reader reader)
    {
        _repo.Write("train.py", "x\n");
        _repo.CommitAll();
        var nested = Directory.CreateDirectory(Path.Combine(_repo.Root, "vendor", "lib")).FullName;
        GitRepository.Run(nested, "init", "--quiet");
        File.WriteAllText(Path.Combine(nested, "code.py"), "x\n");

        var (result, _) = await CaptureAsync(reader);

        Assert.True(result.Record.Dirty);
        Assert.Equal(["vendor/lib/"], result.NestedRepositories);
        Assert.Contains(result.Warnings, w => w.Contains("vendor/lib/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CaptureAsync_ModifiedUntrackedAndSpacedNamesInOneStatusPass_PatchIsTheUnlimitedDiffByteForByte()
    {
        _repo.Write("train.py", "a\n");
        _repo.Write("data dir/conf ig.yaml", "x: 1\n");
        _repo.Write("deleted.txt", "gone\n");
        _repo.Write("model.bin", [0, 1, 2, 3]);
        _repo.Write("untouched.txt", "same\n");
        _repo.CommitAll();
        _repo.Write("train.py", "b\n");
        _repo.Write("data dir/conf ig.yaml", "x: 2\n");
        File.Delete(Path.Combine(_repo.Root, "deleted.txt"));
        _repo.Write("model.bin", [0, 1, 9, 3, 4]);
        _repo.Write("staged new.txt", "new\n");
        _repo.Git("add", "staged new.txt");
        _repo.Write("notes draft.md", "untracked\n");
        _repo.Write("ignored.log", "ignored\n");
        _repo.Write(".gitignore", "*.log\n");

        var (result, run) = await CaptureAsync(Reader.GitExecutable);

        var unlimited = GitRepository.RunBytes(
            _repo.Root,
            new Dictionary<string, string?>(),
            "-c", "diff.autoRefreshIndex=false", "-c", "core.quotePath=false", "diff", "HEAD", "--binary", "--no-renames", "--no-ext-diff",
            "--no-textconv", "--no-color", "--src-prefix=a/", "--dst-prefix=b/", "--submodule=short", "--ignore-submodules=none");
        Assert.Equal(unlimited, File.ReadAllBytes(Path.Combine(run, RunFolder.PatchFileName)));
        Assert.Equal(["data dir/conf ig.yaml", "deleted.txt", "model.bin", "staged new.txt", "train.py"], result.ChangedPaths);
        Assert.Equal([".gitignore", "notes draft.md"], result.Record.Untracked.Select(file => file.Path));
    }

    [Fact]
    public async Task CaptureAsync_RacilyCleanChangeOfTheSameSizeAndTime_IsInThePatch()
    {
        // A file changed in the same second as the index was written, keeping its size: git finds the change only by
        // comparing contents, which it does for entries not older than the index file. The diff reads a copy of the
        // index cut down to the changed paths, which must look just as old.
        var second = new DateTime(2024, 3, 4, 5, 6, 7, DateTimeKind.Utc);
        _repo.Write("train.py", "aaaa\n");
        _repo.Write("other.py", "same\n");
        _repo.Write("more.py", "more\n");
        File.SetLastWriteTimeUtc(Path.Combine(_repo.Root, "train.py"), second);
        _repo.CommitAll();
        _repo.Git("config", "core.trustctime", "false");
        _repo.Git("config", "core.checkStat", "minimal");
        _repo.Write("train.py", "bbbb\n");
        _repo.Write("more.py", "changed\n");
        File.SetLastWriteTimeUtc(Path.Combine(_repo.Root, "train.py"), second);
        File.SetLastWriteTimeUtc(Path.Combine(_repo.Root, ".git", "index"), second);

        var (result, run) = await CaptureAsync(Reader.GitExecutable);

        var unlimited = GitRepository.RunBytes(
            _repo.Root,
            new Dictionary<string, string?>(),
            "-c", "diff.autoRefreshIndex=false", "-c", "core.quotePath=false", "diff", "HEAD", "--binary", "--no-renames", "--no-ext-diff",
            "--no-textconv", "--no-color", "--src-prefix=a/", "--dst-prefix=b/", "--submodule=short", "--ignore-submodules=none");
        Assert.Equal(["more.py", "train.py"], result.ChangedPaths);
        Assert.Contains("+bbbb", Encoding.UTF8.GetString(unlimited), StringComparison.Ordinal);
        Assert.Equal(unlimited, File.ReadAllBytes(Path.Combine(run, RunFolder.PatchFileName)));
        Assert.Equal(second, File.GetLastWriteTimeUtc(Path.Combine(_repo.Root, ".git", "index")));
    }

    [Fact]
    public async Task CaptureAsync_ChangedAttributesAndStagedModes_PatchIsTheUnlimitedDiffByteForByte()
    {
        _repo.Write(".gitattributes", "*.dat binary\n");
        _repo.Write("data/table.dat", "a,b\n1,2\n");
        _repo.Write("run.sh", "#!/bin/sh\n");
        _repo.Write("keep.txt", "keep\n");
        _repo.CommitAll();
        // The attributes file is deleted from the working tree (git then reads it from the index), a binary-by-attribute
        // file changes, and a mode change is staged.
        File.Delete(Path.Combine(_repo.Root, ".gitattributes"));
        _repo.Write("data/table.dat", "a,b\n1,3\n");
        File.SetUnixFileMode(Path.Combine(_repo.Root, "run.sh"), (UnixFileMode)0b111_101_101);
        _repo.Git("add", "run.sh");
        _repo.Git("update-index", "--index-version", "4");

        var (result, run) = await CaptureAsync(Reader.GitExecutable);

        var unlimited = GitRepository.RunBytes(
            _repo.Root,
            new Dictionary<string, string?>(),
            "-c", "diff.autoRefreshIndex=false", "-c", "core.quotePath=false", "diff", "HEAD", "--binary", "--no-renames", "--no-ext-diff",
            "--no-textconv", "--no-color", "--src-prefix=a/", "--dst-prefix=b/", "--submodule=short", "--ignore-submodules=none");
        Assert.Equal([".gitattributes", "data/table.dat", "run.sh"], result.ChangedPaths);
        Assert.Contains("GIT binary patch", Encoding.UTF8.GetString(unlimited), StringComparison.Ordinal);
        Assert.Equal(unlimited, File.ReadAllBytes(Path.Combine(run, RunFolder.PatchFileName)));
    }

    [Fact]
    public async Task CaptureAsync_ChangedTrackedNameThatIsNotUtf8_IsInThePatchAndAppliesToHead()
    {
        byte[] name = [(byte)'c', (byte)'a', (byte)'f', 0xFF, (byte)'.', (byte)'t', (byte)'x', (byte)'t'];
        var native = Repro.Core.FileSystem.PathText.FromBytes(name);
        WriteNative(native, "1\n");
        _repo.Write("plain.txt", "1\n");
        _repo.CommitAll();
        WriteNative(native, "2\n");
        _repo.Write("plain.txt", "2\n");
        WriteNative(Repro.Core.FileSystem.PathText.FromBytes([0xFE, (byte)'u', (byte)'.', (byte)'t', (byte)'x', (byte)'t']), "u\n");

        var (result, run) = await CaptureAsync(Reader.GitExecutable);

        // The diff is not limited to paths here (a name that is not UTF-8 cannot be an argument), and still has both.
        Assert.Equal(2, result.ChangedPaths.Count);
        Assert.Contains("plain.txt", result.ChangedPaths);
        Assert.Equal(["\"\\xfeu.txt\""], result.Record.Untracked.Select(file => file.Path));
        var clone = ApplyToCloneOfHead(run);
        Assert.Equal("2\n", File.ReadAllText(Path.Combine(clone, "plain.txt")));
        using var applied = new FileStream(Repro.Core.FileSystem.NativeFiles.OpenRead(Path.Combine(clone, native)), FileAccess.Read);
        Assert.Equal("2\n", new StreamReader(applied).ReadToEnd());
    }

    [Fact]
    public async Task CaptureAsync_StagedChangeUndoneInTheWorkingTree_IsCleanLikeTheDiffSaysAndWritesNoPatch()
    {
        _repo.Write("train.py", "a\n");
        _repo.CommitAll();
        _repo.Write("train.py", "b\n");
        _repo.Git("add", "train.py");
        _repo.Write("train.py", "a\n");

        var (result, run) = await CaptureAsync(Reader.GitExecutable);

        Assert.False(result.Record.Dirty);
        Assert.Empty(result.ChangedPaths);
        Assert.Null(result.Record.Patch);
        Assert.False(File.Exists(Path.Combine(run, RunFolder.PatchFileName)));
    }

    [Fact]
    public async Task CaptureWithListing_GitReader_ListsTrackedUntrackedIgnoredAndTheFoldersGitDidNotEnter()
    {
        _repo.Write("src/requirements.txt", "x\n");
        _repo.Write(".gitignore", "build/\n*.tmp\n");
        _repo.CommitAll();
        _repo.Write("notes.txt", "u\n");
        _repo.Write("build/out/requirements.txt", "i\n");
        _repo.Write("scratch.tmp", "i\n");
        var nested = Directory.CreateDirectory(Path.Combine(_repo.Root, "vendor", "lib")).FullName;
        GitRepository.Run(nested, "init", "--quiet");

        var result = await GitCapture.CaptureAsync(Path.Combine(_repo.Root, "src"), _repo.Scratch("run"), Executable(Reader.GitExecutable), listFiles: true, CancellationToken.None);

        var listing = Assert.IsType<WorkingTreeListing>(result.Listing);
        Assert.Equal("src", listing.ProjectPath);
        Assert.Equal([".gitignore", "src/requirements.txt"], listing.TrackedFiles(_ => true).Order(StringComparer.Ordinal));
        Assert.Equal(["notes.txt", "scratch.tmp"], listing.OtherFiles.Order(StringComparer.Ordinal));
        Assert.Equal(["build/", "vendor/lib/"], listing.Folders.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task CaptureWithListing_GitReader_HandsTheListingOverOnceBeforeThePatchIsWritten()
    {
        _repo.Write("requirements.txt", "x\n");
        _repo.Write("train.py", "a\n");
        _repo.CommitAll();
        _repo.Write("train.py", "b\n");
        var run = _repo.Scratch("run");
        var handedOver = new List<(WorkingTreeListing Listing, bool PatchWritten)>();

        var result = await GitCapture.CaptureAsync(
            _repo.Root, run, Executable(Reader.GitExecutable), listFiles: true, CancellationToken.None,
            onListing: listing => handedOver.Add((listing, File.Exists(Path.Combine(run, RunFolder.PatchFileName)))));

        var (early, patchWritten) = Assert.Single(handedOver);
        Assert.False(patchWritten);
        Assert.Same(result.Listing, early);
        Assert.Equal(["requirements.txt", "train.py"], early.TrackedFiles(_ => true).Order(StringComparer.Ordinal));
        Assert.NotNull(result.Record.Patch);
    }

    [Theory]
    [InlineData(Reader.GitExecutable, false)]
    [InlineData(Reader.LibGit2Sharp, true)]
    public async Task CaptureAsync_WithoutListingOrWithoutGit_HasNoListing(Reader reader, bool listFiles)
    {
        _repo.Write("train.py", "a\n");
        _repo.CommitAll();

        var result = await GitCapture.CaptureAsync(_repo.Root, _repo.Scratch("run"), Executable(reader), listFiles, CancellationToken.None);

        Assert.Null(result.Listing);
    }

    [Fact]
    public async Task CaptureAsync_TrackedNamesWithNewlineQuoteAndUnicode_AreReportedExactly()
    {
        string[] names = ["line\nbreak.txt", "quo\"te.txt", "tab\there.txt", "ünï cödé.txt", "a b/x b/y.txt"];
        foreach (var name in names)
        {
            _repo.Write(name, "1\n");
        }

        _repo.CommitAll();
        foreach (var name in names)
        {
            _repo.Write(name, "2\n");
        }

        var (result, run) = await CaptureAsync(Reader.GitExecutable);

        Assert.Equal(names.Order(StringComparer.Ordinal), result.ChangedPaths.Order(StringComparer.Ordinal));
        var clone = ApplyToCloneOfHead(run);
        Assert.All(names, n => Assert.Equal("2\n", File.ReadAllText(Path.Combine(clone, n))));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CaptureAsync_GitlinkWithoutGitmodules_IsStillRecordedWhetherOrNotTheTreeIsListed(bool listFiles)
    {
        _repo.Write("train.py", "x\n");
        var embedded = Directory.CreateDirectory(Path.Combine(_repo.Root, "vendored")).FullName;
        GitRepository.Run(embedded, "init", "--quiet", "-b", "main");
        File.WriteAllText(Path.Combine(embedded, "lib.py"), "1\n");
        GitRepository.Run(embedded, "add", "lib.py");
        GitRepository.Run(embedded, "-c", "user.name=t", "-c", "user.email=t@t.invalid", "commit", "--quiet", "-m", "one");
        var commit = GitRepository.Run(embedded, "rev-parse", "HEAD").Trim();
        // An embedded repository added as is: a gitlink in the index, no .gitmodules.
        _repo.CommitAll();
        Assert.False(File.Exists(Path.Combine(_repo.Root, ".gitmodules")));

        var result = await GitCapture.CaptureAsync(_repo.Root, _repo.Scratch("run"), Executable(Reader.GitExecutable), listFiles, CancellationToken.None);

        var recorded = Assert.Single(result.Record.Submodules);
        Assert.Equal("vendored", recorded.Path);
        Assert.Equal(commit, recorded.Commit);
    }

    [Fact]
    public async Task CaptureWithListing_NoSubmodules_RecordsNone()
    {
        _repo.Write("train.py", "x\n");
        _repo.CommitAll();
        _repo.Write("train.py", "y\n");

        var result = await GitCapture.CaptureAsync(_repo.Root, _repo.Scratch("run"), Executable(Reader.GitExecutable), listFiles: true, CancellationToken.None);

        Assert.False(result.Listing!.HasSubmodules);
        Assert.Empty(result.Record.Submodules);
        Assert.Equal(["train.py"], result.ChangedPaths);
    }

    [Theory]
    [InlineData(Reader.GitExecutable)]
    [InlineData(Reader.LibGit2Sharp)]
    public async Task CaptureAsync_SubmoduleMovedToAnotherCommit_RecordsTheCommitItsWorkingTreeHasAndItsChanges(Reader reader)
    {
        using var library = new GitRepository();
        library.Write("lib.py", "1\n");
        library.CommitAll();
        _repo.Write("train.py", "x\n");
        _repo.Git("-c", "protocol.file.allow=always", "submodule", "add", "--quiet", library.Root, "lib");
        _repo.CommitAll();
        var submodule = Path.Combine(_repo.Root, "lib");
        File.WriteAllText(Path.Combine(submodule, "lib.py"), "2\n");
        GitRepository.Run(submodule, "-c", "user.name=t", "-c", "user.email=t@t.invalid", "commit", "--quiet", "-am", "two");
        var moved = GitRepository.Run(submodule, "rev-parse", "HEAD").Trim();
        File.WriteAllText(Path.Combine(submodule, "lib.py"), "3\n");

        var (result, run) = await CaptureAsync(reader);

        Assert.True(result.Record.Dirty);
        Assert.Equal(["lib"], result.ChangedPaths);
        var recorded = Assert.Single(result.Record.Submodules);
        Assert.Equal("lib", recorded.Path);
        Assert.Equal(library.Root, recorded.Url);
        Assert.Equal(moved, recorded.Commit);
        Assert.True(recorded.Dirty);
        Assert.Equal("submodule-0.patch", recorded.Patch?.File);
        Assert.Contains("+3", File.ReadAllText(Path.Combine(run, "submodule-0.patch")), StringComparison.Ordinal);
        Assert.DoesNotContain(result.Warnings, w => w.Contains("only its commit id", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(Reader.GitExecutable)]
    [InlineData(Reader.LibGit2Sharp)]
    public async Task CaptureAsync_Cancelled_LeavesNoPatchBehind(Reader reader)
    {
        _repo.Write("train.py", "x\n");
        _repo.CommitAll();
        _repo.Write("train.py", "y\n");
        var run = _repo.Scratch("run");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => GitCapture.CaptureAsync(_repo.Root, run, Executable(reader), cancelled.Token));

        Assert.Empty(Directory.GetFiles(run));
    }

    [Fact]
    public async Task RequireClean_DirtyTree_ThrowsNamingChangedAndUntrackedFiles()
    {
        _repo.Write("train.py", "x\n");
        _repo.CommitAll();
        _repo.Write("train.py", "y\n");
        _repo.Write("scratch.txt", "z\n");
        var result = await GitCapture.CaptureAsync(_repo.Root, _repo.Scratch("run"), CancellationToken.None);

        var error = Assert.Throws<InputException>(() => GitCapture.RequireClean(result));

        Assert.Contains("train.py", error.Message, StringComparison.Ordinal);
        Assert.Contains("scratch.txt", error.Message, StringComparison.Ordinal);
        Assert.Contains(_repo.Root, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task RequireClean_CleanTree_Passes()
    {
        _repo.Write("train.py", "x\n");
        _repo.CommitAll();
        var result = await GitCapture.CaptureAsync(_repo.Root, _repo.Scratch("run"), CancellationToken.None);

        GitCapture.RequireClean(result);

        Assert.False(result.Dirty);
    }

    [Fact]
    public async Task RequireClean_NotARepository_Throws()
    {
        using var folder = new GitRepository(init: false);
        var result = await GitCapture.CaptureAsync(folder.Root, folder.Scratch("run"), CancellationToken.None);

        Assert.Throws<InputException>(() => GitCapture.RequireClean(result));
    }

    private void WriteNative(string relativePath, string content)
    {
        using var file = new FileStream(Repro.Core.FileSystem.NativeFiles.CreateWrite(Path.Combine(_repo.Root, relativePath)), FileAccess.Write);
        file.Write(Encoding.UTF8.GetBytes(content));
    }

    private static GitExecutable? Executable(Reader reader) =>
        reader == Reader.GitExecutable ? GitExecutable.OnPath ?? throw new InvalidOperationException("git is not on PATH") : null;

    [Fact]
    public async Task CaptureKeepingRepositoryAsync_RepositoryItOpened_IsHandedOverOpenAndRecordsTheSameCapture()
    {
        // A .gitmodules file sends the capture to libgit2 for the submodules, so it opens the repository.
        _repo.Write(".gitignore", "out/\n");
        _repo.Write(".gitmodules", string.Empty);
        _repo.Write("train.py", "print('hi')\n");
        _repo.CommitAll();
        _repo.Write("train.py", "print('edited')\n");
        var plain = await GitCapture.CaptureAsync(_repo.Root, _repo.Scratch("plain"), CancellationToken.None);
        LibGit2Sharp.Repository? kept = null;

        var result = await GitCapture.CaptureKeepingRepositoryAsync(_repo.Root, _repo.Scratch("kept"), repository => kept = repository, CancellationToken.None);

        Assert.NotNull(kept);
        using (kept)
        {
            // Open, with the index and ignore rules of the repository captured.
            Assert.NotNull(kept.Index["train.py"]);
            Assert.True(kept.Ignore.IsPathIgnored("out/model.bin"));
        }

        Assert.Equal(JsonSerializer.Serialize(plain.Record), JsonSerializer.Serialize(result.Record));
    }

    [Fact]
    public async Task CaptureKeepingRepositoryAsync_NoSubmodules_OpensNoRepositoryListsTheTreeAndRecordsTheSameCapture()
    {
        _repo.Write(".gitignore", "out/\n");
        _repo.Write("train.py", "print('hi')\n");
        _repo.CommitAll();
        _repo.Write("train.py", "print('edited')\n");
        _repo.Write("notes.txt", "untracked\n");
        var plain = await GitCapture.CaptureAsync(_repo.Root, _repo.Scratch("plain"), CancellationToken.None);
        var handedOver = false;

        var result = await GitCapture.CaptureKeepingRepositoryAsync(_repo.Root, _repo.Scratch("kept"), _ => handedOver = true, CancellationToken.None);

        Assert.False(handedOver);
        Assert.NotNull(result.Listing);
        Assert.False(result.Listing.HasSubmodules);
        Assert.Equal(JsonSerializer.Serialize(plain.Record), JsonSerializer.Serialize(result.Record));
    }

    private async Task<(GitCaptureResult Result, string RunDirectory)> CaptureAsync(Reader reader)
    {
        var run = _repo.Scratch("run");
        var result = await GitCapture.CaptureAsync(_repo.Root, run, Executable(reader), CancellationToken.None);
        return (result, run);
    }

    private static void AssertStoredFile(string run, StoredFileRecord patch)
    {
        var bytes = File.ReadAllBytes(Path.Combine(run, patch.File));
        Assert.Equal(RunFolder.PatchFileName, patch.File);
        Assert.Equal(bytes.Length, patch.Bytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), patch.Sha256);
    }

    /// <summary>Clones the repository at HEAD next to it and applies the run's patch there with git apply.</summary>
    private string ApplyToCloneOfHead(string run)
    {
        var clone = Path.Combine(_repo.Folder, "clone");
        GitRepository.Run(_repo.Folder, "clone", "--quiet", "--no-checkout", _repo.Root, clone);
        GitRepository.Run(clone, "checkout", "--quiet", "--detach", _repo.Git("rev-parse", "HEAD").Trim());
        GitRepository.Run(clone, "apply", "--binary", "--whitespace=nowarn", Path.Combine(run, RunFolder.PatchFileName));
        return clone;
    }
}
