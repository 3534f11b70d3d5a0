using System.Globalization;

namespace Repro.Core.Processes;

/// <summary>
/// Reads Linux's /proc to find the processes of a session and their memory. Pure parsing lives in static methods
/// fed the text of <c>/proc/PID/stat</c> so it can be tested without processes.
/// </summary>
internal static class ProcessTable
{
    private static readonly long PageSize = Environment.SystemPageSize;

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

            var stat = TryRead(Path.Combine(directory, "stat"));
            if (stat is not null && TryParseStat(stat, out var fields) && fields.Session == sessionId && fields.State != 'Z')
            {
                members.Add(pid);
            }
        }

        return members;
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
        if (rest.Length < 4
            || rest[0].Length != 1
            || !int.TryParse(rest[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parent)
            || !int.TryParse(rest[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var group)
            || !int.TryParse(rest[3], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var session))
        {
            return false;
        }

        fields = new StatFields(rest[0][0], parent, group, session);
        return true;
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
    internal readonly record struct StatFields(char State, int ParentId, int GroupId, int Session);
}
