using System.Globalization;
using System.Text;

namespace Repro.Core.Processes;

/// <summary>
/// A dead man's switch for a run's process tree, for when repro itself is killed outright (<c>kill -9</c>, the OOM
/// killer), which no handler in repro can catch. A small bash process in a session of its own reads a pipe that only
/// repro holds: repro tells it each process of the tree as it finds one (id and start time) and, when the tree is gone,
/// that it may exit. Should the pipe reach its end without that word, repro died, and the watchdog kills the tree: the
/// child's process group and session, every process repro told it about that is still the same process (same start
/// time), everything below those, and every process whose environment holds the tree's marker (it catches one that
/// was started and detached after repro's last report). It needs nothing but bash and /proc.
/// </summary>
/// <remarks>
/// Why not a supervisor process as the child's parent, or <c>PR_SET_PDEATHSIG</c>: a supervisor written in .NET
/// (the only language repro may count on besides bash) adds a runtime start, some 0.1 to 0.3 s and 30 MB, before every
/// entry point; the parent-death signal fires when the thread that forked exits, and .NET starts processes from pool
/// threads that come and go, and it reaches the direct child only. The watchdog starts beside the child, costs a
/// bash start, and reads nothing while the run is healthy. See docs/process-containment.md.
/// </remarks>
internal sealed class ProcessWatchdog : IDisposable
{
    // $1: the marker (NAME=VALUE) or empty. Input lines: "group ID", "pid ID START", "end".
    private const string Script = """
        trap '' INT TERM HUP QUIT PIPE
        exec >/dev/null 2>&1
        marker=$1
        declare -A known=()
        groups=()
        while read -r kind id start; do
          case $kind in
            end) exit 0 ;;
            group) groups+=("$id") ;;
            pid) known[$id]=$start ;;
          esac
        done
        # The pipe ended without "end": repro is gone. Stop everything it started, a few rounds, newest finds too.
        for round in 1 2 3 4 5 6 7 8; do
          declare -A parent=() victims=()
          for file in /proc/[0-9]*/stat; do
            { read -r stat < "$file"; } 2>/dev/null || continue
            pid=${stat%% *}
            rest=${stat##*) }
            set -- $rest
            [ "$pid" = "$$" ] && continue
            [ "$1" = Z ] && continue
            parent[$pid]=$2
            if [ -n "${known[$pid]}" ] && [ "${known[$pid]}" = "${20}" ]; then victims[$pid]=1; fi
            for group in "${groups[@]}"; do
              if [ "$4" = "$group" ] || [ "$3" = "$group" ]; then victims[$pid]=1; fi
            done
          done
          if [ -n "$marker" ]; then
            for file in $(grep -lzxF -- "$marker" /proc/[0-9]*/environ 2>/dev/null); do
              pid=${file#/proc/}; pid=${pid%/environ}
              [ "$pid" = "$$" ] || [ -z "${parent[$pid]}" ] || victims[$pid]=1
            done
          fi
          grew=1
          while [ $grew = 1 ]; do
            grew=0
            for pid in "${!parent[@]}"; do
              if [ -z "${victims[$pid]}" ] && [ -n "${victims[${parent[$pid]}]}" ]; then victims[$pid]=1; grew=1; fi
            done
          done
          [ ${#victims[@]} = 0 ] && exit 0
          kill -STOP "${!victims[@]}" 2>/dev/null
          kill -KILL "${!victims[@]}" 2>/dev/null
          unset parent victims
          sleep 0.05
        done
        """;

    private readonly LaunchedProcess _process;
    private readonly Lock _gate = new();
    private bool _closed;

    private ProcessWatchdog(LaunchedProcess process)
    {
        _process = process;
    }

    /// <summary>
    /// Starts a watchdog, or returns null where it cannot work (no /proc, no bash): containment while repro lives does
    /// not depend on it.
    /// </summary>
    /// <param name="marker">The tree's environment marker (<c>NAME=VALUE</c>), or null.</param>
    /// <param name="environment">repro's own environment, searched for bash.</param>
    /// <param name="workingDirectory">Where it runs (it reads no files there).</param>
    public static ProcessWatchdog? TryStart(string? marker, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        if (!ProcessTable.IsAvailable || ExecutableLocator.Find("bash", environment, workingDirectory) is not { } bash)
        {
            return null;
        }

        try
        {
            var process = ProcessLauncher.Start(new ProcessStart(bash, ["-c", Script, "repro-watchdog", marker ?? string.Empty], workingDirectory, environment)
            {
                KeepStandardInput = true,
                OwnSession = true,
            });

            // It writes nothing; its output pipes are closed at once.
            process.StandardOutput.Dispose();
            process.StandardError.Dispose();
            return new ProcessWatchdog(process);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>Tells the watchdog the tree's process group (also a session when its leader started one).</summary>
    public void WatchGroup(int groupId) => Send($"group {groupId.ToString(CultureInfo.InvariantCulture)}\n");

    /// <summary>Tells the watchdog about processes of the tree.</summary>
    public void Watch(IEnumerable<TreeMember> members)
    {
        var lines = new StringBuilder();
        foreach (var member in members)
        {
            lines.Append(CultureInfo.InvariantCulture, $"pid {member.Id} {member.StartTime}\n");
        }

        if (lines.Length > 0)
        {
            Send(lines.ToString());
        }
    }

    /// <summary>The tree is gone: the watchdog exits without killing anything.</summary>
    public void Dismiss()
    {
        Send("end\n");
        Close();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Close();
        _process.Dispose();
    }

    private void Send(string text)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            try
            {
                var bytes = Encoding.ASCII.GetBytes(text);
                _process.StandardInput.Write(bytes);
                _process.StandardInput.Flush();
            }
            catch (IOException)
            {
                // The watchdog is gone (killed by someone): the run goes on without it.
                _closed = true;
            }
        }
    }

    private void Close()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            try
            {
                _process.StandardInput.Dispose();
            }
            catch (IOException)
            {
                // Already gone.
            }
        }
    }
}
