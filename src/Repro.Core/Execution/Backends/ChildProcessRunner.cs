using System.Security.Cryptography;
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
    TimeSpan GracePeriod);

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
/// <param name="StragglersKilled">Processes the child left running in its session after it exited, which repro killed.</param>
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
    int StragglersKilled);

/// <summary>A stream saved to a file while it was echoed.</summary>
/// <param name="Path">Where it was saved.</param>
/// <param name="Sha256">SHA-256 of the bytes, lower-case hex.</param>
/// <param name="Bytes">How many bytes.</param>
public sealed record CapturedStream(string Path, string Sha256, long Bytes);

/// <summary>
/// Starts an entry point's command through <see cref="ProcessLauncher"/> and watches it to the end. The child gets its own
/// session (via <c>setsid</c>) so that a forwarded signal reaches every process it started and nothing it started can
/// outlive the run unnoticed.
/// </summary>
public static class ChildProcessRunner
{
    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Runs the child to completion, or until <paramref name="interruption"/> stops it.</summary>
    /// <exception cref="System.ComponentModel.Win32Exception">The command could not be started.</exception>
    public static async Task<ChildProcessResult> RunAsync(ChildProcessRequest request, Interruption interruption)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(interruption);
        var usageBefore = NativeProcess.ChildrenUsageNow();
        var startedAt = DateTimeOffset.UtcNow;
        using var process = ProcessLauncher.Start(new ProcessStart(request.Argv[0], request.Argv.Skip(1).ToList(), request.WorkingDirectory, request.Environment)
        {
            InheritStandardInput = true,
            OwnSession = true,
        });

        var stdoutTask = PumpAsync(process.StandardOutput, request.StdoutPath, request.EchoStdout);
        var stderrTask = PumpAsync(process.StandardError, request.StderrPath, request.EchoStderr);
        using var samplerStop = new CancellationTokenSource();
        var samplerTask = process.OwnsSession ? SampleMemoryAsync(process.Id, samplerStop.Token) : Task.FromResult(0L);

        await WaitHandlingInterruptsAsync(process, request.GracePeriod, interruption).ConfigureAwait(false);

        // Output ends when every holder of the pipes is gone; a background process the child left behind may hold them.
        // Whatever is still in the child's session after that is killed: the run is the whole tree, and nothing it
        // started may go on writing outputs after they are fingerprinted.
        var drained = Task.WhenAll(stdoutTask, stderrTask);
        await Task.WhenAny(drained, Task.Delay(DrainTimeout)).ConfigureAwait(false);
        var stragglers = process.KillSession();

        var stdout = await stdoutTask.ConfigureAwait(false);
        var stderr = await stderrTask.ConfigureAwait(false);
        await samplerStop.CancelAsync().ConfigureAwait(false);
        var sampledPeak = await samplerTask.ConfigureAwait(false);
        var endedAt = DateTimeOffset.UtcNow;
        var usageAfter = NativeProcess.ChildrenUsageNow();

        double? user = null, system = null;
        if (usageBefore is { } before && usageAfter is { } after)
        {
            user = Math.Max(0, after.UserSeconds - before.UserSeconds);
            system = Math.Max(0, after.SystemSeconds - before.SystemSeconds);
        }

        // ru_maxrss is not used for memory: Linux carries a process's pre-exec peak across exec, so every child forked
        // from the .NET host reports at least the host's own size. The sampled per-process peaks (VmHWM) do not.
        long? peak = sampledPeak > 0 ? sampledPeak : null;

        return new ChildProcessResult(process.ExitCode, interruption.FirstSignal, startedAt, endedAt, user, system, peak, stdout, stderr, stragglers);
    }

    private static async Task WaitHandlingInterruptsAsync(LaunchedProcess process, TimeSpan gracePeriod, Interruption interruption)
    {
        var exited = process.WaitForExitAsync();
        var signalled = false;
        using var graceEnded = new CancellationTokenSource();
        while (!exited.IsCompleted)
        {
            var nextRequest = interruption.Requests.WaitToReadAsync(graceEnded.Token).AsTask();
            var finished = await Task.WhenAny(exited, nextRequest).ConfigureAwait(false);
            if (finished == exited)
            {
                break;
            }

            bool requested;
            try
            {
                requested = await nextRequest.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                requested = false;
            }

            if (!requested || !interruption.Requests.TryRead(out var signal))
            {
                // The grace period ran out: nothing more is asked, the tree is stopped.
                process.KillTree();
                break;
            }

            if (signalled)
            {
                // A second Ctrl-C means now.
                process.KillTree();
                break;
            }

            signalled = true;
            process.Signal((int)signal);
            graceEnded.CancelAfter(gracePeriod);
        }

        await exited.ConfigureAwait(false);
    }

    private static async Task<CapturedStream> PumpAsync(Stream source, string path, Stream? echo)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long total = 0;
        var echoing = echo is not null;
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1, FileOptions.Asynchronous))
        {
            int read;
            while ((read = await source.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                var chunk = buffer.AsMemory(0, read);
                await file.WriteAsync(chunk).ConfigureAwait(false);
                hash.AppendData(chunk.Span);
                total += read;
                if (echoing)
                {
                    try
                    {
                        await echo!.WriteAsync(chunk).ConfigureAwait(false);
                        await echo.FlushAsync().ConfigureAwait(false);
                    }
                    catch (IOException)
                    {
                        // The console went away (a closed pipe): keep saving the log.
                        echoing = false;
                    }
                }
            }

            await file.FlushAsync().ConfigureAwait(false);
        }

        return new CapturedStream(path, Convert.ToHexStringLower(hash.GetHashAndReset()), total);
    }

    private static async Task<long> SampleMemoryAsync(int sessionId, CancellationToken stop)
    {
        long peak = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                long sum = 0;
                foreach (var member in ProcessTable.SessionMembers(sessionId))
                {
                    sum += ProcessTable.ResidentBytes(member);
                    peak = Math.Max(peak, ProcessTable.PeakResidentBytes(member));
                }

                peak = Math.Max(peak, sum);
                await Task.Delay(SampleInterval, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Sampling ends with the child.
        }

        return peak;
    }
}
