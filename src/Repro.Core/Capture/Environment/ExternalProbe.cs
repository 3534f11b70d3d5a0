using Repro.Core.Processes;

namespace Repro.Core.Capture.Environment;

/// <summary>How an external probe ended.</summary>
internal enum ProbeStatus
{
    /// <summary>The program ran to completion; see the exit code.</summary>
    Exited,

    /// <summary>The program did not finish in time and its process tree was killed.</summary>
    TimedOut,

    /// <summary>The program could not be started.</summary>
    FailedToStart,
}

/// <summary>What an external probe produced.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="ExitCode">Its exit code when it exited, otherwise -1.</param>
/// <param name="Stdout">Standard output, at most <see cref="ExternalProbe.MaxOutputChars"/> characters.</param>
/// <param name="Stderr">Standard error, at most <see cref="ExternalProbe.MaxOutputChars"/> characters.</param>
internal sealed record ProbeResult(ProbeStatus Status, int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Whether the program exited with 0.</summary>
    public bool Succeeded => Status == ProbeStatus.Exited && ExitCode == 0;

    /// <summary>A few words for a warning: "timed out after 10 s", "exited with 3", "could not be started".</summary>
    public string Describe(TimeSpan timeout) => Status switch
    {
        ProbeStatus.TimedOut => $"timed out after {timeout.TotalSeconds:0.#} s",
        ProbeStatus.FailedToStart => "could not be started",
        _ => $"exited with {ExitCode}",
    };
}

/// <summary>
/// Runs a short external program to learn a fact, through <see cref="ProcessLauncher"/>. Every probe is expensive (a
/// process start, tens to hundreds of milliseconds) and may hang (a wedged GPU driver makes nvidia-smi block), so each
/// runs with a timeout after which its process tree is killed, and with <c>LC_ALL=C</c> so its output parses the same
/// under any locale.
/// </summary>
internal static class ExternalProbe
{
    /// <summary>Output beyond this many characters per stream is read and dropped, so a runaway program cannot exhaust memory.</summary>
    public const int MaxOutputChars = 256 * 1024;

    private static readonly TimeSpan DrainAfterKill = TimeSpan.FromSeconds(2);

    /// <summary>Runs <paramref name="executable"/> and collects its output.</summary>
    /// <param name="executable">Absolute path of the program.</param>
    /// <param name="arguments">Its arguments, passed without a shell.</param>
    /// <param name="workingDirectory">Its working directory.</param>
    /// <param name="variables">Its environment; the locale is forced to C (<see cref="ProcessStart.CLocale"/>).</param>
    /// <param name="timeout">How long it may run.</param>
    /// <param name="cancellationToken">Cancels the probe and kills the program.</param>
    /// <returns>Its outcome; starting failures and timeouts are outcomes, not exceptions.</returns>
    public static async Task<ProbeResult> RunAsync(
        string executable,
        IReadOnlyList<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string> variables,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        LaunchedProcess process;
        try
        {
            process = ProcessLauncher.Start(new ProcessStart(executable, arguments, workingDirectory, variables) { CLocale = true });
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or IOException or UnauthorizedAccessException)
        {
            return new ProbeResult(ProbeStatus.FailedToStart, -1, string.Empty, string.Empty);
        }

        using (process)
        {
            var stdout = ProcessOutput.ReadBoundedAsync(process.StandardOutput, MaxOutputChars);
            var stderr = ProcessOutput.ReadBoundedAsync(process.StandardError, MaxOutputChars);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
                await Task.WhenAll(stdout, stderr).WaitAsync(DrainAfterKill, CancellationToken.None);
                return new ProbeResult(ProbeStatus.Exited, process.ExitCode, await stdout, await stderr);
            }
            catch (OperationCanceledException)
            {
                process.KillTree();
                await DrainQuietlyAsync(stdout, stderr);
                cancellationToken.ThrowIfCancellationRequested();
                return new ProbeResult(ProbeStatus.TimedOut, -1, string.Empty, string.Empty);
            }
            catch (TimeoutException)
            {
                // The program exited but a descendant still holds its output open; what it wrote is not trustworthy.
                process.KillTree();
                await DrainQuietlyAsync(stdout, stderr);
                return new ProbeResult(ProbeStatus.TimedOut, -1, string.Empty, string.Empty);
            }
        }
    }

    // Waits briefly for the readers to see end-of-file so they finish before the process object is disposed.
    private static async Task DrainQuietlyAsync(Task<string> stdout, Task<string> stderr)
    {
        var readers = Task.WhenAll(stdout, stderr);
        await Task.WhenAny(readers, Task.Delay(DrainAfterKill));
        if (readers.IsFaulted)
        {
            _ = readers.Exception;
        }
    }
}
