using Repro.Core.Capture.Data;
using Repro.Core.FileSystem;

namespace Repro.Core.Tests.Capture.Data;

/// <summary>
/// The copy-on-write path of the object store, on a file system that shares extents. CI's disks do not (ext4), so
/// these run where <c>REPRO_TEST_REFLINK_DIR</c> names a folder on Btrfs, XFS or bcachefs (for example a loop-mounted
/// <c>mkfs.xfs -m reflink=1</c> image), and are skipped elsewhere.
/// </summary>
public sealed class ReflinkTests : IDisposable
{
    private readonly string? _root;

    public ReflinkTests()
    {
        if (System.Environment.GetEnvironmentVariable("REPRO_TEST_REFLINK_DIR") is { Length: > 0 } parent)
        {
            _root = Path.Combine(parent, "repro-reflink-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_root);
        }
    }

    public void Dispose()
    {
        if (_root is not null && Directory.Exists(_root))
        {
            foreach (var file in Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories))
            {
                DataTestDirectory.Chmod(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            Directory.Delete(_root, recursive: true);
        }
    }

    [ReflinkFact]
    public void Put_UntrustedStatus_ClonesThenChecksTheClone()
    {
        var (file, sha256) = Write("model.bin", 3 << 20);
        var store = new ObjectStore(Path.Combine(_root!, "store"));

        Assert.Equal(PutOutcome.Cloned, store.Put(file, sha256, hashedAs: null));

        Assert.Equal(sha256, DataTestDirectory.ReferenceSha256(store.PathOf(sha256)!));
    }

    [ReflinkFact]
    public void Put_TrustedStatus_ClonesWithoutReading()
    {
        var (file, sha256) = Write("model.bin", 3 << 20);
        var store = new ObjectStore(Path.Combine(_root!, "store"));

        Assert.Equal(PutOutcome.Cloned, store.Put(file, sha256, FileStatus.Of(file, followLinks: true)));

        File.WriteAllBytes(file, new byte[10]);
        Assert.Equal(sha256, DataTestDirectory.ReferenceSha256(store.PathOf(sha256)!));
    }

    [ReflinkFact]
    public void CopyOut_ClonesAndChecksTheObject()
    {
        var (file, sha256) = Write("model.bin", 1 << 20);
        var store = new ObjectStore(Path.Combine(_root!, "store"));
        store.TryPut(file, sha256);
        var destination = Path.Combine(_root!, "restored.bin");

        Assert.True(store.CopyOut(sha256, destination));

        Assert.Equal(sha256, DataTestDirectory.ReferenceSha256(destination));
    }

    private (string Path, string Sha256) Write(string name, int size)
    {
        var content = new byte[size];
        new Random(11).NextBytes(content);
        var path = Path.Combine(_root!, name);
        File.WriteAllBytes(path, content);
        return (path, DataTestDirectory.ReferenceSha256(path));
    }
}

/// <summary>A fact that runs only where <c>REPRO_TEST_REFLINK_DIR</c> names a folder on a file system with reflinks.</summary>
public sealed class ReflinkFactAttribute : FactAttribute
{
    public ReflinkFactAttribute()
    {
        if (string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable("REPRO_TEST_REFLINK_DIR")))
        {
            Skip = "set REPRO_TEST_REFLINK_DIR to a folder on Btrfs, XFS (reflink=1) or bcachefs to test copy-on-write clones";
        }
    }
}
