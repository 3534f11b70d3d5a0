using System.ComponentModel;
using System.Text;
using Repro.Core.Processes;

namespace Repro.Core.Environments.Python;

/// <summary>How a Python tool (the interpreter probe, venv, pip) ended.</summary>
/// <param name="ExitCode">Its exit code; -1 when it could not be started.</param>
/// <param name="Stdout">Its standard output (up to <see cref="PythonProcess.MaxStdoutChars"/> characters).</param>
/// <param name="LastLines">The last non-empty lines of both streams together, for error messages.</param>
internal sealed record PythonProcessResult(int ExitCode, string Stdout, IReadOnlyList<string> LastLines)
{
    /// <summary>Whether it exited with 0.</summary>
    public bool Succeeded => ExitCode == 0;
}

/// <summary>
/// Runs an interpreter or pip through <see cref="ProcessLauncher"/> (arguments without a shell, an environment given in
/// full, standard input closed), with both streams read line by line: every line goes to an optional observer and the last few are kept to explain a failure.
/// Cancelling kills the whole process tree (pip starts build backends).
/// </summary>
internal static class PythonProcess
{
    /// <summary>Standard output kept in full up to this size; <c>pip list</c> and <c>pip freeze</c> stay far below it.</summary>
    public const int MaxStdoutChars = 8 * 1024 * 1024;

    private const int KeptLines = 12;

    /// <summary>Runs <paramref name="executable"/> to completion.</summary>
    /// <param name="executable">Absolute path of the program.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="workingDirectory">Its working directory.</param>
    /// <param name="variables">Its whole environment.</param>
    /// <param name="onLine">Receives every output line as it comes; may be null.</param>
    /// <param name="cancellationToken">Kills the process tree.</param>
    public static async Task<PythonProcessResult> RunAsync(
        string executable,
        IReadOnlyList<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string> variables,
        Action<string>? onLine,
        CancellationToken cancellationToken)
    {
        LaunchedProcess process;
        try
        {
            process = ProcessLauncher.Start(new ProcessStart(executable, arguments, workingDirectory, variables));
        }
        catch (Exception e) when (e is Win32Exception or IOException or UnauthorizedAccessException)
        {
            return new PythonProcessResult(-1, string.Empty, [$"{executable} could not be started: {e.Message}"]);
        }

        using var started = process;
        var tail = new Queue<string>();
        var stdout = new StringBuilder();
        var gate = new object();
        void Keep(string line)
        {
            onLine?.Invoke(line);
            if (line.Trim().Length == 0)
            {
                return;
            }

            lock (gate)
            {
                tail.Enqueue(line.TrimEnd());
                if (tail.Count > KeptLines)
                {
                    tail.Dequeue();
                }
            }
        }

        var readOut = ReadLinesAsync(process.StandardOutput, line =>
        {
            if (stdout.Length < MaxStdoutChars)
            {
                stdout.Append(line).Append('\n');
            }

            Keep(line);
        });
        var readErr = ReadLinesAsync(process.StandardError, Keep);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
            await Task.WhenAll(readOut, readErr);
        }
        catch (OperationCanceledException)
        {
            process.KillTree();
            throw;
        }

        lock (gate)
        {
            return new PythonProcessResult(process.ExitCode, stdout.ToString(), [.. tail]);
        }
    }

    private static async Task ReadLinesAsync(Stream stream, Action<string> onLine)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
        while (await reader.ReadLineAsync() is { } line)
        {
            onLine(line);
        }
    }
}
