using System.IO.Compression;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using LibGit2Sharp;
using Repro.Core.Capture.Git;

namespace Repro.Core.Tests.Capture.Git;

/// <summary>
/// The file reader against libgit2: on real repositories of many shapes, the root and every fact it reads must be
/// exactly what LibGit2Sharp gives (<see cref="RepositoryFacts.Read"/>), and every shape it does not know must be
/// left to libgit2 (a fallback), never read differently.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class RepositoryFilesTests : IDisposable
{
    private readonly GitRepository _repository = new();

    public void Dispose() => _repository.Dispose();

    [Fact]
    public void ReadFacts_LooseCommit_EqualsLibGit2()
    {
        _repository.Write("train.py", "print(1)\n");
        _repository.CommitAll();

        var facts = AssertSameAsLibGit2(_repository.Root);

        Assert.Equal("main", facts.Branch);
        Assert.False(facts.Detached);
        Assert.NotNull(facts.Commit);
    }

    [Fact]
    public void ReadFacts_PackedAfterGc_EqualsLibGit2()
    {
        _repository.Write("train.py", "print(1)\n");
        _repository.CommitAll();
        _repository.Write("train.py", "print(2)\n");
        _repository.CommitAll();
        _repository.Git("gc", "--quiet");
        Assert.Empty(Directory.GetDirectories(Path.Combine(_repository.Root, ".git", "objects"), "??"));
        Assert.False(File.Exists(Path.Combine(_repository.Root, ".git", "refs", "heads", "main")));

        AssertSameAsLibGit2(_repository.Root);
    }

    [Fact]
    public void ReadFacts_FreshCloneWithCredentialsInTheUrl_EqualsLibGit2AndDropsThem()
    {
        _repository.Write("train.py", "print(1)\n");
        _repository.CommitAll();
        var clone = _repository.Scratch("clone");
        Directory.Delete(clone);
        GitRepository.Run(_repository.Folder, "clone", "--quiet", "--no-local", _repository.Root, clone);
        GitRepository.Run(clone, "remote", "set-url", "origin", "https://user:s3cret@example.com/team/project.git");
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(clone, ".git", "objects", "pack"), "*.idx"));

        var facts = AssertSameAsLibGit2(clone);

        Assert.Equal("origin", facts.RemoteName);
        Assert.Equal("https://example.com/team/project.git", facts.RemoteUrl);
    }

    [Fact]
    public void ReadFacts_PackedRefsOnlyWithAnnotatedTags_EqualsLibGit2()
    {
        _repository.Write("train.py", "print(1)\n");
        _repository.CommitAll();
        _repository.Git("tag", "-a", "v1", "-m", "first");
        _repository.Write("train.py", "print(2)\n");
        _repository.CommitAll();
        _repository.Git("tag", "-a", "v2", "-m", "second");
        _repository.Git("pack-refs", "--all");
        var packed = File.ReadAllText(Path.Combine(_repository.Root, ".git", "packed-refs"));
        Assert.Contains("\n^", packed, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_repository.Root, ".git", "refs", "heads", "main")));

        AssertSameAsLibGit2(_repository.Root);
    }

    [Fact]
    public void ReadFacts_DetachedHead_EqualsLibGit2()
    {
        _repository.Write("train.py", "print(1)\n");
        _repository.CommitAll();
        _repository.Write("train.py", "print(2)\n");
        _repository.CommitAll();
        _repository.Git("checkout", "--quiet", "--detach", "HEAD~1");

        var facts = AssertSameAsLibGit2(_repository.Root);

        Assert.True(facts.Detached);
        Assert.Null(facts.Branch);
    }

    [Fact]
    public void ReadFacts_BranchWithSlashes_EqualsLibGit2()
    {
        _repository.Write("train.py", "print(1)\n");
        _repository.CommitAll();
        _repository.Git("checkout", "--quiet", "-b", "feature/deep/x-1.2");

        var facts = AssertSameAsLibGit2(_repository.Root);

        Assert.Equal("feature/deep/x-1.2", facts.Branch);
    }

    [Fact]
    public void ReadFacts_SeveralRemotesWithoutOrigin_EqualsLibGit2()
    {
        _repository.Write("train.py", "print(1)\n");
        _repository.CommitAll();
        _repository.Git("remote", "add", "zeta", "git@example.com:team/zeta.git");
        _repository.Git("remote", "add", "Alpha", "https://token@example.com/alpha.git");
        _repository.Git("remote", "add", "beta", "/srv/git/beta.git");
        _repository.Git("config", "remote.beta.pushurl", "ssh://git@example.com/beta.git");
        _repository.Git("config", "remote.beta.tagopt", "--no-tags");

        var facts = AssertSameAsLibGit2(_repository.Root);

        Assert.Equal("Alpha", facts.RemoteName);
    }

    [Fact]
    public void ReadFacts_UnbornHead_EqualsLibGit2()
    {
        _repository.Git("remote", "add", "origin", "https://example.com/x.git");

        var facts = AssertSameAsLibGit2(_repository.Root);

        Assert.Null(facts.Commit);
        Assert.Null(facts.CommitTime);
        Assert.Equal("main", facts.Branch);
    }

    [Fact]
    public void ReadFacts_ShallowCloneAndCommitterInAnotherZone_EqualsLibGit2()
    {
        _repository.Write("train.py", "print(1)\n");
        _repository.CommitAll();
        _repository.Write("train.py", "print(2)\n");
        _repository.Git(
            new Dictionary<string, string?> { ["GIT_COMMITTER_DATE"] = "1700000000 -0930", ["GIT_AUTHOR_DATE"] = "1600000000 +1400" },
            "commit", "--quiet", "-am", "zones");
        var clone = _repository.Scratch("clone");
        Directory.Delete(clone);
        GitRepository.Run(_repository.Folder, "clone", "--quiet", "--depth", "1", "file://" + _repository.Root, clone);
        Assert.True(File.Exists(Path.Combine(clone, ".git", "shallow")));

        var facts = AssertSameAsLibGit2(clone);

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), facts.CommitTime);
    }

    [Fact]
    public void Discover_ProjectInASubfolderReachedThroughALink_FindsLibGit2sRoot()
    {
        _repository.Write("src/models/MLproject", "name: m\n");
        _repository.CommitAll();
        var link = Path.Combine(_repository.Folder, "link");
        Directory.CreateSymbolicLink(link, _repository.Root);

        AssertSameAsLibGit2(Path.Combine(link, "src", "models"));
    }

    [Fact]
    public void Discover_AnIncompleteGitFolderOnTheWay_GoesOnUpwardsAsLibGit2Does()
    {
        _repository.Write("src/MLproject", "name: m\n");
        _repository.CommitAll();
        Directory.CreateDirectory(Path.Combine(_repository.Root, "src", ".git", "refs"));

        AssertSameAsLibGit2(Path.Combine(_repository.Root, "src"));
    }

    [Fact]
    public void Discover_PushOnlyRemote_FallsBack()
    {
        _repository.Write("train.py", "print(1)\n");
        _repository.CommitAll();
        _repository.Git("config", "remote.mirror.pushurl", "https://example.com/mirror.git");

        Assert.IsType<RepositoryFiles.Fallback>(RepositoryFiles.Discover(_repository.Root, GitConfigurationFiles.None));
    }

    [Fact]
    public void Discover_NoRepository_SaysSoAsLibGit2Does()
    {
        var folder = _repository.Scratch("plain");

        Assert.IsType<RepositoryFiles.NotARepository>(RepositoryFiles.Discover(folder, GitConfigurationFiles.None));
        Assert.Null(Repository.Discover(folder));
    }

    [Fact]
    public void ReadFacts_DeltaCompressedCommit_FallsBack()
    {
        _repository.Write("train.py", "print(1)\n");
        _repository.CommitAll();
        _repository.Write("train.py", "print(2)\n");
        var commit = _repository.CommitAll();
        WriteCommitAsDelta(commit);
        Assert.Equal("commit", _repository.Git("cat-file", "-t", commit).Trim());
        Assert.Contains(commit + " commit", _repository.Git("verify-pack", "-v", Directory.GetFiles(Path.Combine(_repository.Root, ".git", "objects", "pack"), "*.idx").Single()), StringComparison.Ordinal);

        var found = Assert.IsType<RepositoryFiles.Found>(RepositoryFiles.Discover(_repository.Root, GitConfigurationFiles.None));
        Assert.IsType<RepositoryFiles.FactsFallback>(RepositoryFiles.ReadFacts(found));
        using var repository = new Repository(_repository.Root);
        Assert.Equal(commit, RepositoryFacts.Read(repository).Commit);
    }

    [Fact]
    public void ReadFacts_IndexVersion1_FallsBack()
    {
        _repository.Write("train.py", "print(1)\n");
        _repository.CommitAll();
        _repository.Git("gc", "--quiet");
        var pack = Directory.GetFiles(Path.Combine(_repository.Root, ".git", "objects", "pack"), "*.pack").Single();
        var index = Path.ChangeExtension(pack, ".idx");
        File.Delete(index);
        _repository.Git("index-pack", "--index-version=1", "-o", index, pack);

        var found = Assert.IsType<RepositoryFiles.Found>(RepositoryFiles.Discover(_repository.Root, GitConfigurationFiles.None));
        Assert.IsType<RepositoryFiles.FactsFallback>(RepositoryFiles.ReadFacts(found));
    }

    [Fact]
    public void ReadFacts_Alternates_FallsBack()
    {
        _repository.Write("train.py", "print(1)\n");
        _repository.CommitAll();
        var other = _repository.Scratch("other");
        GitRepository.Init(other);
        File.WriteAllText(Path.Combine(_repository.Root, ".git", "objects", "info", "alternates"), Path.Combine(other, ".git", "objects") + "\n");

        var found = Assert.IsType<RepositoryFiles.Found>(RepositoryFiles.Discover(_repository.Root, GitConfigurationFiles.None));
        Assert.IsType<RepositoryFiles.FactsFallback>(RepositoryFiles.ReadFacts(found));
    }

    [Fact]
    public void ReadFacts_CommitterWithoutATimeZone_FallsBack()
    {
        _repository.Write("train.py", "print(1)\n");
        var parent = _repository.CommitAll();
        var tree = _repository.Git("rev-parse", "HEAD^{tree}").Trim();
        var body = $"tree {tree}\nparent {parent}\nauthor A <a@x> 1700000000 +0000\ncommitter C <c@x> 1700000000\n\nodd\n";
        var path = _repository.Write("odd-commit", body);
        var odd = _repository.Git("hash-object", "-t", "commit", "-w", "--literally", path).Trim();
        _repository.Git("update-ref", "refs/heads/main", odd);

        var found = Assert.IsType<RepositoryFiles.Found>(RepositoryFiles.Discover(_repository.Root, GitConfigurationFiles.None));
        Assert.IsType<RepositoryFiles.FactsFallback>(RepositoryFiles.ReadFacts(found));
    }

    [Theory]
    [InlineData("extensions.objectFormat", "sha256")]
    [InlineData("extensions.refStorage", "reftable")]
    [InlineData("include.path", "other.config")]
    [InlineData("includeIf.gitdir:/nowhere/.path", "other.config")]
    [InlineData("url.https://example.com/.insteadOf", "ex:")]
    [InlineData("core.worktree", "/somewhere/else")]
    [InlineData("core.bare", "true")]
    [InlineData("remote.origin.proxy", "http://proxy.invalid")]
    [InlineData("remote.origin.fetch", "refs/heads/main")]
    public void Discover_ConfigurationItLeavesToLibGit2_FallsBack(string key, string value)
    {
        _repository.Write("train.py", "print(1)\n");
        _repository.CommitAll();
        _repository.Git("remote", "add", "origin", "https://example.com/x.git");
        _repository.Git("config", "--add", key, value);

        Assert.IsType<RepositoryFiles.Fallback>(RepositoryFiles.Discover(_repository.Root, GitConfigurationFiles.None));
    }

    [Theory]
    [InlineData("[url \"https://example.com/\"]\n\tinsteadOf = ex:\n")]
    [InlineData("[remote \"upstream\"]\n\turl = https://example.com/up.git\n")]
    [InlineData("[include]\n\tpath = more.config\n")]
    [InlineData("[core]\n\tbare = false\n")]
    [InlineData("[remote.origin]\n\turl = x\n")]
    [InlineData("[user]\n\tname = \"unclosed\n")]
    public void Discover_UserConfigurationItLeavesToLibGit2_FallsBack(string text)
    {
        _repository.Write("train.py", "print(1)\n");
        _repository.CommitAll();
        var global = Path.Combine(_repository.Scratch("home"), ".gitconfig");
        File.WriteAllText(global, text);

        Assert.IsType<RepositoryFiles.Fallback>(RepositoryFiles.Discover(_repository.Root, new GitConfigurationFiles([global])));
    }

    [Fact]
    public void Discover_HarmlessUserConfiguration_ReadsTheFiles()
    {
        _repository.Write("train.py", "print(1)\n");
        _repository.CommitAll();
        var global = Path.Combine(_repository.Scratch("home"), ".gitconfig");
        File.WriteAllText(global, "# mine\n[user]\n\tname = \"A \\\"quoted\\\" name\" ; comment\n\temail = a@x\n[alias]\n\tst = status -sb\n[safe]\n\tdirectory = *\n");

        Assert.IsType<RepositoryFiles.Found>(RepositoryFiles.Discover(_repository.Root, new GitConfigurationFiles([global])));
    }

    [Fact]
    public void Discover_LinkedWorktree_FallsBack()
    {
        _repository.Write("train.py", "print(1)\n");
        _repository.CommitAll();
        var worktree = Path.Combine(_repository.Folder, "wt");
        _repository.Git("worktree", "add", "--quiet", "-b", "other", worktree);

        Assert.IsType<RepositoryFiles.Fallback>(RepositoryFiles.Discover(worktree, GitConfigurationFiles.None));
    }

    [Fact]
    public void Discover_InsideABareRepository_FallsBack()
    {
        var bare = _repository.Scratch("bare.git");
        GitRepository.Run(bare, "init", "--quiet", "--bare");

        Assert.IsType<RepositoryFiles.Fallback>(RepositoryFiles.Discover(bare, GitConfigurationFiles.None));
    }

    [RootFact]
    public void Discover_RepositoryOwnedBySomeoneElse_FallsBack()
    {
        _repository.Write("train.py", "print(1)\n");
        _repository.CommitAll();
        ProcessRunner.RunChecked("chown", ["12345", _repository.Root], _repository.Folder);

        Assert.IsType<RepositoryFiles.Fallback>(RepositoryFiles.Discover(_repository.Root, GitConfigurationFiles.None));
    }

    [Fact]
    public void Discover_GitFileInTheWorkingTree_FallsBack()
    {
        var other = _repository.Scratch("separate");
        Directory.Delete(other);
        var tree = _repository.Scratch("tree");
        GitRepository.Run(tree, "init", "--quiet", "--separate-git-dir", other);

        Assert.IsType<RepositoryFiles.Fallback>(RepositoryFiles.Discover(tree, GitConfigurationFiles.None));
    }

    [Fact]
    public async Task CaptureAsync_FromFilesAndThroughLibGit2_RecordTheSame()
    {
        _repository.Write("src/train.py", "print(1)\n");
        _repository.CommitAll();
        _repository.Write("src/train.py", "print(2)\n");
        _repository.Write("src/notes.txt", "untracked\n");
        _repository.Git("remote", "add", "origin", "https://user:token@example.com/team/project.git");
        var project = Path.Combine(_repository.Root, "src");
        Assert.IsType<RepositoryFiles.Found>(RepositoryFiles.Discover(project, GitConfigurationFiles.None));

        var fromFiles = (await GitCapture.CaptureAsync(project, _repository.Scratch("run-files"), CancellationToken.None)).Record;
        // An include the file reader leaves to libgit2 (libgit2 skips a missing included file).
        _repository.Git("config", "include.path", "missing.config");
        Assert.IsType<RepositoryFiles.Fallback>(RepositoryFiles.Discover(project, GitConfigurationFiles.None));
        var fromLibGit2 = (await GitCapture.CaptureAsync(project, _repository.Scratch("run-libgit2"), CancellationToken.None)).Record;

        IReadOnlyList<Repro.Core.Runs.FileRecord> noFiles = [];
        IReadOnlyList<Repro.Core.Runs.SubmoduleRecord> noSubmodules = [];
        Assert.Equal(fromLibGit2 with { Untracked = noFiles, Submodules = noSubmodules }, fromFiles with { Untracked = noFiles, Submodules = noSubmodules });
        Assert.Equal(fromLibGit2.CommitTime?.Offset, fromFiles.CommitTime?.Offset);
        Assert.Equal(fromLibGit2.Untracked, fromFiles.Untracked);
        Assert.Empty(fromFiles.Submodules);
        Assert.Empty(fromLibGit2.Submodules);
        Assert.Equal("https://example.com/team/project.git", fromFiles.RemoteUrl);
        Assert.NotNull(fromFiles.Patch);
    }

    // The root and facts from files, asserted equal to LibGit2Sharp's: the same values, the same time zone offset.
    private static RepositoryFacts AssertSameAsLibGit2(string project)
    {
        var found = Assert.IsType<RepositoryFiles.Found>(RepositoryFiles.Discover(project, GitConfigurationFiles.None));
        var facts = Assert.IsType<RepositoryFiles.FactsFound>(RepositoryFiles.ReadFacts(found)).Facts;

        var gitDirectory = Repository.Discover(project);
        Assert.NotNull(gitDirectory);
        using var repository = new Repository(gitDirectory);
        Assert.Equal(Path.TrimEndingDirectorySeparator(repository.Info.WorkingDirectory), found.Root);
        var expected = RepositoryFacts.Read(repository);
        Assert.Equal(expected, facts);
        Assert.Equal(expected.CommitTime?.Offset, facts.CommitTime?.Offset);
        return facts;
    }

    // Stores HEAD's commit as a delta on its parent (a delta has its base's type), in a pack git indexes itself, and
    // removes the loose object.
    private void WriteCommitAsDelta(string commit)
    {
        var baseSha = _repository.Git("rev-parse", "HEAD~1").Trim();
        var parent = GitRepository.RunBytes(_repository.Root, new Dictionary<string, string?>(), "cat-file", "commit", baseSha);
        var body = GitRepository.RunBytes(_repository.Root, new Dictionary<string, string?>(), "cat-file", "commit", commit);

        using var pack = new MemoryStream();
        pack.Write("PACK"u8);
        pack.Write([0, 0, 0, 2, 0, 0, 0, 2]);
        WriteEntryHeader(pack, 1, parent.Length);
        WriteDeflated(pack, parent);

        // A delta of inserts only: source size, target size, then the target in runs of at most 127 bytes.
        using var delta = new MemoryStream();
        WriteSize(delta, parent.Length);
        WriteSize(delta, body.Length);
        for (var i = 0; i < body.Length; i += 127)
        {
            var run = Math.Min(127, body.Length - i);
            delta.WriteByte((byte)run);
            delta.Write(body, i, run);
        }

        WriteEntryHeader(pack, 7, (int)delta.Length);
        pack.Write(Convert.FromHexString(baseSha));
        WriteDeflated(pack, delta.ToArray());
        pack.Write(SHA1.HashData(pack.ToArray()));

        var folder = Path.Combine(_repository.Root, ".git", "objects", "pack");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "pack-delta.pack");
        File.WriteAllBytes(path, pack.ToArray());
        _repository.Git("index-pack", path);
        File.Delete(Path.Combine(_repository.Root, ".git", "objects", commit[..2], commit[2..]));
    }

    private static void WriteEntryHeader(Stream stream, int type, int size)
    {
        var first = (type << 4) | (size & 15);
        size >>= 4;
        stream.WriteByte((byte)(first | (size > 0 ? 0x80 : 0)));
        while (size > 0)
        {
            var next = size & 0x7F;
            size >>= 7;
            stream.WriteByte((byte)(next | (size > 0 ? 0x80 : 0)));
        }
    }

    private static void WriteSize(Stream stream, int size)
    {
        do
        {
            var next = size & 0x7F;
            size >>= 7;
            stream.WriteByte((byte)(next | (size > 0 ? 0x80 : 0)));
        }
        while (size > 0);
    }

    private static void WriteDeflated(Stream stream, byte[] bytes)
    {
        using var deflated = new MemoryStream();
        using (var zlib = new ZLibStream(deflated, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(bytes);
        }

        stream.Write(deflated.ToArray());
    }
}

/// <summary>A fact that needs root (to give a folder to another user); skipped otherwise.</summary>
internal sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (System.Environment.UserName != "root")
        {
            Skip = "Only root can give a folder to another user.";
        }
    }
}
