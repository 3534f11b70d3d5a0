using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Repro.Core.FileSystem;

/// <summary>Whether a lock file is held by a live process.</summary>
public enum LockState
{
    /// <summary>A live process holds it.</summary>
    Held,

    /// <summary>It exists and nobody holds it: its owner is gone (the kernel releases a lock when its holder dies, however it dies).</summary>
    Free,

    /// <summary>There is no lock file.</summary>
    Missing,

    /// <summary>It cannot be told here (no <c>flock</c>, or the file cannot be opened).</summary>
    Unknown,
}

/// <summary>
/// An exclusive advisory lock on a file (<c>flock</c>), held for as long as the object lives, or by the process until it
/// dies: the kernel releases it when the holder exits, even after <c>kill -9</c>, so another process can tell a live
/// owner from a dead one. The file is opened close-on-exec, so no child inherits (and prolongs) the lock. Called
/// directly rather than through <see cref="FileStream"/>'s sharing modes, which .NET can be told to ignore.
/// </summary>
public sealed partial class FileLock : IDisposable
{
    private const int OReadOnly = 0;
    private const int OReadWrite = 2;
    private const int OCreate = 0x40;
    private const int OCloseOnExec = 0x80000;
    private const int LockShared = 1;
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;
    private const int EWouldBlock = 11;

    private readonly SafeFileHandle _handle;

    private FileLock(string path, SafeFileHandle handle)
    {
        Path = path;
        _handle = handle;
    }

    /// <summary>The lock file.</summary>
    public string Path { get; }

    /// <summary>Whether locks can be taken and tested here (Linux, whose open flags this uses).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>Creates <paramref name="path"/> when missing and takes its exclusive lock without waiting.</summary>
    /// <returns>The held lock, or null when another process holds it.</returns>
    /// <exception cref="IOException">The file cannot be created or locked.</exception>
    public static FileLock? TryAcquire(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!IsSupported)
        {
            // Where flock does not exist the file still marks the folder as repro's; nobody can test it.
            File.WriteAllBytes(path, []);
            return new FileLock(path, new SafeFileHandle());
        }

        var fd = Open(path, OReadWrite | OCreate | OCloseOnExec, Convert.ToUInt32("644", 8));
        if (fd < 0)
        {
            throw new IOException($"cannot create {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (Flock(fd, LockExclusive | LockNonBlocking) == 0)
        {
            return new FileLock(path, handle);
        }

        var errno = Marshal.GetLastPInvokeError();
        handle.Dispose();
        return errno == EWouldBlock ? null : throw new IOException($"cannot lock {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    /// <summary>Tests whether a live process holds the lock of <paramref name="path"/>, without taking it for longer than the test.</summary>
    public static LockState Probe(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!IsSupported)
        {
            return File.Exists(path) ? LockState.Unknown : LockState.Missing;
        }

        var fd = Open(path, OReadOnly | OCloseOnExec, 0);
        if (fd < 0)
        {
            return File.Exists(path) ? LockState.Unknown : LockState.Missing;
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);

        // A shared lock conflicts only with the holder's exclusive one, so two readers testing at once never mistake each other for the owner.
        if (Flock(fd, LockShared | LockNonBlocking) == 0)
        {
            return LockState.Free;
        }

        return Marshal.GetLastPInvokeError() == EWouldBlock ? LockState.Held : LockState.Unknown;
    }

    /// <summary>Releases the lock (the file stays).</summary>
    public void Dispose() => _handle.Dispose();

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);
}
