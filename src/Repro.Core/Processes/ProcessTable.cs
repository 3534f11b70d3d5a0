using System.Globalization;

namespace Repro.Core.Processes;

/// <summary>
/// Reads Linux's /proc to find the processes of a session and their memory. Pure parsing lives in static methods
/// fed the text of <c>/proc/PID/stat</c> so it can be tested without processes.
/// </summary>
internal static class ProcessTable
{
    private static readonly long PageSize = Environment.SystemPageSize;

    // Room for a stat line: 52 numeric fields and a command name of at most 64 bytes fit in well under this.
    private const int StatBytes = 2048;

    /// <summary>Whether /proc is there to read.</summary>
    public static bool IsAvailable { get; } = OperatingSystem.IsLinux() && Directory.Exists("/proc/self");

    /// <summary>Ids of live processes whose session id is <paramref name="sessionId"/>.</summary>
    public static List<int> SessionMembers(int sessionId)
    {
        var members = new List<int>();
        if (!IsAvailable)
        {
            return members;
        }

        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(directory.AsSpan());
            if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            var stat = TryReadStat(Path.Combine(directory, "stat"));
            if (stat is not null && TryParseStat(stat, out var fields) && fields.Session == sessionId && fields.State != 'Z')
            {
                members.Add(pid);
            }
        }

        return members;
    }

    /// <summary>Every process now, by id, with the fields of its stat line; processes that end while being read are left out.</summary>
    public static Dictionary<int, StatFields> Snapshot()
    {
        var processes = new Dictionary<int, StatFields>();
        if (!IsAvailable)
        {
            return processes;
        }

        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(directory.AsSpan());
            if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && TryReadStat(Path.Combine(directory, "stat")) is { } stat
                && TryParseStat(stat, out var fields))
            {
                processes[pid] = fields;
            }
        }

        return processes;
    }

    /// <summary>The stat fields of one process, or null when it is gone.</summary>
    public static StatFields? Stat(int pid) =>
        IsAvailable && TryReadStat($"/proc/{pid}/stat") is { } stat && TryParseStat(stat, out var fields) ? fields : null;

    /// <summary>The command line of <paramref name="pid"/> with its arguments separated by spaces, or its name in brackets when it has none (a kernel thread, a zombie); null when it is gone.</summary>
    public static string? CommandLine(int pid)
    {
        var bytes = TryReadBytes($"/proc/{pid}/cmdline");
        if (bytes is null)
        {
            return null;
        }

        var text = System.Text.Encoding.UTF8.GetString(bytes).TrimEnd('\0').Replace('\0', ' ');
        if (text.Length > 0)
        {
            return text;
        }

        var stat = TryRead($"/proc/{pid}/stat");
        var open = stat?.IndexOf('(', StringComparison.Ordinal) ?? -1;
        var close = stat?.LastIndexOf(')') ?? -1;
        return open >= 0 && close > open ? $"[{stat![(open + 1)..close]}]" : null;
    }

    /// <summary>
    /// Whether the environment <paramref name="pid"/> started with holds exactly <paramref name="entry"/> (<c>NAME=VALUE</c>):
    /// true, false, or null when it cannot be read (gone, another user's, or a kernel thread).
    /// </summary>
    public static bool? EnvironmentHolds(int pid, string entry, string name)
    {
        var bytes = TryReadBytes($"/proc/{pid}/environ");
        if (bytes is null)
        {
            return null;
        }

        var wanted = System.Text.Encoding.UTF8.GetBytes(entry);
        var prefix = System.Text.Encoding.UTF8.GetBytes(name + "=");
        var holdsName = false;
        foreach (var range in ((ReadOnlySpan<byte>)bytes).Split((byte)0))
        {
            var variable = bytes.AsSpan(range);
            if (variable.SequenceEqual(wanted))
            {
                return true;
            }

            holdsName |= variable.StartsWith(prefix);
        }

        return holdsName ? false : null;
    }

    /// <summary>Resident set size of <paramref name="pid"/> in bytes, or 0 when it is gone.</summary>
    public static long ResidentBytes(int pid)
    {
        var statm = TryRead($"/proc/{pid}/statm");
        if (statm is null)
        {
            return 0;
        }

        var parts = statm.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length > 1 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pages) ? pages * PageSize : 0;
    }

    /// <summary>The peak resident set (VmHWM) of <paramref name="pid"/> in bytes, or 0 when unknown.</summary>
    public static long PeakResidentBytes(int pid)
    {
        var status = TryRead($"/proc/{pid}/status");
        return status is null ? 0 : ParseVmHwm(status);
    }

    /// <summary>Parses the <c>VmHWM:</c> line of /proc/PID/status into bytes.</summary>
    public static long ParseVmHwm(string status)
    {
        foreach (var line in status.Split('\n'))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var parts = line["VmHWM:".Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 1 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kib))
                {
                    return kib * 1024;
                }
            }
        }

        return 0;
    }

    /// <summary>
    /// Parses /proc/PID/stat. The command name in parentheses may itself hold spaces and parentheses,
    /// so fields are counted from the last ')'.
    /// </summary>
    public static bool TryParseStat(string stat, out StatFields fields)
    {
        fields = default;
        var close = stat.LastIndexOf(')');
        if (close < 0 || close + 2 >= stat.Length)
        {
            return false;
        }

        var rest = stat[(close + 2)..].Split(' ');
        if (rest.Length < 20
            || rest[0].Length != 1
            || !int.TryParse(rest[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parent)
            || !int.TryParse(rest[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var group)
            || !int.TryParse(rest[3], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var session)
            || !long.TryParse(rest[19], NumberStyles.None, CultureInfo.InvariantCulture, out var startTime))
        {
            return false;
        }

        fields = new StatFields(rest[0][0], parent, group, session, startTime);
        return true;
    }

    private static byte[]? TryReadBytes(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // A stat line (a scan reads one per process on the machine) with an open, a read and a close; as any file when it
    // does not fit or that fails.
    private static string? TryReadStat(string path)
    {
        Span<byte> buffer = stackalloc byte[StatBytes];
        var length = NativeProcess.TryReadSmallFile(path, buffer);
        // A process that has exited (the run's child, once it ends, is looked up again) leaves no file to open: .NET's
        // read would only open it again and throw, and a thrown exception costs a run more than the whole lookup.
        return length >= 0 ? System.Text.Encoding.UTF8.GetString(buffer[..length])
            : length == NativeProcess.CannotOpen ? null
            : TryRead(path);
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The process ended between listing and reading.
            return null;
        }
    }

    /// <summary>The fields of /proc/PID/stat repro needs.</summary>
    /// <param name="State">R, S, D, Z, T, …</param>
    /// <param name="ParentId">Parent process id.</param>
    /// <param name="GroupId">Process group id.</param>
    /// <param name="Session">Session id.</param>
    /// <param name="StartTime">When it started, in clock ticks after boot: with the id, it names one process even after the id is reused.</param>
    internal readonly record struct StatFields(char State, int ParentId, int GroupId, int Session, long StartTime)
    {
        /// <summary>Whether it has exited and only waits to be reaped (or is a thread group being torn down).</summary>
        public bool IsGone => State is 'Z' or 'X' or 'x';
    }
}
