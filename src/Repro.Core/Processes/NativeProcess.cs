using System.Runtime.InteropServices;

namespace Repro.Core.Processes;

/// <summary>The few POSIX calls .NET does not expose: signalling a process group and the children's resource usage.</summary>
internal static partial class NativeProcess
{
    public const int SigKill = 9;

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

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

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
