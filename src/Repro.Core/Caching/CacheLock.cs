using Repro.Core.Errors;

namespace Repro.Core.Caching;

/// <summary>Whether a <see cref="CacheLock"/> admits others.</summary>
public enum CacheLockMode
{
    /// <summary>Any number of shared holders at once, and no exclusive holder: the entry is in use and must not change.</summary>
    Shared,

    /// <summary>One holder and nobody else: the entry is being created, replaced or removed.</summary>
    Exclusive,
}

/// <summary>
/// An advisory lock on a lock file in the cache, held by this process until disposed and released by the operating
/// system if the process dies. It excludes other processes and other holders in this process alike.
/// </summary>
/// <remarks>
/// .NET takes <c>flock</c> on Unix when a file is opened with <see cref="FileShare.None"/> (exclusive) or, for a read-only
/// open, <see cref="FileShare.Read"/> (shared), and the sharing mode itself on Windows. The lock is per open file, so two
/// holders in one process exclude each other as two processes do. Lock files are never deleted: deleting one while
/// another process waits on it would let two holders lock two different files. Setting
/// <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c> turns these locks off.
/// </remarks>
public sealed class CacheLock : IDisposable
{
    // Linux EWOULDBLOCK, macOS EWOULDBLOCK, Windows ERROR_SHARING_VIOLATION and ERROR_LOCK_VIOLATION.
    private static readonly int[] ContentionCodes = [11, 35, unchecked((int)0x80070020), unchecked((int)0x80070021)];

    /// <summary>How long a waiter first sleeps before it tries again; <see cref="NextPoll"/> gives the sleeps after.</summary>
    internal static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(20);

    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(250);

    private readonly FileStream _stream;

    private CacheLock(FileStream stream, string path, CacheLockMode mode)
    {
        _stream = stream;
        FilePath = path;
        Mode = mode;
    }

    /// <summary>The lock file.</summary>
    public string FilePath { get; }

    /// <summary>How the lock is held.</summary>
    public CacheLockMode Mode { get; }

    /// <summary>Takes the lock on <paramref name="path"/>, creating the file and its folder if needed, waiting while others hold it.</summary>
    /// <param name="path">The lock file.</param>
    /// <param name="mode">Shared or exclusive.</param>
    /// <param name="onWait">Called once, with no argument, when the lock is not free at the first try; may be null.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The held lock; dispose it to release.</returns>
    /// <exception cref="StoreException">The lock file cannot be created or opened.</exception>
    public static async Task<CacheLock> AcquireAsync(string path, CacheLockMode mode, Action? onWait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        var delay = FirstPoll;
        var waited = false;
        while (true)
        {
            if (TryAcquire(path, mode) is { } held)
            {
                return held;
            }

            if (!waited)
            {
                waited = true;
                onWait?.Invoke();
            }

            await Task.Delay(delay, cancellationToken);
            delay = NextPoll(delay);
        }
    }

    /// <summary>The sleep after <paramref name="delay"/>: twice as long, up to a quarter of a second.</summary>
    internal static TimeSpan NextPoll(TimeSpan delay) => TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestPoll.Ticks));

    /// <summary>Takes the lock if it is free now.</summary>
    /// <param name="path">The lock file.</param>
    /// <param name="mode">Shared or exclusive.</param>
    /// <returns>The held lock, or null when another holder excludes it.</returns>
    /// <exception cref="StoreException">The lock file cannot be created or opened.</exception>
    public static CacheLock? TryAcquire(string path, CacheLockMode mode)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var stream = mode == CacheLockMode.Exclusive
                ? new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1)
                : new FileStream(path, FileMode.OpenOrCreate, FileAccess.Read, FileShare.Read, 1);
            return new CacheLock(stream, path, mode);
        }
        catch (IOException e) when (ContentionCodes.Contains(e.HResult))
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"cannot open the lock file {path}: {e.Message}", e);
        }
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _stream.Dispose();
}
