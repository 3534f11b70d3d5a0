using Repro.Core.Caching;

namespace Repro.Core.Tests.Caching;

public sealed class CacheLockTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string LockFile => Path.Combine(_temp.Path, "sub", "entry.lock");

    [Fact]
    public void TryAcquire_SharedHolders_AdmitEachOtherButNoExclusive()
    {
        using var first = CacheLock.TryAcquire(LockFile, CacheLockMode.Shared);
        using var second = CacheLock.TryAcquire(LockFile, CacheLockMode.Shared);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Null(CacheLock.TryAcquire(LockFile, CacheLockMode.Exclusive));
    }

    [Fact]
    public void TryAcquire_ExclusiveHolder_ExcludesEveryone()
    {
        using var held = CacheLock.TryAcquire(LockFile, CacheLockMode.Exclusive);

        Assert.NotNull(held);
        Assert.Null(CacheLock.TryAcquire(LockFile, CacheLockMode.Shared));
        Assert.Null(CacheLock.TryAcquire(LockFile, CacheLockMode.Exclusive));
    }

    [Fact]
    public async Task AcquireAsync_LockReleased_GetsItAndSaysItWaited()
    {
        var held = CacheLock.TryAcquire(LockFile, CacheLockMode.Exclusive)!;
        var waited = 0;

        // The first try fails before AcquireAsync first awaits, so the wait is reported by the time it returns.
        var waiting = CacheLock.AcquireAsync(LockFile, CacheLockMode.Exclusive, () => Interlocked.Increment(ref waited), CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        held.Dispose();
        using var acquired = await waiting;

        Assert.Equal(CacheLockMode.Exclusive, acquired.Mode);
        Assert.Equal(1, waited);
        Assert.True(File.Exists(LockFile));
    }

    [Fact]
    public async Task AcquireAsync_Cancelled_StopsWaiting()
    {
        using var held = CacheLock.TryAcquire(LockFile, CacheLockMode.Exclusive)!;
        using var cancellation = new CancellationTokenSource();

        var waiting = CacheLock.AcquireAsync(LockFile, CacheLockMode.Shared, cancellation.Cancel, cancellation.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    public void Dispose() => _temp.Dispose();
}
