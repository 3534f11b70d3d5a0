using Repro.Core.Capture.Data;
using Repro.Core.Errors;
using Repro.Core.FileSystem;

namespace Repro.Core.Tests.Capture.Data;

public sealed class ObjectStoreTests : IDisposable
{
    private readonly DataTestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void TryPut_NewContent_StoresItUnderItsDigestReadOnly()
    {
        var file = _directory.Write("model.pt", "weights");
        var sha256 = DataTestDirectory.ReferenceSha256(file);
        var store = new ObjectStore(_directory.Store);

        Assert.True(store.TryPut(file, sha256));

        var expected = Path.Combine(_directory.Store, "objects", "sha256", sha256[..2], sha256[2..]);
        Assert.Equal(expected, store.PathOf(sha256));
        Assert.Equal("weights", File.ReadAllText(expected));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(expected));
        }
    }

    [Fact]
    public void TryPut_SameContentTwice_KeepsOneObjectAndLeavesNoTemporaryFiles()
    {
        var first = _directory.Write("a.txt", "same");
        var second = _directory.Write("b.txt", "same");
        var sha256 = DataTestDirectory.ReferenceSha256(first);
        var store = new ObjectStore(_directory.Store);
        store.TryPut(first, sha256);
        var written = File.GetLastWriteTimeUtc(store.PathOf(sha256)!);

        Assert.True(store.TryPut(second, sha256));

        var objects = Directory.GetFiles(Path.Combine(_directory.Store, "objects"), "*", SearchOption.AllDirectories);
        Assert.Equal(store.PathOf(sha256), Assert.Single(objects));
        Assert.Equal(written, File.GetLastWriteTimeUtc(objects[0]));
    }

    [Fact]
    public async Task TryPut_ManyWritersOfTheSameContentAtOnce_AllSucceedWithOneCompleteObject()
    {
        var content = new byte[3 << 20];
        new Random(7).NextBytes(content);
        var file = _directory.Write("big.bin", content);
        var sha256 = DataTestDirectory.ReferenceSha256(file);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => new ObjectStore(_directory.Store).TryPut(file, sha256))));

        Assert.All(results, Assert.True);
        var objects = Directory.GetFiles(Path.Combine(_directory.Store, "objects"), "*", SearchOption.AllDirectories);
        Assert.Equal(sha256, DataTestDirectory.ReferenceSha256(Assert.Single(objects)));
    }

    [Fact]
    public void TryPut_FileOverTheLimit_StoresNothing()
    {
        var file = _directory.Write("big.bin", new byte[101]);
        var store = new ObjectStore(_directory.Store, maxFileBytes: 100);

        Assert.False(store.TryPut(file, DataTestDirectory.ReferenceSha256(file)));

        Assert.False(Directory.Exists(Path.Combine(_directory.Store, "objects")) && Directory.EnumerateFiles(Path.Combine(_directory.Store, "objects"), "*", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public void TryPut_ContentNoLongerMatchingTheDigest_StoresNothing()
    {
        var file = _directory.Write("changed.txt", "before");
        var sha256 = DataTestDirectory.ReferenceSha256(file);
        File.WriteAllText(file, "after!");
        var store = new ObjectStore(_directory.Store);

        Assert.False(store.TryPut(file, sha256));

        Assert.Null(store.PathOf(sha256));
        Assert.Empty(Directory.GetFiles(Path.Combine(_directory.Store, "objects"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void OpenRead_StoredObject_ReturnsItsContent()
    {
        var file = _directory.Write("metrics.json", "{\"loss\": 0.1}");
        var sha256 = DataTestDirectory.ReferenceSha256(file);
        var store = new ObjectStore(_directory.Store);
        store.TryPut(file, sha256);

        using var stream = store.OpenRead(sha256);
        using var reader = new StreamReader(stream!);

        Assert.Equal("{\"loss\": 0.1}", reader.ReadToEnd());
        Assert.True(store.Contains(sha256));
    }

    [Fact]
    public void OpenRead_UnknownDigest_ReturnsNull()
    {
        var store = new ObjectStore(_directory.Store);

        Assert.Null(store.OpenRead(new string('a', 64)));
        Assert.Null(store.PathOf(new string('a', 64)));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("ABCDEF0000000000000000000000000000000000000000000000000000000000")]
    [InlineData("../../../../../../../../../../../../../../../../../../../../etc/")]
    public void PathOf_NotALowerCaseSha256_IsRejected(string digest)
    {
        var store = new ObjectStore(_directory.Store);

        Assert.Throws<ArgumentException>(() => store.PathOf(digest));
    }

    [Fact]
    public void TryPut_Always_StoresACopyNeverAHardLink()
    {
        var file = _directory.Write("data.bin", "original content");
        var sha256 = DataTestDirectory.ReferenceSha256(file);
        var store = new ObjectStore(_directory.Store);

        Assert.True(store.TryPut(file, sha256, FileStatus.Of(file, followLinks: true)));

        var stored = store.PathOf(sha256)!;
        Assert.NotEqual(FileStatus.Of(file, followLinks: false)!.Value.Inode, FileStatus.Of(stored, followLinks: false)!.Value.Inode);
        File.WriteAllText(file, "rewritten in place");
        Assert.Equal("original content", File.ReadAllText(stored));
    }

    [Fact]
    public void Put_TrustedStatusThatStillHolds_CopiesWithoutReadingTheCopyAgain()
    {
        var content = new byte[(2 << 20) + 5];
        new Random(3).NextBytes(content);
        var file = _directory.Write("model.bin", content);
        var sha256 = DataTestDirectory.ReferenceSha256(file);
        var status = FileStatus.Of(file, followLinks: true);
        var store = new ObjectStore(_directory.Store);

        var outcome = store.Put(file, sha256, status);

        Assert.True(outcome is PutOutcome.Copied or PutOutcome.Cloned, outcome.ToString());
        Assert.Equal(sha256, DataTestDirectory.ReferenceSha256(store.PathOf(sha256)!));
    }

    [Fact]
    public void Put_TrustedStatusThatNoLongerHolds_ChecksTheContentAndStoresNothingWrong()
    {
        var file = _directory.Write("data.csv", "a,b\n1,2\n");
        var sha256 = DataTestDirectory.ReferenceSha256(file);
        var status = FileStatus.Of(file, followLinks: true);
        File.WriteAllText(file, "a,b\n3,4\n");
        var store = new ObjectStore(_directory.Store);

        Assert.Equal(PutOutcome.Changed, store.Put(file, sha256, status));

        Assert.Null(store.PathOf(sha256));
    }

    [Fact]
    public void PutContent_NewFile_StoresACopyNamedByTheDigestOfItsBytesReadOnlyAndLeavesNoTemporary()
    {
        var content = new byte[(2 << 20) + 11];
        new Random(5).NextBytes(content);
        var file = _directory.Write("out/model.bin", content);
        var store = new ObjectStore(_directory.Store);

        var put = PutContent(store, file);

        var sha256 = DataTestDirectory.ReferenceSha256(file);
        Assert.True(put.Outcome is PutOutcome.Copied or PutOutcome.Cloned, put.Outcome.ToString());
        Assert.Equal((sha256, (long)content.Length), (put.Sha256, put.Size));
        var stored = store.PathOf(sha256)!;
        Assert.Equal(sha256, DataTestDirectory.ReferenceSha256(stored));
        Assert.Equal(stored, Assert.Single(Directory.GetFiles(store.Root, "*", SearchOption.AllDirectories)));
        Assert.NotEqual(FileStatus.Of(file, followLinks: false)!.Value.Inode, FileStatus.Of(stored, followLinks: false)!.Value.Inode);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(stored));
        }
    }

    [Fact]
    public void PutContent_ContentAlreadyStored_GivesItsDigestAndKeepsTheObjectUntouched()
    {
        var first = _directory.Write("a.txt", "same");
        var second = _directory.Write("b.txt", "same");
        var store = new ObjectStore(_directory.Store);
        var sha256 = PutContent(store, first).Sha256!;
        var written = File.GetLastWriteTimeUtc(store.PathOf(sha256)!);

        var put = PutContent(store, second);

        Assert.Equal((PutOutcome.AlreadyStored, sha256), (put.Outcome, put.Sha256));
        Assert.Equal(store.PathOf(sha256), Assert.Single(Directory.GetFiles(store.Root, "*", SearchOption.AllDirectories)));
        Assert.Equal(written, File.GetLastWriteTimeUtc(store.PathOf(sha256)!));
    }

    [Fact]
    public void PutContent_FileOverTheLimit_StoresNothingAndGivesNoDigest()
    {
        var file = _directory.Write("large.bin", new byte[64]);
        var store = new ObjectStore(_directory.Store, maxFileBytes: 32);

        var put = PutContent(store, file);

        Assert.Equal((PutOutcome.TooLarge, null), (put.Outcome, put.Sha256));
        Assert.False(Directory.Exists(store.Root) && Directory.EnumerateFiles(store.Root, "*", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public void PutContent_FileRewrittenWhileItsCopyIsHashed_RecordsAndStoresTheCopy()
    {
        var original = new byte[(3 << 20) + 1];
        new Random(9).NextBytes(original);
        var file = _directory.Write("out/model.bin", original);
        var originalSha256 = DataTestDirectory.ReferenceSha256(file);
        var store = new ObjectStore(_directory.Store);
        var rewritten = false;

        using var input = NativeFiles.OpenRead(file);
        var put = store.PutContent(input, file, _ =>
        {
            if (!rewritten)
            {
                // After the copy, before its hash is done: the object and the digest must still agree.
                File.WriteAllText(file, "rewritten by another program");
                rewritten = true;
            }
        }, CancellationToken.None);

        Assert.True(rewritten);
        Assert.Equal(originalSha256, put.Sha256);
        Assert.Equal(originalSha256, DataTestDirectory.ReferenceSha256(store.PathOf(originalSha256)!));
    }

    private static ContentPut PutContent(ObjectStore store, string file)
    {
        using var input = NativeFiles.OpenRead(file);
        return store.PutContent(input, file, progress: null, CancellationToken.None);
    }

    [Fact]
    public void CopyOut_IntactObject_WritesItsContent()
    {
        var file = _directory.Write("out.txt", "result");
        var sha256 = DataTestDirectory.ReferenceSha256(file);
        var store = new ObjectStore(_directory.Store);
        store.TryPut(file, sha256);
        var destination = Path.Combine(_directory.Root, "restored.txt");

        store.CopyOut(sha256, destination);

        Assert.Equal("result", File.ReadAllText(destination));
    }

    [Fact]
    public void CopyOut_DamagedObject_IsReportedAndWritesNothing()
    {
        var file = _directory.Write("out.txt", "result");
        var sha256 = DataTestDirectory.ReferenceSha256(file);
        var store = new ObjectStore(_directory.Store);
        store.TryPut(file, sha256);
        Damage(store.PathOf(sha256)!);
        var destination = Path.Combine(_directory.Root, "restored.txt");

        var error = Assert.Throws<StoreException>(() => store.CopyOut(sha256, destination));

        Assert.Contains("damaged", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(destination));
        Assert.Throws<StoreException>(() => store.CheckIntact(sha256));
    }

    [Fact]
    public async Task ReceiveAsync_ContentWithTheRightDigest_IsStoredReadOnly()
    {
        var store = new ObjectStore(_directory.Store);
        var content = "downloaded"u8.ToArray();
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));

        Assert.True(await store.ReceiveAsync(sha256, content.Length, "test", (stream, token) => stream.WriteAsync(content, token).AsTask(), CancellationToken.None));

        Assert.Equal("downloaded", File.ReadAllText(store.PathOf(sha256)!));
        store.CheckIntact(sha256);
    }

    [Fact]
    public async Task ReceiveAsync_ContentThatDoesNotHashToItsName_IsRefusedAndNothingIsStored()
    {
        var store = new ObjectStore(_directory.Store);
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("expected"u8));

        var error = await Assert.ThrowsAsync<StoreException>(() => store.ReceiveAsync(sha256, 8, "the remote", (stream, token) => stream.WriteAsync("mangled!"u8.ToArray(), token).AsTask(), CancellationToken.None));

        Assert.Contains("damaged", error.Message, StringComparison.Ordinal);
        Assert.Null(store.PathOf(sha256));
        Assert.Empty(Directory.GetFiles(Path.Combine(_directory.Store, "objects"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task ReceiveAsync_ContentOfTheWrongSize_IsRefused()
    {
        var store = new ObjectStore(_directory.Store);
        var content = "short"u8.ToArray();
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));

        await Assert.ThrowsAsync<StoreException>(() => store.ReceiveAsync(sha256, 99, "the remote", (stream, token) => stream.WriteAsync(content, token).AsTask(), CancellationToken.None));

        Assert.Null(store.PathOf(sha256));
    }

    private static void Damage(string path)
    {
        DataTestDirectory.Chmod(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var bytes = File.ReadAllBytes(path);
        bytes[0] ^= 0x20;
        File.WriteAllBytes(path, bytes);
    }
}
