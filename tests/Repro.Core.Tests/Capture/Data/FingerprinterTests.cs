using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Repro.Core.Capture.Data;
using Repro.Core.Errors;
using Repro.Core.FileSystem;
using Repro.Core.Runs;

namespace Repro.Core.Tests.Capture.Data;

public sealed class FingerprinterTests : IDisposable
{
    private readonly DataTestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task FingerprintInputsAsync_SingleFile_RecordsPathSizeAndSha256AsDigest()
    {
        var path = _directory.Write("data/train.csv", "x,y\n1,2\n");

        var record = Assert.Single(await Inputs("data/train.csv"));

        Assert.Equal(new DataRecord("data/train.csv", DataKind.File, DataOrigin.Inputs, Sha(path), record.Files), record);
        var file = Assert.Single(record.Files);
        Assert.Equal(new FileRecord("data/train.csv", 8, Sha(path)), file);
    }

    [Fact]
    public async Task FingerprintInputsAsync_DirectoryWithNestedAndUnusualNames_RecordsEveryFileSortedWithAggregateDigest()
    {
        _directory.Write("data/b.txt", "b");
        _directory.Write("data/a file with spaces.txt", "spaces");
        _directory.Write("data/sub/deeper/z.bin", new byte[] { 0, 1, 2 });
        _directory.Write("data/données/été 2024.csv", "unicode");
        _directory.Write("data/sub/empty.txt", string.Empty);
        Directory.CreateDirectory(Path.Combine(_directory.Project, "data/empty-folder"));

        var record = Assert.Single(await Inputs("data"));

        Assert.Equal(DataKind.Directory, record.Kind);
        Assert.Equal(
            ["data/a file with spaces.txt", "data/b.txt", "data/données/été 2024.csv", "data/sub/deeper/z.bin", "data/sub/empty.txt"],
            record.Files.Select(f => f.Path));
        Assert.All(record.Files, f => Assert.Equal(Sha(Path.Combine(_directory.Project, f.Path)), f.Sha256));
        Assert.All(record.Files, f => Assert.Equal(new FileInfo(Path.Combine(_directory.Project, f.Path)).Length, f.Size));
        Assert.Equal(IndependentDigest(record.Files), record.Digest);
    }

    [Fact]
    public async Task FingerprintInputsAsync_Directory_DigestEqualsTheShellPipelineInTheDocs()
    {
        _directory.Write("data/a.csv", "a");
        _directory.Write("data/sub/b c.txt", "b");
        _directory.Write("data/Z.txt", "z");
        const string Pipeline = """
            find data -type f -print0 | LC_ALL=C sort -z |
              while IFS= read -r -d '' f; do printf '%s\0%s\n' "$f" "$(sha256sum < "$f" | cut -c1-64)"; done |
              sha256sum
            """;

        var record = Assert.Single(await Inputs("data"));
        var shell = DataTestDirectory.Tool("bash", "-c", $"cd '{_directory.Project}' && {Pipeline}");

        Assert.Equal(shell?[..64] ?? IndependentDigest(record.Files), record.Digest);
    }

    [Fact]
    public async Task FingerprintInputsAsync_TwoRunsOverTheSameData_GiveTheSameDigest()
    {
        _directory.Write("data/a.txt", "a");
        _directory.Write("data/b/c.txt", "c");

        var first = Assert.Single(await Inputs("data"));
        var second = Assert.Single(await Inputs("data/"));

        Assert.Equal(first.Digest, second.Digest);
        Assert.Equal(first.Files, second.Files);
    }

    [Fact]
    public async Task FingerprintInputsAsync_GlobWithDoubleStar_SelectsMatchingFilesAtAnyDepth()
    {
        _directory.Write("data/a.csv", "a");
        _directory.Write("data/x/b.csv", "b");
        _directory.Write("data/x/y/c.csv", "c");
        _directory.Write("data/x/notes.txt", "not me");
        _directory.Write("other/d.csv", "not me either");

        var record = Assert.Single(await Inputs("data/**/*.csv"));

        Assert.Equal(DataKind.Glob, record.Kind);
        Assert.Equal(["data/a.csv", "data/x/b.csv", "data/x/y/c.csv"], record.Files.Select(f => f.Path));
        Assert.Equal(IndependentDigest(record.Files), record.Digest);
    }

    [Fact]
    public async Task FingerprintInputsAsync_GlobWithStarAndQuestionMark_StaysInItsFolderAndMatchesOneCharacter()
    {
        _directory.Write("shards/part-1.bin", "1");
        _directory.Write("shards/part-2.bin", "2");
        _directory.Write("shards/part-10.bin", "10");
        _directory.Write("shards/nested/part-3.bin", "3");

        var record = Assert.Single(await Inputs("shards/part-?.bin"));

        Assert.Equal(["shards/part-1.bin", "shards/part-2.bin"], record.Files.Select(f => f.Path));
    }

    [Fact]
    public async Task FingerprintInputsAsync_GlobMatchingNothing_ThrowsNamingIt()
    {
        _directory.Write("data/a.txt", "a");

        var error = await Assert.ThrowsAsync<InputException>(() => Inputs("data/*.parquet"));

        Assert.Equal("input 'data/*.parquet' matches no files", error.Message);
    }

    [Fact]
    public async Task FingerprintInputsAsync_SeveralMissingInputs_ThrowsNamingEveryOne()
    {
        _directory.Write("present.csv", "a");

        var error = await Assert.ThrowsAsync<InputException>(() => Inputs("present.csv", "absent.csv", "gone/*.csv"));

        Assert.Equal("input 'absent.csv' does not exist; input 'gone/*.csv' matches no files", error.Message);
    }

    [Theory]
    [InlineData("../outside.csv")]
    [InlineData("data/../../outside.csv")]
    [InlineData("/etc/hostname")]
    [InlineData("../*.csv")]
    public async Task FingerprintInputsAsync_DeclaredEntryOutsideTheProject_ThrowsBeforeReading(string spec)
    {
        var error = await Assert.ThrowsAsync<InputException>(() => Inputs(spec));

        Assert.Contains($"input '{spec}' is outside the project directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckDeclared_OutputEscapingTheProject_ThrowsWithoutTouchingTheDisk()
    {
        var error = Assert.Throws<InputException>(() =>
            Fingerprinter.CheckDeclared(_directory.Project, [DataSpec.Output("model.pt"), DataSpec.Output("../model.pt")]));

        Assert.StartsWith("output '../model.pt' is outside the project directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FingerprintInputsAsync_AbsolutePathInsideTheProject_IsRecordedRelative()
    {
        var path = _directory.Write("data/a.csv", "a");

        var record = Assert.Single(await Inputs(path));

        Assert.Equal("data/a.csv", Assert.Single(record.Files).Path);
    }

    [Fact]
    public async Task FingerprintInputsAsync_PathParameterOutsideTheProject_RecordsAbsolutePaths()
    {
        var outside = Path.Combine(_directory.Root, "shared", "dataset");
        Directory.CreateDirectory(Path.Combine(outside, "sub"));
        File.WriteAllText(Path.Combine(outside, "sub", "x.csv"), "x");

        var record = Assert.Single(await Fingerprint([DataSpec.Parameter("data_dir", outside)]));

        Assert.Equal(DataOrigin.Parameter("data_dir"), record.Origin);
        Assert.Equal(DataKind.Directory, record.Kind);
        Assert.Equal(outside + "/sub/x.csv", Assert.Single(record.Files).Path);
    }

    [Fact]
    public async Task FingerprintInputsAsync_PathParameterInsideTheProject_RecordsRelativePath()
    {
        var path = _directory.Write("conf/params.yaml", "lr: 0.1");

        var record = Assert.Single(await Fingerprint([DataSpec.Parameter("config", path)]));

        Assert.Equal(new FileRecord("conf/params.yaml", 7, Sha(path)), Assert.Single(record.Files));
    }

    [Fact]
    public async Task FingerprintInputsAsync_MissingPathParameter_ThrowsNamingTheParameter()
    {
        var error = await Assert.ThrowsAsync<InputException>(() => Fingerprint([DataSpec.Parameter("data", "/nonexistent/repro/x.csv")]));

        Assert.Equal("parameter data ('/nonexistent/repro/x.csv') does not exist", error.Message);
    }

    [Fact]
    public async Task FingerprintInputsAsync_LinkInsideTheProject_IsFollowedAndRecordedWithItsTarget()
    {
        var target = _directory.Write("store/real.csv", "real");
        File.CreateSymbolicLink(Path.Combine(_directory.Project, "data-link.csv"), "store/real.csv");
        Directory.CreateDirectory(Path.Combine(_directory.Project, "data"));
        Directory.CreateSymbolicLink(Path.Combine(_directory.Project, "data", "linked-dir"), "../store");

        var records = await Inputs("data-link.csv", "data");

        Assert.Equal(new FileRecord("data-link.csv", 4, Sha(target)) { LinkTarget = "store/real.csv" }, Assert.Single(records[0].Files));
        Assert.Equal(Sha(target), records[0].Digest);
        Assert.Equal(new FileRecord("data/linked-dir/real.csv", 4, Sha(target)), Assert.Single(records[1].Files));
    }

    [Fact]
    public async Task FingerprintInputsAsync_LinkLeavingTheProject_IsRecordedWithoutDigestAndNotFollowed()
    {
        var outside = Path.Combine(_directory.Root, "elsewhere.csv");
        File.WriteAllText(outside, "outside");
        _directory.Write("data/inside.csv", "inside");
        File.CreateSymbolicLink(Path.Combine(_directory.Project, "data", "escape.csv"), outside);
        File.CreateSymbolicLink(Path.Combine(_directory.Project, "top.csv"), outside);

        var records = await Inputs("data", "top.csv");

        var escape = records[0].Files.Single(f => f.Path == "data/escape.csv");
        Assert.Equal(new FileRecord("data/escape.csv", 0, null) { LinkTarget = outside }, escape);
        Assert.Equal(IndependentDigest(records[0].Files), records[0].Digest);
        Assert.Equal(DataKind.File, records[1].Kind);
        Assert.Equal(new FileRecord("top.csv", 0, null) { LinkTarget = outside }, Assert.Single(records[1].Files));
        Assert.Equal(IndependentDigest(records[1].Files), records[1].Digest);
    }

    [Fact]
    public async Task FingerprintInputsAsync_LinkLoopingBackToAnAncestor_IsRecordedAndNotFollowed()
    {
        _directory.Write("data/a.csv", "a");
        Directory.CreateSymbolicLink(Path.Combine(_directory.Project, "data", "loop"), "..");

        var record = Assert.Single(await Inputs("data"));

        Assert.Equal(["data/a.csv", "data/loop"], record.Files.Select(f => f.Path));
        Assert.Equal(new FileRecord("data/loop", 0, null) { LinkTarget = ".." }, record.Files[1]);
    }

    [Fact]
    public async Task FingerprintInputsAsync_DanglingLinkDeclared_ThrowsSayingWhereItPoints()
    {
        File.CreateSymbolicLink(Path.Combine(_directory.Project, "data.csv"), "missing.csv");

        var error = await Assert.ThrowsAsync<InputException>(() => Inputs("data.csv"));

        Assert.Equal("input 'data.csv' is a symbolic link to missing.csv, which does not exist", error.Message);
    }

    [Fact]
    public async Task FingerprintInputsAsync_FifoInADirectory_IsRefusedNamingIt()
    {
        _directory.Write("data/a.csv", "a");
        if (DataTestDirectory.Tool("mkfifo", Path.Combine(_directory.Project, "data", "pipe")) is null)
        {
            return;
        }

        var error = await Assert.ThrowsAsync<InputException>(() => Inputs("data"));

        Assert.Equal("input 'data': data/pipe is a FIFO; repro fingerprints regular files, directories and symbolic links only", error.Message);
    }

    [Fact]
    public async Task FingerprintInputsAsync_SocketDeclared_IsRefusedNamingIt()
    {
        if (!Socket.OSSupportsUnixDomainSockets)
        {
            return;
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(Path.Combine(_directory.Project, "server.sock")));

        var error = await Assert.ThrowsAsync<InputException>(() => Inputs("server.sock"));

        Assert.Equal("input 'server.sock': server.sock is a socket; repro fingerprints regular files, directories and symbolic links only", error.Message);
    }

    [Fact]
    public async Task FingerprintInputsAsync_UnreadableFileInADirectory_ThrowsNamingIt()
    {
        var path = _directory.Write("data/locked.csv", "secret");
        if (!DataTestDirectory.PermissionsEnforced)
        {
            return;
        }

        DataTestDirectory.Chmod(path, UnixFileMode.None);

        var error = await Assert.ThrowsAsync<InputException>(() => Inputs("data"));

        Assert.Equal("cannot read data/locked.csv: permission denied", error.Message);
    }

    [Fact]
    public async Task FingerprintOutputsAsync_SomeOutputsMissing_ListsThemAndFingerprintsTheRest()
    {
        _directory.Write("model.pt", "weights");

        var outputs = await new Fingerprinter().FingerprintOutputsAsync(
            _directory.Project,
            [DataSpec.Output("model.pt"), DataSpec.Output("metrics.json"), DataSpec.Output("plots/*.png")],
            CancellationToken.None);

        Assert.False(outputs.Complete);
        Assert.Equal(DataOrigin.Outputs, Assert.Single(outputs.Records).Origin);
        Assert.Equal(["metrics.json", "plots/*.png"], outputs.Missing.Select(m => m.Spec.Spec));
        Assert.Equal("output 'metrics.json' does not exist; output 'plots/*.png' matches no files", outputs.MissingMessage);
    }

    [Fact]
    public async Task FingerprintOutputsAsync_WithObjectStore_StoresFilesUpToTheLimit()
    {
        var small = _directory.Write("out/small.txt", "small");
        _directory.Write("out/copy.txt", "small");
        _directory.Write("out/large.bin", new byte[64]);
        var objects = new ObjectStore(_directory.Store, maxFileBytes: 32);

        var outputs = await new Fingerprinter(new FingerprintOptions { ObjectStore = objects })
            .FingerprintOutputsAsync(_directory.Project, [DataSpec.Output("out")], CancellationToken.None);

        var files = Assert.Single(outputs.Records).Files;
        Assert.Equal([true, false, true], files.Select(f => f.Stored));
        Assert.Equal("small", File.ReadAllText(objects.PathOf(Sha(small))!));
        Assert.Null(objects.PathOf(files[1].Sha256!));
    }

    [Fact]
    public async Task FingerprintOutputsAsync_JustWrittenOutputsToKeep_AreHashedFromTheirStoredCopiesNotReadForAHash()
    {
        var model = _directory.Write("out/model.bin", new byte[(1 << 20) + 3]);
        var metrics = _directory.Write("out/metrics.json", "{\"loss\": 0.1}");
        var objects = new ObjectStore(_directory.Store);
        var (fingerprinter, opens, reads) = CountingReads(new FingerprintOptions { ObjectStore = objects });

        var outputs = await fingerprinter.FingerprintOutputsAsync(_directory.Project, [DataSpec.Output("out")], CancellationToken.None);

        var files = Assert.Single(outputs.Records).Files;
        Assert.Equal([Sha(metrics), Sha(model)], files.Select(f => f.Sha256));
        Assert.All(files, f => Assert.True(f.Stored));
        Assert.All(files, f => Assert.Equal(f.Sha256, DataTestDirectory.ReferenceSha256(objects.PathOf(f.Sha256!)!)));
        Assert.Equal((2, 0), (opens(), reads()));
    }

    [Fact]
    public async Task FingerprintOutputsAsync_OutputDeclaredStoreFalse_IsHashedAndNotStored()
    {
        var kept = _directory.Write("out/kept.txt", "kept");
        var declined = _directory.Write("big/declined.bin", "declined");
        var objects = new ObjectStore(_directory.Store);
        var (fingerprinter, _, reads) = CountingReads(new FingerprintOptions { ObjectStore = objects });

        var outputs = await fingerprinter.FingerprintOutputsAsync(
            _directory.Project, [DataSpec.Output("out"), DataSpec.Output("big") with { Store = false }], CancellationToken.None);

        Assert.Equal([Sha(kept), Sha(declined)], outputs.Records.Select(r => r.Files[0].Sha256));
        Assert.Equal([true, false], outputs.Records.Select(r => r.Files[0].Stored));
        Assert.Null(objects.PathOf(Sha(declined)));
        Assert.True(reads() > 0);
    }

    [Fact]
    public async Task FingerprintOutputsAsync_ExpectedDigestOfAStoredObject_IsConfirmedByHashingAndNothingIsCopied()
    {
        var model = _directory.Write("out/model.bin", new byte[(1 << 20) + 3]);
        var objects = new ObjectStore(_directory.Store);
        Assert.True(objects.TryPut(model, Sha(model)));
        var stored = File.GetLastWriteTimeUtc(objects.PathOf(Sha(model))!);
        var (fingerprinter, _, reads) = CountingReads(new FingerprintOptions
        {
            ObjectStore = objects,
            ExpectedOutputs = new Dictionary<string, string> { ["out/model.bin"] = Sha(model) },
        });

        var outputs = await fingerprinter.FingerprintOutputsAsync(_directory.Project, [DataSpec.Output("out")], CancellationToken.None);

        var file = Assert.Single(Assert.Single(outputs.Records).Files);
        Assert.Equal((Sha(model), true), (file.Sha256, file.Stored));
        Assert.Equal((1, 0), (fingerprinter.ConfirmedFromExpectation, fingerprinter.CopiedByContent));
        Assert.True(reads() > 0);
        Assert.Equal(stored, File.GetLastWriteTimeUtc(objects.PathOf(Sha(model))!));
        Assert.Empty(Directory.GetFiles(objects.Root, ".tmp-*"));
    }

    [Fact]
    public async Task FingerprintOutputsAsync_ChangedOutputWithAnExpectedDigest_FallsBackAndStoresTheNewContent()
    {
        var path = _directory.Write("out/result.txt", "recorded");
        var objects = new ObjectStore(_directory.Store);
        Assert.True(objects.TryPut(path, Sha(path)));
        var recorded = Sha(path);
        _directory.Write("out/result.txt", "changed!");
        var fingerprinter = new Fingerprinter(new FingerprintOptions
        {
            ObjectStore = objects,
            ExpectedOutputs = new Dictionary<string, string> { ["out/result.txt"] = recorded },
        });

        var outputs = await fingerprinter.FingerprintOutputsAsync(_directory.Project, [DataSpec.Output("out")], CancellationToken.None);

        var file = Assert.Single(Assert.Single(outputs.Records).Files);
        Assert.Equal((Sha(path), true), (file.Sha256, file.Stored));
        Assert.NotEqual(recorded, file.Sha256);
        Assert.Equal((0, 1), (fingerprinter.ConfirmedFromExpectation, fingerprinter.CopiedByContent));
        Assert.Equal(Sha(path), DataTestDirectory.ReferenceSha256(objects.PathOf(Sha(path))!));
    }

    [Theory]
    [InlineData("missing object")]
    [InlineData("other size")]
    public async Task FingerprintOutputsAsync_ExpectationWhoseObjectIsMissingOrOfAnotherSize_IsNotHashedFirstAndTheOutputIsCopied(string expectation)
    {
        var path = _directory.Write("out/result.txt", "the output");
        var objects = new ObjectStore(_directory.Store);
        var other = _directory.Write("elsewhere/other.txt", "a longer recorded output");
        var expected = expectation == "missing object" ? Sha(path) : Sha(other);
        if (expectation == "other size")
        {
            Assert.True(objects.TryPut(other, Sha(other)));
        }

        var (fingerprinter, _, reads) = CountingReads(new FingerprintOptions
        {
            ObjectStore = objects,
            ExpectedOutputs = new Dictionary<string, string> { ["out/result.txt"] = expected },
        });

        var outputs = await fingerprinter.FingerprintOutputsAsync(_directory.Project, [DataSpec.Output("out")], CancellationToken.None);

        var file = Assert.Single(Assert.Single(outputs.Records).Files);
        Assert.Equal((Sha(path), true), (file.Sha256, file.Stored));
        Assert.Equal((0, 1, 0), (fingerprinter.ConfirmedFromExpectation, fingerprinter.CopiedByContent, reads()));
        Assert.Equal(Sha(path), DataTestDirectory.ReferenceSha256(objects.PathOf(Sha(path))!));
    }

    [Fact]
    public async Task FingerprintOutputsAsync_OutputRewrittenWithTheSameContent_IsConfirmedFromTheCachesLastDigestWithoutACopy()
    {
        var path = _directory.Write("out/result.bin", new byte[70_000]);
        var objects = new ObjectStore(_directory.Store);
        using (var cache = HashCache.Open(_directory.Store))
        {
            var first = new Fingerprinter(new FingerprintOptions { Cache = cache, ObjectStore = objects });
            await first.FingerprintOutputsAsync(_directory.Project, [DataSpec.Output("out")], CancellationToken.None);
            Assert.Equal(1, first.CopiedByContent);
        }

        // A deterministic re-run writes the same bytes again: a new status the cache cannot vouch for, the same digest.
        File.Delete(path);
        _directory.Write("out/result.bin", new byte[70_000]);
        using (var cache = HashCache.Open(_directory.Store))
        {
            var again = new Fingerprinter(new FingerprintOptions { Cache = cache, ObjectStore = objects });
            var outputs = await again.FingerprintOutputsAsync(_directory.Project, [DataSpec.Output("out")], CancellationToken.None);

            Assert.Equal(Sha(path), Assert.Single(Assert.Single(outputs.Records).Files).Sha256);
            Assert.Equal((1, 0), (again.ConfirmedFromExpectation, again.CopiedByContent));
        }
    }

    [Fact]
    public async Task FingerprintOutputsAsync_WrongGuessFromTheCache_FallsBackAndStoresTheRightDigest()
    {
        var path = _directory.Write("out/result.bin", new byte[70_000]);
        var first = Sha(path);
        var objects = new ObjectStore(_directory.Store);
        using (var cache = HashCache.Open(_directory.Store))
        {
            await new Fingerprinter(new FingerprintOptions { Cache = cache, ObjectStore = objects })
                .FingerprintOutputsAsync(_directory.Project, [DataSpec.Output("out")], CancellationToken.None);
        }

        var changed = new byte[70_000];
        changed[12_345] = 1;
        _directory.Write("out/result.bin", changed);
        using (var cache = HashCache.Open(_directory.Store))
        {
            var again = new Fingerprinter(new FingerprintOptions { Cache = cache, ObjectStore = objects });
            var outputs = await again.FingerprintOutputsAsync(_directory.Project, [DataSpec.Output("out")], CancellationToken.None);

            var file = Assert.Single(Assert.Single(outputs.Records).Files);
            Assert.Equal((Sha(path), true), (file.Sha256, file.Stored));
            Assert.NotEqual(first, file.Sha256);
            Assert.Equal((0, 1), (again.ConfirmedFromExpectation, again.CopiedByContent));
            Assert.Equal(Sha(path), DataTestDirectory.ReferenceSha256(objects.PathOf(Sha(path))!));
        }
    }

    [Fact]
    public async Task FingerprintInputsAsync_WithObjectStore_StoresInputsInsideTheProjectExceptThoseDeclaredStoreFalse()
    {
        var kept = _directory.Write("data/a.csv", "kept input");
        var declined = _directory.Write("ref/huge.bin", "huge reference");
        var parameter = _directory.Write("conf/p.yaml", "a path parameter inside the project");
        var outside = Path.Combine(_directory.Root, "elsewhere.txt");
        File.WriteAllText(outside, "outside the project");
        var objects = new ObjectStore(_directory.Store);

        var inputs = await new Fingerprinter(new FingerprintOptions { ObjectStore = objects }).FingerprintInputsAsync(
            _directory.Project,
            [DataSpec.Input("data/a.csv"), DataSpec.Input("ref") with { Store = false }, DataSpec.Parameter("p", parameter), DataSpec.Parameter("q", outside)],
            CancellationToken.None);

        Assert.Equal([true, false, true, false], inputs.Select(record => record.Files[0].Stored));
        Assert.Equal([null, false, null, null], inputs.Select(record => record.Store));
        Assert.Equal("a path parameter inside the project", File.ReadAllText(objects.PathOf(Sha(parameter))!));
        Assert.Equal("kept input", File.ReadAllText(objects.PathOf(Sha(kept))!));
        Assert.Null(objects.PathOf(Sha(declined)));
        Assert.Null(objects.PathOf(Sha(outside)));
    }

    [Fact]
    public async Task FingerprintInputsAsync_JustWrittenInputsToKeep_AreHashedFromTheirStoredCopiesNotReadForAHash()
    {
        var table = _directory.Write("data/table.bin", new byte[(1 << 20) + 5]);
        var labels = _directory.Write("data/labels.csv", "id,label\n1,cat\n");
        var objects = new ObjectStore(_directory.Store);
        var (fingerprinter, opens, reads) = CountingReads(new FingerprintOptions { ObjectStore = objects });

        var inputs = await fingerprinter.FingerprintInputsAsync(_directory.Project, [DataSpec.Input("data")], CancellationToken.None);

        var files = Assert.Single(inputs).Files;
        Assert.Equal([Sha(labels), Sha(table)], files.Select(f => f.Sha256));
        Assert.All(files, f => Assert.True(f.Stored));
        Assert.All(files, f => Assert.Equal(f.Sha256, DataTestDirectory.ReferenceSha256(objects.PathOf(f.Sha256!)!)));
        Assert.Equal((2, 0), (opens(), reads()));
        Assert.Equal(2, fingerprinter.CopiedByContent);
    }

    [Fact]
    public async Task FingerprintInputsAsync_InputsOlderThanTheRacyMargin_AreHashedInPlaceNotCopiedByContent()
    {
        var table = _directory.Write("data/table.bin", new byte[(1 << 20) + 5]);

        // Its change time cannot be set back: it has to age.
        await Task.Delay(HashCache.DefaultRacyMargin + TimeSpan.FromMilliseconds(200));
        var objects = new ObjectStore(_directory.Store);
        var (fingerprinter, opens, reads) = CountingReads(new FingerprintOptions { ObjectStore = objects });

        var inputs = await fingerprinter.FingerprintInputsAsync(_directory.Project, [DataSpec.Input("data")], CancellationToken.None);

        var file = Assert.Single(Assert.Single(inputs).Files);
        Assert.True(file.Stored);
        Assert.Equal(Sha(table), DataTestDirectory.ReferenceSha256(objects.PathOf(file.Sha256!)!));
        Assert.Equal(0, fingerprinter.CopiedByContent);
        Assert.Equal(1, opens());
        Assert.True(reads() > 0);
    }

    [Fact]
    public async Task FingerprintInputsAsync_UnchangedFilesWithCache_ReadsNoContentsAndGivesTheSameRecords()
    {
        _directory.Write("data/a.csv", "a");
        _directory.Write("data/b.csv", "bb");
        using var cache = TrustingCache();
        var (fingerprinter, opens) = Counting(new FingerprintOptions { Cache = cache });

        var first = await fingerprinter.FingerprintInputsAsync(_directory.Project, [DataSpec.Input("data")], CancellationToken.None);
        var opensWhenCold = opens();
        var second = await fingerprinter.FingerprintInputsAsync(_directory.Project, [DataSpec.Input("data")], CancellationToken.None);

        Assert.Equal(2, opensWhenCold);
        Assert.Equal(2, opens());
        Assert.Equal(first[0].Digest, second[0].Digest);
        Assert.Equal(first[0].Files, second[0].Files);
    }

    [Fact]
    public async Task FingerprintInputsAsync_Rehash_ReadsEveryFileDespiteTheCache()
    {
        _directory.Write("data/a.csv", "a");
        using var cache = TrustingCache();
        await new Fingerprinter(new FingerprintOptions { Cache = cache }).FingerprintInputsAsync(_directory.Project, [DataSpec.Input("data")], CancellationToken.None);
        var (rehash, opens) = Counting(new FingerprintOptions { Cache = cache, Rehash = true });

        await rehash.FingerprintInputsAsync(_directory.Project, [DataSpec.Input("data")], CancellationToken.None);

        Assert.Equal(1, opens());
    }

    [Fact]
    public async Task FingerprintInputsAsync_SameSizeRewriteRestoringModificationTime_IsHashedAgain()
    {
        var path = _directory.Write("data.csv", "aaaa");
        var fixedTime = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, fixedTime);
        using var cache = TrustingCache();
        var before = Assert.Single(await Inputs(cache, "data.csv"));
        var cached = FileStatus.Of(path, followLinks: true)!.Value;

        // Rewrite until the change time moves: within one kernel clock tick it cannot, and that racy case is
        // what the racy margin guards (see the HashCache tests).
        do
        {
            File.WriteAllText(path, "bbbb");
            File.SetLastWriteTimeUtc(path, fixedTime);
        }
        while (FileStatus.Of(path, followLinks: true)!.Value.ChangedNs == cached.ChangedNs);

        var after = Assert.Single(await Inputs(cache, "data.csv"));

        Assert.Equal(cached.ModifiedNs, FileStatus.Of(path, followLinks: true)!.Value.ModifiedNs);
        Assert.Equal(Sha(path), after.Digest);
        Assert.NotEqual(before.Digest, after.Digest);
    }

    [Fact]
    public async Task FingerprintInputsAsync_FileReplacedByRename_IsHashedAgain()
    {
        var path = _directory.Write("data.csv", "aaaa");
        var fixedTime = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, fixedTime);
        using var cache = TrustingCache();
        var before = Assert.Single(await Inputs(cache, "data.csv"));
        var replacement = _directory.Write("data.csv.new", "bbbb");
        File.SetLastWriteTimeUtc(replacement, fixedTime);

        File.Move(replacement, path, overwrite: true);
        var after = Assert.Single(await Inputs(cache, "data.csv"));

        Assert.Equal(Sha(path), after.Digest);
        Assert.NotEqual(before.Digest, after.Digest);
    }

    [Fact]
    public async Task FingerprintInputsAsync_FreshlyWrittenFile_IsNotTrustedFromTheCache()
    {
        _directory.Write("fresh.csv", "fresh");
        using var cache = HashCache.Open(_directory.Store);
        var (fingerprinter, opens) = Counting(new FingerprintOptions { Cache = cache });

        await fingerprinter.FingerprintInputsAsync(_directory.Project, [DataSpec.Input("fresh.csv")], CancellationToken.None);
        await fingerprinter.FingerprintInputsAsync(_directory.Project, [DataSpec.Input("fresh.csv")], CancellationToken.None);

        Assert.Equal(2, opens());
    }

    [Fact]
    public async Task FingerprintInputsAsync_ConcurrentFingerprintersSharingTheStore_AgreeAndFillTheCache()
    {
        for (var i = 0; i < 30; i++)
        {
            _directory.Write($"data/{i}.bin", new string((char)('a' + (i % 26)), i * 100));
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            using var cache = TrustingCache();
            var fingerprinter = new Fingerprinter(new FingerprintOptions { Cache = cache });
            var first = await fingerprinter.FingerprintInputsAsync(_directory.Project, [DataSpec.Input("data")], CancellationToken.None);
            var second = await fingerprinter.FingerprintInputsAsync(_directory.Project, [DataSpec.Input("data")], CancellationToken.None);
            Assert.Equal(first[0].Digest, second[0].Digest);
            return first[0].Digest;
        })));

        Assert.Single(results.Distinct());
        using var check = HashCache.Open(_directory.Store);
        var path = Path.Combine(_directory.Project, "data", "7.bin");
        Assert.Equal(Sha(path), check.TryGet(path, FileStatus.Of(path, followLinks: true)!.Value));
    }

    [Fact]
    public async Task FingerprintOutputsAsync_VouchedFileWithTheSameStatus_TakesTheVouchedDigestWithoutReadingIt()
    {
        var path = _directory.Write("out/model.bin", "model");
        var fingerprinter = new Fingerprinter();
        // A digest the content does not have: getting it back proves the file was not read.
        var vouched = new string('a', 64);
        fingerprinter.Vouch(path, FileStatus.Of(path, followLinks: false)!.Value, vouched);

        var outputs = await fingerprinter.FingerprintOutputsAsync(_directory.Project, [DataSpec.Output("out")], CancellationToken.None);

        Assert.Equal(vouched, Assert.Single(Assert.Single(outputs.Records).Files).Sha256);
    }

    [Fact]
    public async Task FingerprintOutputsAsync_VouchedFileChangedSince_IsReadAgain()
    {
        var path = _directory.Write("out/model.bin", "model");
        var fingerprinter = new Fingerprinter();
        fingerprinter.Vouch(path, FileStatus.Of(path, followLinks: false)!.Value, new string('a', 64));
        _directory.Write("out/model.bin", "changed model");

        var outputs = await fingerprinter.FingerprintOutputsAsync(_directory.Project, [DataSpec.Output("out")], CancellationToken.None);

        Assert.Equal(Sha(path), Assert.Single(Assert.Single(outputs.Records).Files).Sha256);
    }

    private static string Sha(string path) => DataTestDirectory.ReferenceSha256(path);

    /// <summary>The directory digest computed apart from repro: the lines written to a file and hashed by sha256sum.</summary>
    private string IndependentDigest(IEnumerable<FileRecord> files)
    {
        var lines = new StringBuilder();
        foreach (var file in files.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            lines.Append(file.Path).Append('\0').Append(file.Sha256 ?? "link:" + file.LinkTarget).Append('\n');
        }

        var listing = Path.Combine(_directory.Root, $"listing-{Guid.NewGuid():N}.txt");
        File.WriteAllBytes(listing, Encoding.UTF8.GetBytes(lines.ToString()));
        return DataTestDirectory.ReferenceSha256(listing);
    }

    private Task<IReadOnlyList<DataRecord>> Inputs(params string[] specs) =>
        Fingerprint(specs.Select(DataSpec.Input).ToList());

    private Task<IReadOnlyList<DataRecord>> Inputs(HashCache cache, string spec) =>
        new Fingerprinter(new FingerprintOptions { Cache = cache }).FingerprintInputsAsync(_directory.Project, [DataSpec.Input(spec)], CancellationToken.None);

    private Task<IReadOnlyList<DataRecord>> Fingerprint(IReadOnlyList<DataSpec> specs) =>
        new Fingerprinter().FingerprintInputsAsync(_directory.Project, specs, CancellationToken.None);

    /// <summary>
    /// A cache that trusts files written a moment ago. Production waits two seconds (the racy margin); tests that are
    /// about other key fields must not sleep.
    /// </summary>
    private HashCache TrustingCache()
    {
        var cache = HashCache.Open(_directory.Store);
        cache.RacyMargin = TimeSpan.FromDays(-1);
        return cache;
    }

    private static (Fingerprinter Fingerprinter, Func<int> Opens, Func<int> Reads) CountingReads(FingerprintOptions options)
    {
        var opens = 0;
        var reads = 0;
        var engine = new HashEngineOptions
        {
            Open = path =>
            {
                Interlocked.Increment(ref opens);
                return HashEngineOptions.OpenForHashing(path);
            },
            Read = (handle, buffer, offset) =>
            {
                Interlocked.Increment(ref reads);
                return RandomAccess.Read(handle, buffer, offset);
            },
        };
        return (new Fingerprinter(options, engine), () => Volatile.Read(ref opens), () => Volatile.Read(ref reads));
    }

    private static (Fingerprinter Fingerprinter, Func<int> Opens) Counting(FingerprintOptions options)
    {
        var opens = 0;
        var engine = new HashEngineOptions
        {
            Open = path =>
            {
                Interlocked.Increment(ref opens);
                return HashEngineOptions.OpenForHashing(path);
            },
        };
        return (new Fingerprinter(options, engine), () => Volatile.Read(ref opens));
    }
}
