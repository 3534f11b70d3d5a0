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

    private const uint StatxUid = 0x8;

    private const int EPermission = 1;
    private const int ENoEnt = 2;
    private const int EAccess = 13;
    private const int EExist = 17;
    private const int ENotDir = 20;
    private const int DirentNameOffset = 19;
    private const int OReadOnly = 0;
    private const int OWriteOnly = 1;
    private const int OReadWrite = 2;
    private const int OCreate = 0x40;
    private const int OExclusive = 0x80;
    private const int OTruncate = 0x200;
    private const int OCloseOnExec = 0x80000;
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
                result = Statx(AtFdCwd, PathText.ToNullTerminatedBytes(path), flags, StatxMask, out buffer);
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
                if (Statx(fd, [0], AtEmptyPath, StatxMask, out var buffer) == 0)
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
            resolved = RealPathNative(PathText.ToNullTerminatedBytes(path), 0);
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
            unsafe
            {
                return PathText.FromBytes(System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpanFromNullTerminated((byte*)resolved));
            }
        }
        finally
        {
            unsafe
            {
                NativeMemory.Free((void*)resolved);
            }
        }
    }

    /// <summary>
    /// Whether the file or folder at <paramref name="path"/> (links followed) is owned by the effective user of this
    /// process; null when that cannot be told here (not Linux, no <c>statx</c>) or nothing is there.
    /// </summary>
    /// <exception cref="IOException">The path cannot be examined for another reason than its absence.</exception>
    public static bool? IsOwnedByEffectiveUser(string path)
    {
        if (!HasStatx)
        {
            return null;
        }

        try
        {
            if (Statx(AtFdCwd, PathText.ToNullTerminatedBytes(path), 0, StatxUid, out var buffer) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                return errno is ENoEnt or ENotDir ? null : throw Error(path, errno);
            }

            return buffer.Uid == GetEffectiveUserId();
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
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

    /// <summary>
    /// The entries of a folder (not <c>.</c> and <c>..</c>) as full paths in <see cref="PathText"/>'s native form, so a
    /// name that is not valid UTF-8 is listed, and can be opened, like any other.
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">The folder cannot be read.</exception>
    /// <exception cref="IOException">It cannot be listed for another reason.</exception>
    public static List<string> ListDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return [.. Directory.GetFileSystemEntries(directory)];
        }

        var entries = new List<string>();
        var stream = OpenDir(PathText.ToNullTerminatedBytes(directory));
        if (stream == 0)
        {
            throw Error(directory, Marshal.GetLastPInvokeError());
        }

        try
        {
            while (true)
            {
                Marshal.SetLastPInvokeError(0);
                var entry = ReadDir(stream);
                if (entry == 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno != 0)
                    {
                        throw Error(directory, errno);
                    }

                    break;
                }

                unsafe
                {
                    // struct dirent on Linux (glibc and musl, 64-bit): d_ino, d_off, d_reclen, d_type, then d_name.
                    var name = MemoryMarshal.CreateReadOnlySpanFromNullTerminated((byte*)entry + DirentNameOffset);
                    if (name.SequenceEqual("."u8) || name.SequenceEqual(".."u8))
                    {
                        continue;
                    }

                    entries.Add(Path.Join(directory, PathText.FromBytes(name)));
                }
            }
        }
        finally
        {
            _ = CloseDir(stream);
        }

        return entries;
    }

    /// <summary>The target stored in a symbolic link, in native form; null when the path is not a link.</summary>
    public static string? ReadLink(string path)
    {
        if (!OperatingSystem.IsLinux() || PathText.IsPlain(path))
        {
            return new FileInfo(path).LinkTarget;
        }

        var buffer = new byte[4096];
        var length = ReadLinkNative(PathText.ToNullTerminatedBytes(path), buffer, (nuint)buffer.Length);
        return length < 0 ? null : PathText.FromBytes(buffer.AsSpan(0, (int)length));
    }

    /// <summary>Opens a file for reading (without blocking writers or deleters), whatever bytes its name holds.</summary>
    /// <exception cref="FileNotFoundException">Nothing is there.</exception>
    /// <exception cref="UnauthorizedAccessException">It cannot be read.</exception>
    /// <exception cref="IOException">It cannot be opened for another reason.</exception>
    public static SafeFileHandle OpenRead(string path)
    {
        if (!OperatingSystem.IsLinux() || PathText.IsPlain(path))
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
        }

        return OpenNative(path, OReadOnly | OCloseOnExec, 0);
    }

    /// <summary>Creates (or truncates) a file for writing, whatever bytes its name holds.</summary>
    public static SafeFileHandle CreateWrite(string path)
    {
        if (!OperatingSystem.IsLinux() || PathText.IsPlain(path))
        {
            return File.OpenHandle(path, FileMode.Create, FileAccess.Write, FileShare.None);
        }

        return OpenNative(path, OWriteOnly | OCreate | OTruncate | OCloseOnExec, Convert.ToUInt32("644", 8));
    }

    /// <summary>Creates a new file for reading and writing, failing when anything is already there, whatever bytes its name holds.</summary>
    /// <exception cref="IOException">Something is already there, or it cannot be created.</exception>
    public static SafeFileHandle CreateNew(string path)
    {
        if (!OperatingSystem.IsLinux() || PathText.IsPlain(path))
        {
            return File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        }

        return OpenNative(path, OReadWrite | OCreate | OExclusive | OCloseOnExec, Convert.ToUInt32("644", 8));
    }

    /// <summary>Copies a regular file's bytes, whatever bytes either name holds.</summary>
    public static void CopyFile(string source, string destination)
    {
        using var from = new FileStream(OpenRead(source), FileAccess.Read, 1 << 16);
        using var to = new FileStream(CreateWrite(destination), FileAccess.Write, 1 << 16);
        from.CopyTo(to);
    }

    /// <summary>Creates a folder and its missing parents, whatever bytes the names hold.</summary>
    public static void CreateDirectories(string directory)
    {
        if (!OperatingSystem.IsLinux() || PathText.IsPlain(directory))
        {
            Directory.CreateDirectory(directory);
            return;
        }

        if (Status(directory, followLinks: true) is { Kind: FileKind.Directory })
        {
            return;
        }

        if (Path.GetDirectoryName(directory) is { Length: > 0 } parent)
        {
            CreateDirectories(parent);
        }

        if (MakeDirectory(PathText.ToNullTerminatedBytes(directory), Convert.ToUInt32("755", 8)) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != EExist)
            {
                throw Error(directory, errno);
            }
        }
    }

    /// <summary>Creates a symbolic link at <paramref name="path"/> holding <paramref name="target"/>, both in native form.</summary>
    public static void CreateSymbolicLink(string path, string target)
    {
        if (!OperatingSystem.IsLinux() || (PathText.IsPlain(path) && PathText.IsPlain(target)))
        {
            File.CreateSymbolicLink(path, target);
            return;
        }

        if (SymbolicLink(PathText.ToNullTerminatedBytes(target), PathText.ToNullTerminatedBytes(path)) != 0)
        {
            throw Error(path, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Sets a file's permission bits, whatever bytes its name holds.</summary>
    public static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsLinux() || PathText.IsPlain(path))
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, mode);
            }

            return;
        }

        if (ChangeMode(PathText.ToNullTerminatedBytes(path), (uint)mode) != 0)
        {
            throw Error(path, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>The permission bits of a file (links followed), whatever bytes its name holds; null when nothing is there.</summary>
    public static UnixFileMode? Mode(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        if (!OperatingSystem.IsLinux() || PathText.IsPlain(path) || !HasStatx)
        {
            return File.Exists(path) || Directory.Exists(path) ? File.GetUnixFileMode(path) : null;
        }

        if (Statx(AtFdCwd, PathText.ToNullTerminatedBytes(path), 0, StatxMask, out var buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno is ENoEnt or ENotDir ? null : throw Error(path, errno);
        }

        return (UnixFileMode)(buffer.Mode & Convert.ToUInt16("7777", 8));
    }

    /// <summary>Renames <paramref name="source"/> over <paramref name="target"/> atomically (replacing a file there), whatever bytes the names hold.</summary>
    public static void Rename(string source, string target)
    {
        if (!OperatingSystem.IsLinux() || (PathText.IsPlain(source) && PathText.IsPlain(target)))
        {
            File.Move(source, target, overwrite: true);
            return;
        }

        if (RenameNative(PathText.ToNullTerminatedBytes(source), PathText.ToNullTerminatedBytes(target)) != 0)
        {
            throw Error(target, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Deletes a file or link if it is there, whatever bytes its name holds.</summary>
    public static void DeleteFile(string path)
    {
        if (!OperatingSystem.IsLinux() || PathText.IsPlain(path))
        {
            File.Delete(path);
            return;
        }

        if (Unlink(PathText.ToNullTerminatedBytes(path)) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != ENoEnt)
            {
                throw Error(path, errno);
            }
        }
    }

    /// <summary>
    /// Deletes a folder and everything in it, whatever bytes the names hold (.NET's own recursive delete cannot
    /// remove a file whose name is not valid UTF-8). Folders are opened up (owner rwx) first, so read-only folders a
    /// child left behind go too. Links are removed, never followed.
    /// </summary>
    public static void DeleteTree(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            if (!OperatingSystem.IsWindows())
            {
                foreach (var sub in Directory.EnumerateDirectories(directory, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
                {
                    File.SetUnixFileMode(sub, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }

            Directory.Delete(directory, recursive: true);
            return;
        }

        var bytes = PathText.ToNullTerminatedBytes(directory);
        _ = ChangeMode(bytes, Convert.ToUInt32("700", 8));
        foreach (var entry in ListDirectory(directory))
        {
            if (Status(entry, followLinks: false) is { Kind: FileKind.Directory })
            {
                DeleteTree(entry);
            }
            else if (Unlink(PathText.ToNullTerminatedBytes(entry)) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno != ENoEnt)
                {
                    throw Error(entry, errno);
                }
            }
        }

        if (RemoveDirectory(bytes) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != ENoEnt)
            {
                throw Error(directory, errno);
            }
        }
    }

    /// <summary>
    /// Flushes what is written to <paramref name="path"/> (a file or a folder: a folder's entries, such as a name a
    /// rename just gave a file) to the disk: <c>fsync</c> on a descriptor opened read-only, which POSIX allows for both.
    /// Windows cannot open a folder so; its folders are skipped (NTFS journals their entries) and files flushed through
    /// a handle opened for writing.
    /// </summary>
    /// <exception cref="IOException">It cannot be opened or flushed.</exception>
    public static void Sync(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            if (File.Exists(path))
            {
                using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
                RandomAccess.FlushToDisk(handle);
            }

            return;
        }

        using var descriptor = OpenNative(path, OReadOnly | OCloseOnExec, 0);
        if (FileSync(descriptor) != 0)
        {
            throw Error(path, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Whether <see cref="SyncFileSystem"/> works here (Linux).</summary>
    public static bool CanSyncFileSystem => OperatingSystem.IsLinux();

    /// <summary>
    /// Flushes everything written to the file system that holds <paramref name="path"/> (a folder), by any process, to
    /// the disk: Linux <c>syncfs</c>, one call however many files were written, and since Linux 5.8 it reports a
    /// write-back error as <c>fsync</c> does.
    /// </summary>
    /// <exception cref="IOException">The folder cannot be opened, or the flush failed.</exception>
    public static void SyncFileSystem(string path)
    {
        using var descriptor = OpenNative(path, OReadOnly | OCloseOnExec, 0);
        if (FileSystemSync(descriptor) != 0)
        {
            throw Error(path, Marshal.GetLastPInvokeError());
        }
    }

    private static SafeFileHandle OpenNative(string path, int flags, uint mode)
    {
        var fd = OpenFile(PathText.ToNullTerminatedBytes(path), flags, mode);
        if (fd < 0)
        {
            throw Error(path, Marshal.GetLastPInvokeError());
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    private static Exception Error(string path, int errno)
    {
        var shown = PathText.ToRecorded(path);
        var message = $"{shown}: {Marshal.GetPInvokeErrorMessage(errno)}";
        return errno switch
        {
            ENoEnt or ENotDir => new FileNotFoundException(message, shown),
            EAccess or EPermission => new UnauthorizedAccessException(message),
            _ => new IOException(message),
        };
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static partial int Statx(int dirFd, byte[] path, int flags, uint mask, out StatxBuffer buffer);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "realpath", SetLastError = true)]
    private static partial nint RealPathNative(byte[] path, nint resolved);

    [LibraryImport("libc", EntryPoint = "opendir", SetLastError = true)]
    private static partial nint OpenDir(byte[] path);

    [LibraryImport("libc", EntryPoint = "readdir", SetLastError = true)]
    private static partial nint ReadDir(nint stream);

    [LibraryImport("libc", EntryPoint = "closedir", SetLastError = true)]
    private static partial int CloseDir(nint stream);

    [LibraryImport("libc", EntryPoint = "readlink", SetLastError = true)]
    private static partial nint ReadLinkNative(byte[] path, byte[] buffer, nuint size);

    [LibraryImport("libc", EntryPoint = "mkdir", SetLastError = true)]
    private static partial int MakeDirectory(byte[] path, uint mode);

    [LibraryImport("libc", EntryPoint = "symlink", SetLastError = true)]
    private static partial int SymbolicLink(byte[] target, byte[] path);

    [LibraryImport("libc", EntryPoint = "unlink", SetLastError = true)]
    private static partial int Unlink(byte[] path);

    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static partial int RenameNative(byte[] source, byte[] target);

    [LibraryImport("libc", EntryPoint = "rmdir", SetLastError = true)]
    private static partial int RemoveDirectory(byte[] path);

    [LibraryImport("libc", EntryPoint = "chmod", SetLastError = true)]
    private static partial int ChangeMode(byte[] path, uint mode);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true)]
    private static partial int OpenFile(byte[] path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FileSync(SafeFileHandle descriptor);

    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static partial int FileSystemSync(SafeFileHandle descriptor);

    /// <summary>
    /// <c>struct statx</c>: the kernel fixes its layout with explicit padding, so it is the same on every
    /// architecture.
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(20)]
        public uint Uid;

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
