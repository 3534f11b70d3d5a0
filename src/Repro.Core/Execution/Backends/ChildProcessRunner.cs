using Repro.Core.Diagnostics;
using Repro.Core.Processes;

namespace Repro.Core.Execution.Backends;

/// <summary>What to start and where its output goes.</summary>
/// <param name="Argv">The program and its arguments, passed without a shell in between.</param>
/// <param name="WorkingDirectory">Working directory of the child.</param>
/// <param name="Environment">The child's complete environment; nothing else is inherited.</param>
/// <param name="StdoutPath">File that receives the child's standard output.</param>
/// <param name="StderrPath">File that receives the child's standard error.</param>
/// <param name="EchoStdout">Where standard output is also streamed live, if anywhere.</param>
/// <param name="EchoStderr">Where standard error is also streamed live, if anywhere.</param>
/// <param name="GracePeriod">How long a forwarded signal may take to end the child before its tree is killed.</param>
public sealed record ChildProcessRequest(
    IReadOnlyList<string> Argv,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment,
    string StdoutPath,
    string StderrPath,
    Stream? EchoStdout,
    Stream? EchoStderr,
    TimeSpan GracePeriod)
{
    /// <summary>
    /// A <c>NAME=VALUE</c> entry of <see cref="Environment"/> that only this run's processes inherit (the run folder):
    /// how a process of the tree that escaped both its session and repro's view is still recognised as the run's.
    /// </summary>
    public string? TreeMarker { get; init; }

    /// <summary>
    /// The watchdog, when it was started ahead of time for this child (<see cref="ChildProcessRunner.StartWatchdog"/>,
    /// with the same <see cref="TreeMarker"/>): the runner waits for it before it starts the child, and owns it from
    /// then on. Null: the runner starts one itself.
    /// </summary>
    internal Task<ProcessWatchdog?>? Watchdog { get; init; }
}

/// <summary>How a child ran.</summary>
/// <param name="ExitCode">Exit code (128 + N when ended by signal N).</param>
/// <param name="Interrupted">The signal forwarded to stop it, if one was.</param>
/// <param name="StartedAt">When it started (UTC).</param>
/// <param name="EndedAt">When it and its output ended (UTC).</param>
/// <param name="CpuUserSeconds">User CPU time of the child and the descendants it waited for.</param>
/// <param name="CpuSystemSeconds">System CPU time, likewise.</param>
/// <param name="PeakMemoryBytes">Largest resident set seen, sampled every 100 ms: the larger of the sum over the tree and the peak (VmHWM) of any single process; null when nothing was sampled.</param>
/// <param name="Stdout">The saved standard output.</param>
/// <param name="Stderr">The saved standard error.</param>
/// <param name="StragglersKilled">Processes the child left running after it exited, which repro stopped.</param>
public sealed record ChildProcessResult(
    int ExitCode,
    InterruptSignal? Interrupted,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    double? CpuUserSeconds,
    double? CpuSystemSeconds,
    long? PeakMemoryBytes,
    CapturedStream Stdout,
    CapturedStream Stderr,
    int StragglersKilled)
{
    /// <summary>The command lines of the processes counted in <see cref="StragglersKilled"/>.</summary>
    public IReadOnlyList<string> Stragglers { get; init; } = [];

    /// <summary>
    /// Why reading the output stopped before its end: a process outside the run's tree still held the pipes after the
    /// tree was gone. Null when the output was read to its end.
    /// </summary>
    public string? OutputCutOff { get; init; }

    /// <summary>
    /// Why the output could not be saved (a full disk, an I/O error); the tree was stopped at once. Null when it was saved.
    /// </summary>
    public string? SaveFailure { get; init; }
}

/// <summary>A stream saved to a file while it was echoed.</summary>
/// <param name="Path">Where it was saved.</param>
/// <param name="Sha256">SHA-256 of the bytes, lower-case hex.</param>
/// <param name="Bytes">How many bytes.</param>
public sealed record CapturedStream(string Path, string Sha256, long Bytes);

/// <summary>
/// Starts an entry point's command through <see cref="ProcessLauncher"/> and watches it to the end. The child leads a
/// session of its own (via <c>setsid</c>) so that a forwarded signal reaches every process it started; repro is a child
/// subreaper, so a process of the tree that leaves the session (<c>setsid</c>, a daemon) is re-parented to repro and
/// still found (<see cref="ProcessTree"/>); a watchdog kills the tree if repro itself is killed outright
/// (<see cref="ProcessWatchdog"/>). Nothing the child started outlives the run, and repro never waits on a pipe that an
/// escaped process holds. docs/process-containment.md tells the whole design.
/// </summary>
public static class ChildProcessRunner
{
    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxDrain = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan KillLimit = TimeSpan.FromSeconds(5);
    private const int StragglersNamed = 5;

    /// <summary>Runs the child to completion, or until <paramref name="interruption"/> stops it.</summary>
    /// <exception cref="System.ComponentModel.Win32Exception">The command could not be started.</exception>
    public static Task<ChildProcessResult> RunAsync(ChildProcessRequest request, Interruption interruption)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(interruption);
        // The work runs in plain async Tasks that leave the result in an Outcome: a suspended async method whose result
        // is a reference type runs in a generic box that the ReadyToRun image lacks (five methods the JIT compiled at
        // every run), a non-generic one does not. A failure faults the task with the exception the run threw, which
        // its awaiter gets as before.
        var completion = new TaskCompletionSource<ChildProcessResult>();
        _ = RunIntoAsync(request, interruption, completion);
        return completion.Task;
    }

    private static async Task RunIntoAsync(ChildProcessRequest request, Interruption interruption, TaskCompletionSource<ChildProcessResult> completion)
    {
        var outcome = new Outcome();
        try
        {
            await RunAsync(request, interruption, outcome).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            completion.SetException(exception);
            return;
        }

        // Set once the run's own disposals (the watchdog, the process, the readers) are done, as the result was before.
        completion.SetResult(outcome.Result!);
    }

    private static async Task RunAsync(ChildProcessRequest request, Interruption interruption, Outcome outcome)
    {
        NativeProcess.BecomeSubreaper();
        // The watchdog is running before the child starts, whoever started it: a repro killed outright at any moment
        // after the child's start leaves a watchdog behind to stop the tree.
        var starting = Timings.Measure("execute: start the watchdog");
        using var watchdog = request.Watchdog is { } early
            ? await early.ConfigureAwait(false)
            : StartWatchdog(request.TreeMarker, request.WorkingDirectory);
        starting.Dispose();
        var usageBefore = NativeProcess.ChildrenUsageNow();
        var startedAt = DateTimeOffset.UtcNow;
        starting = Timings.Measure("execute: start the child");
        using var process = ProcessLauncher.Start(new ProcessStart(request.Argv[0], request.Argv.Skip(1).ToList(), request.WorkingDirectory, request.Environment)
        {
            InheritStandardInput = true,
            OwnSession = true,
        });
        starting.Dispose();

        var tree = ProcessTable.IsAvailable ? new ProcessTree(process.Id, process.OwnsSession, request.TreeMarker) : null;
        if (process.OwnsSession)
        {
            watchdog?.WatchGroup(process.Id);
        }

        // The sampler's first scan (made before its first wait, on this thread) tells the watchdog the tree's first
        // members: a scan of its own here read every process on the machine twice in a row.
        using var stopReading = new CancellationTokenSource();
        var stdout = new OutputCapture(process.StandardOutput, request.StdoutPath, request.EchoStdout, stopReading.Token);
        var stderr = new OutputCapture(process.StandardError, request.StderrPath, request.EchoStderr, stopReading.Token);
        var stdoutTask = stdout.RunAsync();
        var stderrTask = stderr.RunAsync();
        using var samplerStop = new CancellationTokenSource();
        var sampler = new PeakSample();
        var samplerTask = tree is null ? Task.CompletedTask : SampleAsync(tree, watchdog, sampler, samplerStop.Token);
        if (tree is { Scanned: false })
        {
            watchdog?.Watch(tree.Refresh().Found);
        }

        var supervision = new Supervision(process, tree, interruption, request.GracePeriod, Task.WhenAny(stdout.Failed, stderr.Failed));
        using (Timings.Measure("execute: until the child exited"))
        {
            await supervision.WatchChildAsync().ConfigureAwait(false);
        }

        var ending = Timings.Measure("execute: after the child exited");
        var stragglers = await supervision.StopLeftoversAsync().ConfigureAwait(false);

        // The tree is gone; whatever still holds the pipes is not part of it. The data already in them is read, then
        // reading stops: repro never waits on a process it cannot stop.
        string? cutOff = null;
        var drained = Task.WhenAll(stdoutTask, stderrTask);
        var drainLimit = request.GracePeriod < MaxDrain ? request.GracePeriod : MaxDrain;
        await Task.WhenAny(drained, Task.Delay(drainLimit), supervision.NextRequest()).ConfigureAwait(false);
        if (!drained.IsCompleted)
        {
            await stopReading.CancelAsync().ConfigureAwait(false);
            cutOff = $"a process outside the run's process tree kept its output open; repro stopped reading {drainLimit.TotalSeconds:0.#} s after the tree was gone";
        }

        await stdoutTask.ConfigureAwait(false);
        await stderrTask.ConfigureAwait(false);
        var stdoutCapture = stdout.Captured!;
        var stderrCapture = stderr.Captured!;
        await samplerStop.CancelAsync().ConfigureAwait(false);
        await samplerTask.ConfigureAwait(false);
        var sampledPeak = sampler.Peak;
        watchdog?.Dismiss();
        var endedAt = DateTimeOffset.UtcNow;
        var usageAfter = NativeProcess.ChildrenUsageNow();
        ending.Dispose();

        double? user = null, system = null;
        if (usageBefore is { } before && usageAfter is { } after)
        {
            user = Math.Max(0, after.UserSeconds - before.UserSeconds);
            system = Math.Max(0, after.SystemSeconds - before.SystemSeconds);
        }

        // ru_maxrss is not used for memory: Linux carries a process's pre-exec peak across exec, so every child forked
        // from the .NET host reports at least the host's own size. The sampled per-process peaks (VmHWM) do not.
        long? peak = sampledPeak > 0 ? sampledPeak : null;

        outcome.Result = new ChildProcessResult(process.ExitCode, interruption.FirstSignal, startedAt, endedAt, user, system, peak, stdoutCapture, stderrCapture, stragglers.Count)
        {
            Stragglers = stragglers,
            OutputCutOff = cutOff,
            SaveFailure = stdout.Failure ?? stderr.Failure,
        };
    }

    /// <summary>How a list of leftover processes reads in a warning: the first few command lines, then how many more.</summary>
    public static string DescribeStragglers(IReadOnlyList<string> commandLines)
    {
        ArgumentNullException.ThrowIfNull(commandLines);
        var named = commandLines.Take(StragglersNamed).Select(line => line.Length <= 120 ? line : string.Concat(line.AsSpan(0, 119), "…"));
        var more = commandLines.Count > StragglersNamed ? $" and {commandLines.Count - StragglersNamed} more" : string.Empty;
        return string.Join("; ", named) + more;
    }

    /// <summary>Starts the watchdog of a child whose tree carries <paramref name="treeMarker"/>; null where none can run.</summary>
    internal static ProcessWatchdog? StartWatchdog(string? treeMarker, string workingDirectory) =>
        ProcessWatchdog.TryStart(treeMarker, ReproEnvironment(), workingDirectory);

    /// <summary>Tells a watchdog started for a child that never came (the run failed first) to exit without killing anything.</summary>
    internal static void DismissUnused(Task<ProcessWatchdog?> starting)
    {
        try
        {
            starting.Wait();
        }
        catch (AggregateException)
        {
            // It never started: nothing to dismiss.
            return;
        }

        using var watchdog = starting.Result;
        watchdog?.Dismiss();
    }

    // The watchdog runs with repro's own environment, not the child's: nothing the project sets can change how it runs.
    private static Dictionary<string, string> ReproEnvironment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && entry.Value is string value)
            {
                variables[name] = value;
            }
        }

        return variables;
    }

    // A plain Task, the peak kept in sample: a Task<long> made the JIT compile two more awaiter instantiations that
    // ReadyToRun code lacks, at every run.
    private static async Task SampleAsync(ProcessTree tree, ProcessWatchdog? watchdog, PeakSample sample, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var scan = tree.Refresh();
                watchdog?.Watch(scan.Found);
                long sum = 0;
                foreach (var member in scan.Alive)
                {
                    sum += ProcessTable.ResidentBytes(member.Id);
                    sample.Peak = Math.Max(sample.Peak, ProcessTable.PeakResidentBytes(member.Id));
                }

                sample.Peak = Math.Max(sample.Peak, sum);
                // The child's exit cancels the wait: that ends the loop, without an exception thrown and caught at
                // every run's end.
                await Task.Delay(SampleInterval, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        catch (OperationCanceledException)
        {
            // Sampling ends with the child.
        }
    }

    /// <summary>The highest resident memory sampled in the child's tree, in bytes (0 when none was sampled).</summary>
    private sealed class PeakSample
    {
        public long Peak { get; set; }
    }

    /// <summary>The result of a run, set when it completes.</summary>
    private sealed class Outcome
    {
        public ChildProcessResult? Result { get; set; }
    }

    /// <summary>
    /// The life of the child and what it leaves behind: forwarded signals, the grace period, a failure to save its
    /// output, and the processes still running once it has exited.
    /// </summary>
    private sealed class Supervision
    {
        private readonly LaunchedProcess _process;
        private readonly ProcessTree? _tree;
        private readonly Interruption _interruption;
        private readonly TimeSpan _gracePeriod;
        private readonly Task _saveFailed;
        private Task<bool>? _pendingRequest;
        private Task _graceEnded = Task.Delay(Timeout.Infinite);
        private bool _signalled;
        private bool _killed;

        public Supervision(LaunchedProcess process, ProcessTree? tree, Interruption interruption, TimeSpan gracePeriod, Task saveFailed)
        {
            _process = process;
            _tree = tree;
            _interruption = interruption;
            _gracePeriod = gracePeriod;
            _saveFailed = saveFailed;
        }

        /// <summary>The next stop request, as a task that completes when one arrives.</summary>
        public Task<bool> NextRequest()
        {
            if (_pendingRequest is null || _pendingRequest.IsCompleted)
            {
                _pendingRequest = _interruption.Requests.WaitToReadAsync().AsTask();
            }

            return _pendingRequest;
        }

        /// <summary>Until the child exits: the first request is forwarded, a second one or the end of the grace period kills the tree, and so does a failure to save the output.</summary>
        public async Task WatchChildAsync()
        {
            var exited = _process.WaitForExitAsync();
            while (!exited.IsCompleted)
            {
                var request = NextRequest();
                var saveFailed = _killed ? Task.Delay(Timeout.Infinite) : _saveFailed;
                var finished = await Task.WhenAny(exited, request, _graceEnded, saveFailed).ConfigureAwait(false);
                if (finished == exited)
                {
                    break;
                }

                if (finished == request)
                {
                    await OnRequestAsync().ConfigureAwait(false);
                }
                else
                {
                    // The grace period ran out, or the output cannot be saved: nothing more can be recorded of the run.
                    await KillAsync().ConfigureAwait(false);
                }
            }

            await exited.ConfigureAwait(false);
        }

        /// <summary>
        /// After the child exited: what it left running gets SIGTERM (unless already signalled) and the rest of the grace
        /// period, then the tree is killed; a stop request or a save failure kills it at once. Returns the command lines
        /// of the processes that were left.
        /// </summary>
        public async Task<IReadOnlyList<string>> StopLeftoversAsync()
        {
            var leftovers = new Dictionary<int, string>();
            if (_tree is null)
            {
                // Without /proc the session is all repro can find.
                var count = _process.KillSession();
                return Enumerable.Repeat("(unknown)", count).ToList();
            }

            void Note(IEnumerable<TreeMember> members)
            {
                foreach (var member in members.Where(member => member.Id != _tree.RootId && !leftovers.ContainsKey(member.Id)))
                {
                    leftovers[member.Id] = ProcessTable.CommandLine(member.Id) ?? $"pid {member.Id}";
                }
            }

            var alive = _tree.Refresh().Alive;
            Note(alive);
            if (alive.Count == 0 && !_killed)
            {
                // Nothing of the tree is left (the usual end): this scan, made after the child exited, is the one that
                // KillAllAsync would make again before it found nothing to kill.
                _killed = true;
                return [];
            }

            if (leftovers.Count > 0 && !_killed)
            {
                if (!_signalled)
                {
                    _tree.Signal(NativeProcess.SigTerm);
                    _graceEnded = Task.Delay(_gracePeriod);
                }

                while (true)
                {
                    var request = NextRequest();
                    var saveFailed = _saveFailed;
                    var poll = Task.Delay(PollInterval);
                    var finished = await Task.WhenAny(poll, request, _graceEnded, saveFailed).ConfigureAwait(false);
                    if (finished != poll)
                    {
                        if (finished == request)
                        {
                            _ = _interruption.Requests.TryRead(out _);
                        }

                        break;
                    }

                    alive = _tree.Refresh().Alive;
                    Note(alive);
                    if (alive.Count == 0)
                    {
                        break;
                    }
                }
            }

            await KillAsync().ConfigureAwait(false);
            return leftovers.Values.ToList();
        }

        private async Task OnRequestAsync()
        {
            if (!_interruption.Requests.TryRead(out var signal))
            {
                return;
            }

            if (_signalled)
            {
                // A second Ctrl-C means now.
                await KillAsync().ConfigureAwait(false);
                return;
            }

            _signalled = true;
            _process.Signal((int)signal);
            _tree?.Signal((int)signal, exceptGroup: _process.OwnsSession ? _process.Id : null);
            _graceEnded = Task.Delay(_gracePeriod);
        }

        private async Task KillAsync()
        {
            _killed = true;
            _graceEnded = Task.Delay(Timeout.Infinite);
            if (_tree is not null)
            {
                await _tree.KillAllAsync(KillLimit).ConfigureAwait(false);
            }

            // Once the child has exited and was reaped, its id names its session and group only while a process is
            // left in them; when none is, another program may already have the id, and a kill by id would reach that
            // program's session. The tree (members known by start time, the session found while it lives) has then
            // done the killing; by id only while the child lives, or where there is no /proc to find a tree in.
            if (_tree is null || !_process.HasExited)
            {
                _process.KillTree();
            }
        }
    }
}
