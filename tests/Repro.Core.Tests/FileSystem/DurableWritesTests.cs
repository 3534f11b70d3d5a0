using Repro.Core.FileSystem;

namespace Repro.Core.Tests.FileSystem;

/// <summary>Writes made durable together: nothing under a final name before the commit, everything after it, no leftovers.</summary>
public sealed class DurableWritesTests : IDisposable
{
    private readonly TempDirectory _temp = new("durable");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Stage_BeforeCommit_NothingUnderTheFinalNameAndAnExistingFileKeepsItsContent()
    {
        var writes = new DurableWrites();
        var fresh = _temp.Combine("run.json");
        var existing = _temp.Combine("params.json");
        File.WriteAllText(existing, "old");

        writes.Stage(fresh, "{\"new\":1}"u8);
        writes.Stage(existing, "new"u8);

        Assert.False(File.Exists(fresh));
        Assert.Equal("old", File.ReadAllText(existing));
        Assert.True(writes.IsStaged(fresh));
        Assert.Equal(2, writes.Count);
    }

    [Fact]
    public void Commit_StagedAndWrittenFiles_EveryFileInPlaceWithItsContentAndNoTemporaryLeft()
    {
        var writes = new DurableWrites();
        var runs = Directory.CreateDirectory(_temp.Combine("runs", "a")).FullName;
        var outputs = Directory.CreateDirectory(_temp.Combine("out")).FullName;
        var restored = Path.Combine(outputs, "model.bin");
        File.WriteAllBytes(restored, [1, 2, 3]);
        writes.Stage(Path.Combine(runs, "run.json"), "first"u8);
        writes.Stage(Path.Combine(runs, "params.json"), "{}"u8);
        writes.Written(restored);
        writes.Stage(Path.Combine(runs, "run.json"), "second"u8);

        var calledWithFilesInPlace = false;
        writes.Commit(() => calledWithFilesInPlace = File.Exists(Path.Combine(runs, "run.json")));

        Assert.True(calledWithFilesInPlace);
        Assert.Equal("second", File.ReadAllText(Path.Combine(runs, "run.json")));
        Assert.Equal("{}", File.ReadAllText(Path.Combine(runs, "params.json")));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(restored));
        Assert.Equal(["params.json", "run.json"], Directory.GetFiles(runs).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(0, writes.Count);
        Assert.True(writes.FileSystemFlushes + writes.FileFlushes > 0);
    }

    [Fact]
    public void Commit_ManyFilesOnOneFileSystem_FlushesTheFileSystemTwiceInsteadOfEachFile()
    {
        var writes = new DurableWrites();
        for (var step = 0; step < 10; step++)
        {
            var folder = Directory.CreateDirectory(_temp.Combine("runs", $"s{step}")).FullName;
            writes.Stage(Path.Combine(folder, "run.json"), "{}"u8);
            writes.Stage(Path.Combine(folder, "params.json"), "{}"u8);
        }

        writes.Commit();

        // Where syncfs is missing: each of the 20 files, then the 10 folders and the one that holds them.
        var expected = NativeFiles.CanSyncFileSystem && NativeFiles.HasStatx ? (2, 0) : (0, 20 + 11);
        Assert.Equal(expected, (writes.FileSystemFlushes, writes.FileFlushes));
    }

    [Fact]
    public void MoveTo_ThenCommitTheOther_CommitsBothSetsAndLeavesTheFirstEmpty()
    {
        var step = new DurableWrites();
        var pipeline = new DurableWrites();
        step.Stage(_temp.Combine("a.json"), "a"u8);
        pipeline.Stage(_temp.Combine("b.json"), "b"u8);

        step.MoveTo(pipeline);
        step.Commit();

        Assert.False(File.Exists(_temp.Combine("a.json")));
        pipeline.Commit();
        Assert.Equal("a", File.ReadAllText(_temp.Combine("a.json")));
        Assert.Equal("b", File.ReadAllText(_temp.Combine("b.json")));
    }

    [Fact]
    public void Discard_StagedFiles_DeletesTheTemporariesAndWritesNothing()
    {
        var writes = new DurableWrites();
        writes.Stage(_temp.Combine("run.json"), "x"u8);

        writes.Discard();
        writes.Commit();

        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));
    }

    [Fact]
    public void Discard_FolderAlreadyRemoved_DoesNotThrow()
    {
        var folder = Directory.CreateDirectory(_temp.Combine("run")).FullName;
        var writes = new DurableWrites();
        writes.Stage(Path.Combine(folder, "run.json"), "x"u8);
        Directory.Delete(folder, recursive: true);

        writes.Discard();

        Assert.Equal(0, writes.Count);
    }

    [Fact]
    public void Commit_StagedFileWhoseTemporaryVanished_ThrowsAndLeavesNoTemporaryOfTheOthers()
    {
        var writes = new DurableWrites();
        writes.Stage(_temp.Combine("first.json"), "1"u8);
        writes.Stage(_temp.Combine("second.json"), "2"u8);
        foreach (var temporary in Directory.GetFiles(_temp.Path, ".first.json.*"))
        {
            File.Delete(temporary);
        }

        Assert.ThrowsAny<IOException>(() => writes.Commit());

        Assert.False(File.Exists(_temp.Combine("second.json")));
        Assert.Empty(Directory.GetFiles(_temp.Path, "*.tmp"));
    }
}
