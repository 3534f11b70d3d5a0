using System.Runtime.InteropServices;

namespace Repro.Core.Processes;

/// <summary>
/// The few POSIX calls .NET does not expose: signalling a process group, the children's resource usage, becoming a
/// child subreaper and reaping the orphans that brings.
/// </summary>
internal static partial class NativeProcess
{
    public const int SigKill = 9;

    public const int SigTerm = 15;

    public const int SigStop = 19;

    // Linux's open(2) flags (the same on x86-64 and arm64).
    private const int OReadOnly = 0;
    private const int OCloseOnExec = 0x80000;

    private const int PrSetChildSubreaper = 36;
    private const int WNoHang = 1;

    private static int s_subreaper;

    /// <summary>
    /// Makes this process a child subreaper (Linux <c>PR_SET_CHILD_SUBREAPER</c>): a process below it whose parent
    /// exits is re-parented here instead of to init, so a descendant that daemonises or calls <c>setsid</c> can still be
    /// found by walking parent ids. Idempotent; false where the call does not exist.
    /// </summary>
    public static bool BecomeSubreaper()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        if (Volatile.Read(ref s_subreaper) == 1)
        {
            return true;
        }

        try
        {
            if (Prctl(PrSetChildSubreaper, 1, 0, 0, 0) != 0)
            {
                return false;
            }
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }

        Volatile.Write(ref s_subreaper, 1);
        return true;
    }

    /// <summary>Whether <see cref="BecomeSubreaper"/> succeeded.</summary>
    public static bool IsSubreaper => Volatile.Read(ref s_subreaper) == 1;

    /// <summary>
    /// Collects the exit status of <paramref name="pid"/> if it is a child of this process that has ended, so it does not
    /// stay a zombie. Only for processes .NET did not start (orphans re-parented here): those .NET started it reaps itself.
    /// </summary>
    public static void ReapIfEnded(int pid)
    {
        if (!OperatingSystem.IsWindows())
        {
            _ = WaitPid(pid, out _, WNoHang);
        }
    }
    /// <summary>Sends <paramref name="signal"/> to every process in the group led by <paramref name="groupId"/>.</summary>
    public static void SignalGroup(int groupId, int signal)
    {
        if (!OperatingSystem.IsWindows())
        {
            _ = Kill(-groupId, signal);
        }
    }

    /// <summary>Sends <paramref name="signal"/> to one process.</summary>
    public static void Signal(int pid, int signal)
    {
        if (!OperatingSystem.IsWindows())
        {
            _ = Kill(pid, signal);
        }
    }

    /// <summary>
    /// Asks Linux to give a pipe <paramref name="bytes"/> of buffer (<c>F_SETPIPE_SZ</c>), so a fast writer and its
    /// reader exchange fewer, larger chunks; quietly keeps the default where that is refused or unknown.
    /// </summary>
    public static void TryEnlargePipe(SafeHandle pipe, int bytes)
    {
        if (!OperatingSystem.IsLinux() || pipe.IsInvalid)
        {
            return;
        }

        const int fSetPipeSize = 1031;
        var added = false;
        try
        {
            pipe.DangerousAddRef(ref added);
            _ = Fcntl((int)pipe.DangerousGetHandle(), fSetPipeSize, bytes);
        }
        catch (EntryPointNotFoundException)
        {
            // Not a Linux C library: the default size stays.
        }
        finally
        {
            if (added)
            {
                pipe.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// CPU time of all children this process has waited for (RUSAGE_CHILDREN). The difference across a child's
    /// life is that child's tree, since repro starts nothing else meanwhile.
    /// </summary>
    public static ChildrenUsage? ChildrenUsageNow()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return null;
        }

        const int rusageChildren = -1;
        if (GetRusage(rusageChildren, out var usage) != 0)
        {
            return null;
        }

        return new ChildrenUsage(
            usage.UserSeconds + (usage.UserMicroseconds / 1e6),
            usage.SystemSeconds + (usage.SystemMicroseconds / 1e6));
    }

    /// <summary>What <see cref="TryReadSmallFile"/> returns for a file it cannot open: a .NET read of it would fail too.</summary>
    public const int CannotOpen = -2;

    /// <summary>
    /// Reads a small file (a /proc file) whole into <paramref name="buffer"/> with an open, reads and a close only, and
    /// returns how many bytes it holds; <see cref="CannotOpen"/> when it cannot be opened (gone, say); -1 when it cannot
    /// be read, or does not fit, or not on Linux (the caller then reads it as any file). A .NET file read adds an fstat,
    /// a shared lock and its release, and a second read per file.
    /// </summary>
    public static int TryReadSmallFile(string path, Span<byte> buffer)
    {
        if (!OperatingSystem.IsLinux() || buffer.IsEmpty)
        {
            return -1;
        }

        var descriptor = Open(path, OReadOnly | OCloseOnExec);
        if (descriptor < 0)
        {
            return CannotOpen;
        }

        try
        {
            var total = 0;
            while (total < buffer.Length)
            {
                var read = Read(descriptor, ref buffer[total], (nuint)(buffer.Length - total));
                if (read < 0)
                {
                    return -1;
                }

                if (read == 0)
                {
                    return total;
                }

                total += (int)read;
            }

            return -1;
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint Read(int descriptor, ref byte buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    private static partial int WaitPid(int pid, out int status, int options);

    [LibraryImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static partial int GetRusage(int who, out RUsage usage);

    /// <summary>CPU seconds of waited-for children.</summary>
    internal readonly record struct ChildrenUsage(double UserSeconds, double SystemSeconds);

    // struct rusage on 64-bit Unix: two timevals, then fourteen longs.
    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        public long MaxRss;
        public long IxRss;
        public long IdRss;
        public long IsRss;
        public long MinFlt;
        public long MajFlt;
        public long NSwap;
        public long InBlock;
        public long OuBlock;
        public long MsgSnd;
        public long MsgRcv;
        public long NSignals;
        public long NVcsw;
        public long NIvcsw;
    }
}
