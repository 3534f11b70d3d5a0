using System.Diagnostics;
using System.Text;

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
/// Runs a short external program to learn a fact. Every probe is expensive (a process start, tens to hundreds of
/// milliseconds) and may hang (a wedged GPU driver makes nvidia-smi block), so each runs with a timeout after which its
/// process tree is killed, and with <c>LC_ALL=C</c> so its output parses the same under any locale.
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
    /// <param name="variables">Its environment; <c>LC_ALL</c>, <c>LANG</c> and <c>LANGUAGE</c> are forced to C.</param>
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
        var startInfo = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = workingDirectory,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment.Clear();
        foreach (var (name, value) in variables)
        {
            startInfo.Environment[name] = value;
        }

        startInfo.Environment["LC_ALL"] = "C";
        startInfo.Environment["LANG"] = "C";
        startInfo.Environment["LANGUAGE"] = "C";

        using var process = new Process { StartInfo = startInfo };
        try
        {
            if (!process.Start())
            {
                return new ProbeResult(ProbeStatus.FailedToStart, -1, string.Empty, string.Empty);
            }
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or IOException or UnauthorizedAccessException)
        {
            return new ProbeResult(ProbeStatus.FailedToStart, -1, string.Empty, string.Empty);
        }

        // A probe that reads standard input must see end-of-file, not wait for a terminal.
        process.StandardInput.Close();
        var stdout = ReadBoundedAsync(process.StandardOutput);
        var stderr = ReadBoundedAsync(process.StandardError);

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
            Kill(process);
            await DrainQuietlyAsync(stdout, stderr);
            cancellationToken.ThrowIfCancellationRequested();
            return new ProbeResult(ProbeStatus.TimedOut, -1, string.Empty, string.Empty);
        }
        catch (TimeoutException)
        {
            // The program exited but a descendant still holds its output open; what it wrote is not trustworthy.
            Kill(process);
            await DrainQuietlyAsync(stdout, stderr);
            return new ProbeResult(ProbeStatus.TimedOut, -1, string.Empty, string.Empty);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the timeout and the kill.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Already gone or not ours to kill; nothing more can be done.
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

    private static async Task<string> ReadBoundedAsync(StreamReader reader)
    {
        var kept = new StringBuilder();
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            var room = MaxOutputChars - kept.Length;
            if (room > 0)
            {
                kept.Append(buffer, 0, Math.Min(read, room));
            }
        }

        return kept.ToString();
    }
}
