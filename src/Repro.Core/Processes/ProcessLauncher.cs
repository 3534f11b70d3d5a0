using System.Collections.Concurrent;
using System.Diagnostics;

namespace Repro.Core.Processes;

/// <summary>What to start, and how.</summary>
/// <param name="FileName">The program: an absolute path (see <see cref="ExecutableLocator"/>), or a bare name, which is looked up on repro's own PATH (or, with <see cref="OwnSession"/>, by <c>setsid</c> on the given environment's PATH).</param>
/// <param name="Arguments">Its arguments, passed without a shell in between.</param>
/// <param name="WorkingDirectory">Its working directory.</param>
/// <param name="Environment">Its complete environment: nothing else is inherited.</param>
public sealed record ProcessStart(
    string FileName,
    IReadOnlyList<string> Arguments,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>
    /// Whether the program's messages must parse the same under any locale: <c>LC_ALL</c> and <c>LANG</c> are set to
    /// <c>C</c> and <c>LANGUAGE</c> (which gettext reads before them) is removed. For tools whose output repro parses.
    /// </summary>
    public bool CLocale { get; init; }

    /// <summary>
    /// Whether the program reads repro's own standard input (an entry point may be interactive). Otherwise its standard
    /// input is closed at once, so a tool that reads it sees end-of-file instead of waiting for a terminal.
    /// </summary>
    public bool InheritStandardInput { get; init; }

    /// <summary>
    /// Whether the program leads a session and process group of its own (started through <c>setsid</c>), so that one
    /// signal reaches every process it starts and <see cref="LaunchedProcess.KillSession"/> finds what it left behind.
    /// Only where <see cref="ProcessTable.IsAvailable"/> and <c>setsid</c> is on the environment's <c>PATH</c>;
    /// otherwise the program starts as a plain child (see <see cref="LaunchedProcess.OwnsSession"/>).
    /// </summary>
    public bool OwnSession { get; init; }

    /// <summary>
    /// Whether repro keeps the write end of the program's standard input (<see cref="LaunchedProcess.StandardInput"/>)
    /// instead of closing it: a pipe that only repro holds, so the program sees end-of-file when repro is gone.
    /// </summary>
    public bool KeepStandardInput { get; init; }
}

/// <summary>
/// The one way repro starts a program: the entry point's child, the environment probes and git all come through here,
/// so starting (no shell, arguments as a list, a complete environment), locale control and killing a process tree
/// behave the same for each of them. Reading the output, timeouts and what a failure means stay with the caller.
/// </summary>
public static class ProcessLauncher
{
    // Programs started here and not yet disposed. A process tree watcher tells them apart from orphans that were
    // re-parented to repro (see ProcessTree): those were started by an entry point, these by repro itself.
    private static readonly ConcurrentDictionary<int, byte> s_running = new();

    // Starting a program and registering it in s_running happen under the read side; a process tree's scan of /proc
    // takes the write side, so it never sees a program this process started but has not registered yet (such a child,
    // already in a session of its own, would otherwise pass for an orphan re-parented here and be adopted and killed
    // by another run's tree).
    private static readonly ReaderWriterLockSlim s_startGate = new();

    /// <summary>Whether <paramref name="pid"/> is a program this process started here and has not disposed yet.</summary>
    internal static bool StartedHere(int pid) => s_running.ContainsKey(pid);

    internal static void Forget(int pid) => s_running.TryRemove(pid, out _);

    /// <summary>Runs <paramref name="scan"/> while no program is between being started and being registered here.</summary>
    internal static T WhileNoStartInFlight<T>(Func<T> scan)
    {
        s_startGate.EnterWriteLock();
        try
        {
            return scan();
        }
        finally
        {
            s_startGate.ExitWriteLock();
        }
    }

    /// <summary>Starts the program with standard output and standard error redirected to the returned streams.</summary>
    /// <param name="start">What to start.</param>
    /// <returns>The running program.</returns>
    /// <exception cref="System.ComponentModel.Win32Exception">The program could not be started (missing, not executable, argument list too long).</exception>
    public static LaunchedProcess Start(ProcessStart start)
    {
        ArgumentNullException.ThrowIfNull(start);
        var setsid = start.OwnSession && ProcessTable.IsAvailable
            ? ExecutableLocator.Find("setsid", start.Environment, start.WorkingDirectory)
            : null;

        var startInfo = new ProcessStartInfo(setsid ?? start.FileName)
        {
            UseShellExecute = false,
            WorkingDirectory = start.WorkingDirectory,
            RedirectStandardInput = !start.InheritStandardInput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        if (setsid is not null)
        {
            // setsid makes the program a session and group leader with the same pid, so -pid addresses its whole tree.
            startInfo.ArgumentList.Add(start.FileName);
        }

        foreach (var argument in start.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment.Clear();
        foreach (var (name, value) in start.Environment)
        {
            startInfo.Environment[name] = value;
        }

        if (start.CLocale)
        {
            startInfo.Environment["LC_ALL"] = "C";
            startInfo.Environment["LANG"] = "C";
            startInfo.Environment.Remove("LANGUAGE");
        }

        var process = new Process { StartInfo = startInfo };
        s_startGate.EnterReadLock();
        try
        {
            process.Start();
            s_running[process.Id] = 0;
        }
        catch
        {
            process.Dispose();
            throw;
        }
        finally
        {
            s_startGate.ExitReadLock();
        }

        if (!start.InheritStandardInput && !start.KeepStandardInput)
        {
            process.StandardInput.Close();
        }

        return new LaunchedProcess(process, ownsSession: setsid is not null);
    }
}

/// <summary>A program started by <see cref="ProcessLauncher"/>.</summary>
public sealed class LaunchedProcess : IDisposable
{
    private readonly Process _process;

    internal LaunchedProcess(Process process, bool ownsSession)
    {
        _process = process;
        OwnsSession = ownsSession;
        Id = process.Id;
    }

    /// <summary>Its process id; when it <see cref="OwnsSession"/>, also its session and process group id.</summary>
    public int Id { get; }

    /// <summary>Whether it leads a session and process group of its own.</summary>
    public bool OwnsSession { get; }

    /// <summary>Its standard input, when started with <see cref="ProcessStart.KeepStandardInput"/>.</summary>
    public Stream StandardInput => _process.StandardInput.BaseStream;

    /// <summary>Its standard output, to be read to the end by the caller.</summary>
    public Stream StandardOutput => _process.StandardOutput.BaseStream;

    /// <summary>Its standard error, to be read to the end by the caller.</summary>
    public Stream StandardError => _process.StandardError.BaseStream;

    /// <summary>Its exit code (128 + N when ended by signal N); only after <see cref="WaitForExitAsync"/> completed.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Waits until the program itself has exited (its output may still be open in processes it started).</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken = default) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>Sends <paramref name="signal"/> to its process group when it owns one, else to it alone.</summary>
    public void Signal(int signal)
    {
        if (OwnsSession)
        {
            NativeProcess.SignalGroup(Id, signal);
        }
        else
        {
            NativeProcess.Signal(Id, signal);
        }
    }

    /// <summary>Kills it and every process it started that can still be found; quietly does nothing when it is gone.</summary>
    public void KillTree()
    {
        if (OwnsSession)
        {
            NativeProcess.SignalGroup(Id, NativeProcess.SigKill);
            KillSession();
        }

        // Once it has exited, the processes it started are no longer its children (they were re-parented) and its id
        // may name another process, so there is no tree left to find from it. Asking .NET anyway costs a read of
        // every process on the machine (Process.Kill(true) lists them all before it looks at this one): at the end of
        // every run, whose child has exited, that was hundreds of /proc files for nothing.
        if (HasExited)
        {
            return;
        }

        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Gone between the check and the kill, or not ours to kill: nothing more can be done.
        }
    }

    /// <summary>
    /// Kills whatever is still in its session (processes it left behind, including those that changed their process
    /// group) and returns how many there were; 0 when it does not own a session.
    /// </summary>
    public int KillSession()
    {
        if (!OwnsSession)
        {
            return 0;
        }

        var members = ProcessTable.SessionMembers(Id);
        foreach (var member in members)
        {
            NativeProcess.Signal(member, NativeProcess.SigKill);
        }

        return members.Count;
    }

    /// <summary>Whether it has exited (and been reaped: its id may then name another process).</summary>
    public bool HasExited
    {
        get
        {
            try
            {
                return _process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        ProcessLauncher.Forget(Id);
        _process.Dispose();
    }
}
