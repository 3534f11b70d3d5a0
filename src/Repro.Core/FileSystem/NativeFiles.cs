using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Repro.Core.FileSystem;

/// <summary>
/// File facts .NET does not expose: inode, device and change time (Linux <c>statx</c>), and the canonical
/// path with every symbolic link resolved (<c>realpath</c>). Elsewhere it falls back to what
/// <see cref="FileSystemInfo"/> offers and says so through <see cref="FileStatus.HasIdentity"/>.
/// </summary>
internal static partial class NativeFiles
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;

    // STATX_TYPE | STATX_MODE | STATX_INO | STATX_SIZE | STATX_MTIME | STATX_CTIME
    private const uint StatxMask = 0x1 | 0x2 | 0x100 | 0x200 | 0x40 | 0x80;

    private const int ENoEnt = 2;
    private const int ENotDir = 20;
    private const int ENoSys = 38;
    private const int ELoop = 40;

    private static int s_statxState = OperatingSystem.IsLinux() ? 1 : 0;

    /// <summary>Whether <c>statx</c> works here (Linux with glibc 2.28 or later, not blocked by a sandbox).</summary>
    public static bool HasStatx => Volatile.Read(ref s_statxState) == 1;

    public static FileStatus? Status(string path, bool followLinks)
    {
        if (HasStatx)
        {
            var flags = followLinks ? 0 : AtSymlinkNoFollow;
            int result;
            StatxBuffer buffer;
            try
            {
                result = Statx(AtFdCwd, path, flags, StatxMask, out buffer);
            }
            catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
            {
                // A C library without statx (glibc before 2.28, some musl builds): no identity, no cache.
                Volatile.Write(ref s_statxState, 0);
                return ManagedStatus(path, followLinks);
            }

            if (result == 0)
            {
                return FromStatx(in buffer);
            }

            var errno = Marshal.GetLastPInvokeError();
            switch (errno)
            {
                case ENoEnt or ENotDir:
                    return null;
                case ENoSys:
                    Volatile.Write(ref s_statxState, 0);
                    return ManagedStatus(path, followLinks);
                case ELoop when followLinks:
                    // A link cycle: report the link itself so callers record it instead of failing.
                    return Status(path, followLinks: false);
                default:
                    throw new IOException($"{path}: {Marshal.GetPInvokeErrorMessage(errno)}");
            }
        }

        return ManagedStatus(path, followLinks);
    }

    /// <summary>The status of an open file, so it describes exactly the bytes being read.</summary>
    public static FileStatus Status(SafeFileHandle handle, string pathForMessages)
    {
        if (HasStatx)
        {
            var added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                var fd = (int)handle.DangerousGetHandle();
                if (Statx(fd, string.Empty, AtEmptyPath, StatxMask, out var buffer) == 0)
                {
                    return FromStatx(in buffer);
                }

                var errno = Marshal.GetLastPInvokeError();
                throw new IOException($"{pathForMessages}: {Marshal.GetPInvokeErrorMessage(errno)}");
            }
            finally
            {
                if (added)
                {
                    handle.DangerousRelease();
                }
            }
        }

        var info = new FileInfo(pathForMessages);
        return new FileStatus(
            FileKind.Regular,
            RandomAccess.GetLength(handle),
            ToUnixNs(info.LastWriteTimeUtc),
            0,
            0,
            0,
            HasIdentity: false);
    }

    /// <summary>
    /// The absolute path with every symbolic link and <c>..</c> resolved, or null when a component does not
    /// exist (a dangling link) or links loop.
    /// </summary>
    public static string? RealPath(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return ManagedRealPath(path);
        }

        nint resolved;
        try
        {
            resolved = RealPathNative(path, 0);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return ManagedRealPath(path);
        }

        if (resolved == 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is ENoEnt or ENotDir or ELoop)
            {
                return null;
            }

            throw new IOException($"{path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            unsafe
            {
                NativeMemory.Free((void*)resolved);
            }
        }
    }

    internal static long ToUnixNs(DateTime utc) => (utc.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks) * 100;

    private static FileStatus FromStatx(in StatxBuffer buffer)
    {
        var kind = (buffer.Mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.SymbolicLink,
            0x1000 => FileKind.Fifo,
            0xC000 => FileKind.Socket,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            _ => FileKind.Other,
        };
        return new FileStatus(
            kind,
            (long)buffer.Size,
            (buffer.MtimeSec * 1_000_000_000L) + buffer.MtimeNsec,
            (buffer.CtimeSec * 1_000_000_000L) + buffer.CtimeNsec,
            buffer.Inode,
            ((ulong)buffer.DevMajor << 32) | buffer.DevMinor,
            HasIdentity: true);
    }

    private static FileStatus? ManagedStatus(string path, bool followLinks)
    {
        FileSystemInfo info = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            if (!followLinks)
            {
                return new FileStatus(FileKind.SymbolicLink, 0, ToUnixNs(info.LastWriteTimeUtc), 0, 0, 0, HasIdentity: false);
            }

            var target = info.ResolveLinkTarget(returnFinalTarget: true);
            if (target is null || !target.Exists)
            {
                return null;
            }

            info = target;
        }

        if (!info.Exists)
        {
            return null;
        }

        return info is DirectoryInfo
            ? new FileStatus(FileKind.Directory, 0, ToUnixNs(info.LastWriteTimeUtc), 0, 0, 0, HasIdentity: false)
            : new FileStatus(FileKind.Regular, ((FileInfo)info).Length, ToUnixNs(info.LastWriteTimeUtc), 0, 0, 0, HasIdentity: false);
    }

    private static string? ManagedRealPath(string path)
    {
        var full = Path.GetFullPath(path);
        FileSystemInfo info = Directory.Exists(full) ? new DirectoryInfo(full) : new FileInfo(full);
        if (info.LinkTarget is null)
        {
            return info.Exists ? full : null;
        }

        var target = info.ResolveLinkTarget(returnFinalTarget: true);
        return target is { Exists: true } ? target.FullName : null;
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirFd, string path, int flags, uint mask, out StatxBuffer buffer);

    [LibraryImport("libc", EntryPoint = "realpath", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint RealPathNative(string path, nint resolved);

    /// <summary>
    /// <c>struct statx</c>: the kernel fixes its layout with explicit padding, so it is the same on every
    /// architecture.
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(28)]
        public ushort Mode;

        [FieldOffset(32)]
        public ulong Inode;

        [FieldOffset(40)]
        public ulong Size;

        [FieldOffset(96)]
        public long CtimeSec;

        [FieldOffset(104)]
        public uint CtimeNsec;

        [FieldOffset(112)]
        public long MtimeSec;

        [FieldOffset(120)]
        public uint MtimeNsec;

        [FieldOffset(136)]
        public uint DevMajor;

        [FieldOffset(140)]
        public uint DevMinor;
    }
}
