using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Repro.Core.Capture.Data;

/// <summary>
/// Copies between open files without passing the bytes through the process: a copy-on-write clone where the file
/// system shares extents (Linux <c>FICLONE</c>, as <c>cp --reflink=auto</c> does: Btrfs, XFS, bcachefs, OCFS2, some
/// NFS servers), else the kernel's own copy (<c>copy_file_range</c>). Never a hard link: a program that rewrites a
/// file in place would change the stored copy with it. Elsewhere (and where a call is refused) the callers copy
/// through a buffer.
/// </summary>
internal static partial class FileCloning
{
    // _IOW(0x94, 9, int): the clone request of linux/fs.h.
    private const uint FiClone = 0x40049409;

    private const int EPerm = 1;
    private const int EIntr = 4;
    private const int EBadF = 9;
    private const int EXDev = 18;
    private const int EInval = 22;
    private const int ENotTy = 25;
    private const int EFBig = 27;
    private const int ENoSys = 38;
    private const int EOpNotSupp = 95;

    private static int s_cloneState = OperatingSystem.IsLinux() ? 1 : 0;
    private static int s_kernelCopyState = OperatingSystem.IsLinux() ? 1 : 0;
    private static int s_writebackState = OperatingSystem.IsLinux() ? 1 : 0;

    // SYNC_FILE_RANGE_WRITE of linux/fs.h: start writing dirty pages of the range, do not wait.
    private const uint SyncFileRangeWrite = 2;

    /// <summary>
    /// Makes <paramref name="destination"/> (empty, open for writing) a copy-on-write clone of
    /// <paramref name="source"/>. False when the file system cannot: nothing was changed then.
    /// </summary>
    /// <exception cref="IOException">The clone was attempted and failed for another reason (disk full, I/O error).</exception>
    public static bool TryClone(SafeFileHandle source, SafeFileHandle destination)
    {
        var called = TryOnDescriptors(ref s_cloneState, destination, source, static (output, input) =>
        {
            int result;
            int errno;
            do
            {
                result = Ioctl(output, FiClone, input);
                errno = result == 0 ? 0 : Marshal.GetLastPInvokeError();
            }
            while (result != 0 && errno == EIntr);

            return errno;
        }, out var error);
        if (!called)
        {
            return false;
        }

        if (error == 0)
        {
            return true;
        }

        // Not supported here (another file system, two file systems, not a regular file): the caller copies. These
        // answers depend on the files, not the machine, so the next pair is tried again.
        if (error is EOpNotSupp or EXDev or EInval or ENotTy or EBadF or EPerm or ENoSys)
        {
            return false;
        }

        throw new IOException($"cannot clone: {Marshal.GetPInvokeErrorMessage(error)}");
    }

    /// <summary>
    /// Copies <paramref name="length"/> bytes from the start of <paramref name="source"/> to the start of
    /// <paramref name="destination"/> inside the kernel. False when the kernel cannot for this pair before any byte
    /// was written; the caller then copies through a buffer.
    /// </summary>
    /// <exception cref="IOException">The copy failed part-way, or for another reason than lack of support.</exception>
    public static bool TryKernelCopy(SafeFileHandle source, SafeFileHandle destination, long length) =>
        TryOnDescriptors(ref s_kernelCopyState, source, destination, (input, output) => KernelCopy(input, output, length), out var copied)
        && copied;

    /// <summary>
    /// Asks the kernel to start writing <paramref name="length"/> bytes of <paramref name="handle"/> from
    /// <paramref name="offset"/> to disk now, without waiting (Linux <c>sync_file_range</c> with
    /// <c>SYNC_FILE_RANGE_WRITE</c>). Only a hint that lets the disk work while the caller hashes or copies on: the
    /// caller still flushes the file (<c>fsync</c>) before relying on it, and that flush reports any error, so a failure
    /// here is ignored.
    /// </summary>
    public static void StartWriteback(SafeFileHandle handle, long offset, long length)
    {
        if (length > 0)
        {
            _ = TryOnDescriptors(ref s_writebackState, handle, second: null, (fd, _) => SyncFileRange(fd, offset, length, SyncFileRangeWrite), out _);
        }
    }

    /// <summary>
    /// Runs <paramref name="call"/> on the descriptors of the handles, each pinned for the length of the call so that
    /// a handle closed on another thread cannot free its descriptor for reuse underneath it. Returns false without
    /// calling when <paramref name="enabled"/> is 0, and sets it to 0 (for the rest of the process) when libc lacks
    /// the entry point; the caller then takes its fallback.
    /// </summary>
    private static bool TryOnDescriptors<T>(ref int enabled, SafeFileHandle first, SafeFileHandle? second, Func<int, int, T> call, out T result)
    {
        result = default!;
        if (Volatile.Read(ref enabled) == 0)
        {
            return false;
        }

        var firstAdded = false;
        var secondAdded = false;
        try
        {
            first.DangerousAddRef(ref firstAdded);
            second?.DangerousAddRef(ref secondAdded);
            result = call((int)first.DangerousGetHandle(), second is null ? -1 : (int)second.DangerousGetHandle());
            return true;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            Volatile.Write(ref enabled, 0);
            return false;
        }
        finally
        {
            if (secondAdded)
            {
                second!.DangerousRelease();
            }

            if (firstAdded)
            {
                first.DangerousRelease();
            }
        }
    }

    /// <summary>The <c>copy_file_range</c> loop of <see cref="TryKernelCopy"/>; false when the kernel cannot copy this pair.</summary>
    private static bool KernelCopy(int input, int output, long length)
    {
        long inputOffset = 0;
        long outputOffset = 0;
        while (inputOffset < length)
        {
            var chunk = (nuint)Math.Min(length - inputOffset, 1L << 30);
            nint copied;
            unsafe
            {
                copied = CopyFileRange(input, &inputOffset, output, &outputOffset, chunk, 0);
            }

            if (copied > 0)
            {
                continue;
            }

            if (copied == 0)
            {
                // The source got shorter than its status said; the caller's status check reports it.
                return true;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno == EIntr)
            {
                continue;
            }

            if (inputOffset == 0 && errno is EXDev or EInval or EOpNotSupp or ENoSys or EBadF or EPerm or EFBig)
            {
                if (errno == ENoSys)
                {
                    Volatile.Write(ref s_kernelCopyState, 0);
                }

                return false;
            }

            throw new IOException($"cannot copy: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        return true;
    }

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int SyncFileRange(int fd, long offset, long length, uint flags);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int Ioctl(int fd, nuint request, int argument);

    [LibraryImport("libc", EntryPoint = "copy_file_range", SetLastError = true)]
    private static unsafe partial nint CopyFileRange(int inputFd, long* inputOffset, int outputFd, long* outputOffset, nuint length, uint flags);
}
