using Repro.Core.FileSystem;

namespace Repro.Core.Tests.FileSystem;

public sealed class FileLockTests : IDisposable
{
    private readonly TempDirectory _temp = new("lock");

    public void Dispose() => _temp.Dispose();

    [UnixFact]
    public void Probe_WhileHeldAndAfterRelease_TellsALiveOwnerFromAGoneOne()
    {
        var path = _temp.Combine("run.lock");
        Assert.Equal(LockState.Missing, FileLock.Probe(path));

        var held = FileLock.TryAcquire(path);

        Assert.NotNull(held);
        Assert.Equal(LockState.Held, FileLock.Probe(path));
        Assert.Null(FileLock.TryAcquire(path));
        held.Dispose();
        Assert.Equal(LockState.Free, FileLock.Probe(path));
        using var again = FileLock.TryAcquire(path);
        Assert.NotNull(again);
    }

    [UnixFact]
    public void TryAcquire_HolderKilled_LeavesTheLockFree()
    {
        var path = _temp.Combine("run.lock");
        using var holder = ProcessRunner.Start("flock", ["--exclusive", "--no-fork", path, "sleep", "300"], _temp.Path);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (FileLock.Probe(path) != LockState.Held && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }

        Assert.Equal(LockState.Held, FileLock.Probe(path));
        holder.Kill(entireProcessTree: true);
        holder.WaitForExit();
        deadline = DateTime.UtcNow.AddSeconds(30);
        while (FileLock.Probe(path) == LockState.Held && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }

        Assert.Equal(LockState.Free, FileLock.Probe(path));
    }
}
