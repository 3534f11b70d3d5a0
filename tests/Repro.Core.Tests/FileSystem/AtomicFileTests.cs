using Repro.Core.FileSystem;

namespace Repro.Core.Tests.FileSystem;

/// <summary>A reader sees the old content or the new, never a torn file, and no temporary file stays behind.</summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly TempDirectory _temp = new("atomic");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void WriteAllBytes_ExistingFile_HasTheNewContentAndNoTemporaryLeft()
    {
        var path = _temp.Combine("pipeline.json");
        File.WriteAllText(path, "old");

        AtomicFile.WriteAllBytes(path, "new\n"u8);

        Assert.Equal("new\n", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public void WriteAllBytes_WithAFlush_FlushGetsTheWholeNewContentBesideTheFileWhileTheOldOneStaysInPlace()
    {
        var path = _temp.Combine("pipeline.json");
        File.WriteAllText(path, "old");
        string? flushed = null;

        AtomicFile.WriteAllBytes(path, "new\n"u8, temporary =>
        {
            flushed = temporary;
            Assert.Equal("new\n", File.ReadAllText(temporary));
            Assert.Equal("old", File.ReadAllText(path));
        });

        Assert.Equal(_temp.Path, Path.GetDirectoryName(flushed));
        Assert.Equal("new\n", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public void WriteAllBytes_FlushThrows_TheFileKeepsItsOldContentAndNoTemporaryIsLeft()
    {
        var path = _temp.Combine("pipeline.json");
        File.WriteAllText(path, "old");

        Assert.Throws<IOException>(() => AtomicFile.WriteAllBytes(path, "new\n"u8, _ => throw new IOException("disk full")));

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_temp.Path));
    }
}
