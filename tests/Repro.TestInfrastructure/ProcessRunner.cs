using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Repro.TestInfrastructure;

/// <summary>How a program a test ran ended.</summary>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="Stdout">Standard output, as UTF-8 text.</param>
/// <param name="Stderr">Standard error, as UTF-8 text.</param>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>How the result reads in an assertion message.</summary>
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>
/// Runs the programs tests need (git, python3, dotnet, sha256sum) as child processes: arguments without a shell,
/// both streams captured, and an environment that is the test host's own with the given changes.
/// </summary>
public static class ProcessRunner
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Starts <paramref name="fileName"/> (found on PATH when not a path) without waiting for it.</summary>
    /// <param name="fileName">The program.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="workingDirectory">Where it runs.</param>
    /// <param name="environment">Variables to set; a null value removes the variable.</param>
    /// <returns>The started process, with standard input closed and both output streams redirected.</returns>
    public static Process Start(string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"{fileName} did not start");
        process.StandardInput.Close();
        return process;
    }

    /// <summary>Runs a program to its end and returns how it ended, whatever its exit code.</summary>
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null)
    {
        var argumentList = arguments.ToList();
        using var process = Start(fileName, argumentList, workingDirectory, environment);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', argumentList)} did not finish in time");
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs a program to its end and returns how it ended, whatever its exit code.</summary>
    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null) =>
        RunAsync(fileName, arguments, workingDirectory, environment).GetAwaiter().GetResult();

    /// <summary>Runs a program that must succeed and returns its standard output; a non-zero exit fails with its standard error.</summary>
    public static string RunChecked(string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var argumentList = arguments.ToList();
        var result = Run(fileName, argumentList, workingDirectory, environment);
        return result.ExitCode == 0
            ? result.Stdout
            : throw new InvalidOperationException($"{fileName} {string.Join(' ', argumentList)} failed ({result.ExitCode}): {result.Stderr}");
    }

    /// <summary>Runs a program that must succeed and returns its standard output as bytes (for binary output such as patches).</summary>
    public static byte[] RunCheckedBytes(string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var argumentList = arguments.ToList();
        using var process = Start(fileName, argumentList, workingDirectory, environment);
        using var output = new MemoryStream();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.BaseStream.CopyTo(output);
        process.WaitForExit();
        return process.ExitCode == 0
            ? output.ToArray()
            : throw new InvalidOperationException($"{fileName} {string.Join(' ', argumentList)} failed ({process.ExitCode}): {stderr.Result}");
    }

    /// <summary>Like <see cref="RunChecked"/>, but null when the program is not installed.</summary>
    public static string? TryRunChecked(string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null)
    {
        try
        {
            return RunChecked(fileName, arguments, workingDirectory, environment);
        }
        catch (Win32Exception)
        {
            return null;
        }
    }
}
