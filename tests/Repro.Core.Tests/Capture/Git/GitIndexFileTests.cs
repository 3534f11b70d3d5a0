using System.Runtime.Versioning;
using System.Text;
using Repro.Core.Capture.Git;

namespace Repro.Core.Tests.Capture.Git;

/// <summary>
/// The in-process index reader against git itself: on real repositories, its listing must be exactly the bytes
/// <c>git ls-files -z --stage</c> prints, and every index it does not know must be left to git (null).
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class GitIndexFileTests : IDisposable
{
    private readonly GitRepository _repository = new();

    public void Dispose() => _repository.Dispose();

    private byte[] GitListing(string? root = null) =>
        GitRepository.RunBytes(root ?? _repository.Root, GitRepository.Isolation, "ls-files", "-z", "--stage");

    private void WriteVariedTree(bool indexOnlyEntries = true)
    {
        _repository.Write("README.md", "hello\n");
        _repository.Write("requirements.txt", "numpy==2.0\n");
        _repository.Write("src/deep/er/model.py", "print(1)\n");
        _repository.Write("src/deep/er/model_test.py", "print(2)\n");
        _repository.Write("src/deep/other.py", "print(3)\n");
        _repository.Write("run.sh", "#!/bin/sh\n");
        File.SetUnixFileMode(Path.Combine(_repository.Root, "run.sh"), (UnixFileMode)0b111_101_101);
        File.CreateSymbolicLink(Path.Combine(_repository.Root, "link"), "README.md");
        _repository.Write("données/é.csv", "a,b\n");
        _repository.CommitAll("varied");
        if (!indexOnlyEntries)
        {
            return;
        }

        // A submodule (gitlink) and a name too long for the entry's 12-bit length field, in the index only.
        _repository.Git("update-index", "--add", "--cacheinfo", $"160000,{_repository.Git("rev-parse", "HEAD").Trim()},vendor/sub");
        var longPath = string.Join('/', Enumerable.Range(0, 30).Select(i => new string((char)('a' + (i % 26)), 150))) + "/long.txt";
        var blob = _repository.Git("hash-object", "-w", "README.md").Trim();
        _repository.Git("update-index", "--add", "--cacheinfo", $"100644,{blob},{longPath}");
    }

    [Fact]
    public void TryListStaged_Version2_IsWhatLsFilesPrints()
    {
        WriteVariedTree();

        var listed = GitIndexFile.TryListStaged(_repository.Root);

        Assert.Equal(2, IndexVersion());
        Assert.Equal(GitListing(), listed);
        Assert.Contains("160000 ", Encoding.UTF8.GetString(listed!), StringComparison.Ordinal);
    }

    [Fact]
    public void TryListStaged_Version3WithIntentToAddAndSkipWorktree_IsWhatLsFilesPrints()
    {
        WriteVariedTree();
        _repository.Write("later.py", "print(4)\n");
        _repository.Git("add", "-N", "later.py");
        _repository.Git("update-index", "--skip-worktree", "src/deep/other.py");

        var listed = GitIndexFile.TryListStaged(_repository.Root);

        Assert.Equal(3, IndexVersion());
        Assert.Equal(GitListing(), listed);
    }

    [Fact]
    public void TryListStaged_Version4PrefixCompressed_IsWhatLsFilesPrints()
    {
        WriteVariedTree();
        _repository.Git("update-index", "--index-version", "4");

        var listed = GitIndexFile.TryListStaged(_repository.Root);

        Assert.Equal(4, IndexVersion());
        Assert.Equal(GitListing(), listed);
    }

    [Fact]
    public void TryListStaged_ConflictedFile_ListsEachStageAsLsFilesDoes()
    {
        MergeWithAConflictIn("poetry.lock");

        var listed = GitIndexFile.TryListStaged(_repository.Root);

        Assert.Equal(GitListing(), listed);
        Assert.Contains(" 3\tpoetry.lock\0", Encoding.UTF8.GetString(listed!), StringComparison.Ordinal);
    }

    [Fact]
    public void TryListStaged_LinkedWorktree_ReadsThatWorktreesIndex()
    {
        WriteVariedTree(indexOnlyEntries: false);
        var other = Path.Combine(_repository.Scratch("worktrees"), "other");
        _repository.Git("worktree", "add", "-q", other);
        File.WriteAllText(Path.Combine(other, "only-here.txt"), "x\n");
        GitRepository.Run(other, "add", "only-here.txt");

        var listed = GitIndexFile.TryListStaged(other);

        Assert.Equal(GitListing(other), listed);
        Assert.Contains("only-here.txt", Encoding.UTF8.GetString(listed!), StringComparison.Ordinal);
        Assert.DoesNotContain("only-here.txt", Encoding.UTF8.GetString(GitIndexFile.TryListStaged(_repository.Root)!), StringComparison.Ordinal);
    }

    [Fact]
    public void TryListStaged_NothingEverAdded_ListsNothingAsGitDoes()
    {
        Assert.Equal(GitListing(), GitIndexFile.TryListStaged(_repository.Root));
        Assert.Empty(GitIndexFile.TryListStaged(_repository.Root)!);
    }

    [Fact]
    public void TryListStaged_SplitIndex_IsLeftToGit()
    {
        WriteVariedTree();
        _repository.Git("update-index", "--split-index");

        Assert.Null(GitIndexFile.TryListStaged(_repository.Root));
    }

    [Fact]
    public void TryListStaged_SparseIndex_IsLeftToGit()
    {
        WriteVariedTree();
        _repository.CommitAll("with the index entries");
        _repository.Git("sparse-checkout", "init", "--cone", "--sparse-index");
        _repository.Git("sparse-checkout", "set", "vendor");

        Assert.Null(GitIndexFile.TryListStaged(_repository.Root));
    }

    [Fact]
    public void TryListStaged_Sha256Repository_IsLeftToGit()
    {
        using var sha256 = new GitRepository(init: false);
        var root = sha256.Scratch("sha256");
        GitRepository.Run(root, "init", "-q", "--object-format=sha256");
        File.WriteAllText(Path.Combine(root, "a.txt"), "a\n");
        GitRepository.Run(root, "add", "a.txt");

        Assert.Null(GitIndexFile.TryListStaged(root));
    }

    [Fact]
    public void ListStaged_TruncatedOrForeignBytes_IsLeftToGit()
    {
        WriteVariedTree();
        var index = File.ReadAllBytes(Path.Combine(_repository.Root, ".git", "index"));

        Assert.NotNull(GitIndexFile.ListStaged(index));
        Assert.Null(GitIndexFile.ListStaged(index.AsSpan(0, index.Length / 2)));
        Assert.Null(GitIndexFile.ListStaged(index.AsSpan(0, 30)));
        Assert.Null(GitIndexFile.ListStaged("not an index at all"u8));
        var version9 = index.ToArray();
        version9[7] = 9;
        Assert.Null(GitIndexFile.ListStaged(version9));
    }

    [Fact]
    public void TryListStaged_NotARepository_IsNull()
    {
        using var plain = new GitRepository(init: false);

        Assert.Null(GitIndexFile.TryListStaged(plain.Scratch("plain")));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Listing_FromTheIndexWalk_IsTheListingFromLsFiles(int version)
    {
        WriteVariedTree();
        _repository.Write("packages.lock.json", "{}\n");
        _repository.Write("src/deep/er/requirements-dev.txt", "pytest\n");
        _repository.Write("build/poetry.lock", "ignored folder, tracked file\n");
        _repository.Write(".gitignore", "build/\n");
        byte[] notUtf8 = [(byte)'u', (byte)'v', 0xFF, (byte)'/', .. "uv.lock"u8];
        var notUtf8Path = Repro.Core.FileSystem.PathText.FromBytes(notUtf8);
        // .NET cannot make a folder whose name is not UTF-8; the shell can.
        using (var mkdir = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sh") { ArgumentList = { "-c", "mkdir \"$(printf 'uv\\377')\"" }, WorkingDirectory = _repository.Root })!)
        {
            mkdir.WaitForExit();
            Assert.Equal(0, mkdir.ExitCode);
        }

        using (var file = new FileStream(Repro.Core.FileSystem.NativeFiles.CreateWrite(Path.Combine(_repository.Root, notUtf8Path)), FileAccess.Write))
        {
            file.Write("x\n"u8);
        }

        // By name, not -A: the gitlink and the long path are in the index only. A name that is not UTF-8 cannot be an
        // argument; a glob finds it.
        _repository.Git("add", "-f", "--", "packages.lock.json", "src/deep/er/requirements-dev.txt", "build/poetry.lock", ".gitignore", "uv*");
        _repository.Git("update-index", "--index-version", version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (version == 3)
        {
            _repository.Write("later/uv.lock", "later\n");
            _repository.Git("add", "-N", "later/uv.lock");
        }

        var snapshot = GitIndexFile.TryRead(_repository.Root)!;
        Assert.True(snapshot.TryWalk());
        var walked = new WorkingTreeListing(_repository.Root, "", new GitCliWorkingTreeReader.IndexListing(snapshot, null), [], gitlinkChanged: false);
        var parsed = new WorkingTreeListing(_repository.Root, "", new GitCliWorkingTreeReader.IndexListing(null, GitListing()), [], gitlinkChanged: false);

        Assert.Equal(version, IndexVersion());
        Assert.Equal(parsed.TrackedFiles(_ => true), walked.TrackedFiles(_ => true));
        Assert.Contains(notUtf8Path, walked.TrackedFiles(_ => true));
        Assert.Equal(parsed.Folders, walked.Folders);
        Assert.Equal(["vendor/sub/"], walked.Folders);
        Assert.True(walked.HasSubmodules);
        static bool IsLock(string name) => name.EndsWith(".lock", StringComparison.Ordinal) || name.StartsWith("requirements", StringComparison.Ordinal);
        static bool MayBeLock(ReadOnlySpan<byte> name) => !System.Text.Ascii.IsValid(name) || name.EndsWith(".lock"u8) || name.StartsWith("requirements"u8);
        string[] locks = ["build/poetry.lock", "requirements.txt", "src/deep/er/requirements-dev.txt", notUtf8Path, .. version == 3 ? ["later/uv.lock"] : Array.Empty<string>()];
        Assert.Equal(locks.Order(StringComparer.Ordinal), walked.TrackedFiles(IsLock, MayBeLock).Order(StringComparer.Ordinal));
        Assert.Equal(parsed.TrackedFiles(IsLock, MayBeLock), walked.TrackedFiles(IsLock, MayBeLock));
    }

    [Fact]
    public void Listing_FromTheIndexWalkOfAConflict_ListsThePathOnceWithoutSubmodules()
    {
        MergeWithAConflictIn("poetry.lock");
        var snapshot = GitIndexFile.TryRead(_repository.Root)!;

        Assert.True(snapshot.TryWalk());
        var walked = new WorkingTreeListing(_repository.Root, "", new GitCliWorkingTreeReader.IndexListing(snapshot, null), [], gitlinkChanged: false);

        Assert.Equal(["poetry.lock"], walked.TrackedFiles(_ => true));
        Assert.False(walked.HasSubmodules);
        Assert.Empty(walked.Folders);
    }

    [Fact]
    public void TryWalk_IndexLeftToGit_IsFalse()
    {
        WriteVariedTree();
        _repository.Git("update-index", "--split-index");

        Assert.False(GitIndexFile.TryRead(_repository.Root)!.TryWalk());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void WriteSubset_AnyVersion_HoldsTheWantedEntriesAndEveryAttributesFileAsGitReadsThem(int version)
    {
        WriteVariedTree(indexOnlyEntries: false);
        _repository.Write(".gitattributes", "*.bin binary\n");
        _repository.Write("src/deep/.gitattributes", "*.py diff=python\n");
        _repository.CommitAll("attributes");
        if (version == 3)
        {
            _repository.Write("later.py", "print(4)\n");
            _repository.Git("add", "-N", "later.py");
        }

        _repository.Git("update-index", "--index-version", version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var index = GitIndexFile.TryRead(_repository.Root)!;
        string[] wanted = version == 3 ? ["later.py", "run.sh", "données/é.csv", "not/in/the/index.txt"] : ["run.sh", "données/é.csv", "not/in/the/index.txt"];

        var subset = GitIndexFile.WriteSubset(index.Bytes, [.. wanted.Select(Encoding.UTF8.GetBytes)]);

        Assert.NotNull(subset);
        Assert.Equal(version == 3 ? 3 : 2, subset[7]);
        var file = Path.Combine(_repository.Scratch("subset"), "index");
        File.WriteAllBytes(file, subset);
        // --debug prints each entry's stat data and flags as well: the subset's entries are the index's, unchanged.
        var whole = DebugEntries(null);
        string[] kept = [".gitattributes", "src/deep/.gitattributes", .. wanted];
        Assert.Equal(whole.Where(entry => kept.Contains(entry.Path)), DebugEntries(file));
        Assert.Equal(kept.Length - 1, DebugEntries(file).Count);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void SnapshotWriteSubset_AfterListing_IsTheWalksSubset(int version)
    {
        WriteVariedTree(indexOnlyEntries: false);
        _repository.Write(".gitattributes", "*.bin binary\n");
        _repository.Write("src/.gitmodules", "not a real one\n");
        _repository.CommitAll("attributes");
        _repository.Write("later.py", "print(4)\n");
        _repository.Git("add", "-N", "later.py");
        _repository.Git("update-index", "--index-version", version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var snapshot = GitIndexFile.TryRead(_repository.Root)!;
        Assert.True(snapshot.TryWalk());
        string[][] asked =
        [
            ["run.sh"],
            ["README.md", "données/é.csv", "later.py", "src/deep/er/model_test.py"],
            ["a-before-everything", "link", "zzz-after-everything", "src/deep", "src/deep/er/model.py"],
            [],
        ];

        foreach (var paths in asked)
        {
            byte[][] bytes = [.. paths.Select(Encoding.UTF8.GetBytes)];
            Assert.Equal(GitIndexFile.WriteSubset(snapshot.Bytes, bytes), snapshot.WriteSubset(bytes));
        }
    }

    [Fact]
    public void SnapshotWriteSubset_ConflictedFile_KeepsEveryStage()
    {
        _repository.Write("poetry.lock", "base\n");
        _repository.Write("zeta.txt", "z\n");
        _repository.CommitAll("base");
        _repository.Git("checkout", "-q", "-b", "theirs");
        _repository.Write("poetry.lock", "theirs\n");
        _repository.CommitAll("theirs");
        _repository.Git("checkout", "-q", "-");
        _repository.Write("poetry.lock", "ours\n");
        _repository.CommitAll("ours");
        Assert.ThrowsAny<Exception>(() => _repository.Git("merge", "-q", "theirs"));
        var snapshot = GitIndexFile.TryRead(_repository.Root)!;
        Assert.True(snapshot.TryWalk());

        var subset = snapshot.WriteSubset([Encoding.UTF8.GetBytes("poetry.lock")]);

        Assert.Equal(GitIndexFile.WriteSubset(snapshot.Bytes, [Encoding.UTF8.GetBytes("poetry.lock")]), subset);
        var file = Path.Combine(_repository.Scratch("subset"), "index");
        File.WriteAllBytes(file, subset!);
        Assert.Equal(DebugEntries(null).Where(entry => entry.Path == "poetry.lock"), DebugEntries(file));
        Assert.Equal(3, DebugEntries(file).Count);
    }

    [Fact]
    public void WriteSubset_IndexWithASubmodule_IsLeftToGit()
    {
        WriteVariedTree();
        var index = GitIndexFile.TryRead(_repository.Root)!;

        Assert.Null(GitIndexFile.WriteSubset(index.Bytes, [Encoding.UTF8.GetBytes("run.sh")]));
    }

    [Fact]
    public void WriteSubset_SplitIndexOrForeignBytes_IsLeftToGit()
    {
        WriteVariedTree(indexOnlyEntries: false);
        var index = GitIndexFile.TryRead(_repository.Root)!;
        _repository.Git("update-index", "--split-index");
        byte[][] paths = [Encoding.UTF8.GetBytes("run.sh")];

        Assert.NotNull(GitIndexFile.WriteSubset(index.Bytes, paths));
        Assert.Null(GitIndexFile.WriteSubset(GitIndexFile.TryRead(_repository.Root)!.Bytes, paths));
        Assert.Null(GitIndexFile.WriteSubset(index.Bytes.AsSpan(0, index.Bytes.Length / 2), paths));
        Assert.Null(GitIndexFile.WriteSubset("not an index at all"u8, paths));
    }

    [Fact]
    public void TryRead_Index_KeepsItsModificationTime()
    {
        WriteVariedTree(indexOnlyEntries: false);
        var written = new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc).AddTicks(1234567);
        File.SetLastWriteTimeUtc(Path.Combine(_repository.Root, ".git", "index"), written);

        Assert.Equal(written, GitIndexFile.TryRead(_repository.Root)!.ModifiedUtc);
    }

    // The entries `git ls-files --stage --debug` prints, each with its stat data, for the repository's index or another file.
    private List<(string Path, string Entry)> DebugEntries(string? indexFile)
    {
        var environment = new Dictionary<string, string?>(GitRepository.Isolation);
        if (indexFile is not null)
        {
            environment["GIT_INDEX_FILE"] = indexFile;
        }

        var text = Encoding.UTF8.GetString(GitRepository.RunBytes(_repository.Root, environment, "-c", "core.quotePath=false", "ls-files", "--stage", "--debug"));
        var entries = new List<(string Path, string Entry)>();
        foreach (var block in text.Split('\n').Aggregate(new List<List<string>>(), (blocks, line) =>
        {
            if (line.Length > 0 && !char.IsWhiteSpace(line[0]))
            {
                blocks.Add([]);
            }

            if (line.Length > 0)
            {
                blocks[^1].Add(line);
            }

            return blocks;
        }))
        {
            entries.Add((block[0][(block[0].IndexOf('\t', StringComparison.Ordinal) + 1)..], string.Join('\n', block)));
        }

        return entries;
    }

    private int IndexVersion() => File.ReadAllBytes(Path.Combine(_repository.Root, ".git", "index"))[7];

    // A merge that stops on a conflict in the file: the index then holds its stages 1, 2 and 3.
    private void MergeWithAConflictIn(string path)
    {
        _repository.Write(path, "base\n");
        _repository.CommitAll("base");
        _repository.Git("checkout", "-q", "-b", "theirs");
        _repository.Write(path, "theirs\n");
        _repository.CommitAll("theirs");
        _repository.Git("checkout", "-q", "-");
        _repository.Write(path, "ours\n");
        _repository.CommitAll("ours");
        Assert.ThrowsAny<Exception>(() => _repository.Git("merge", "-q", "theirs"));
    }
}
