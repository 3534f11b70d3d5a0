using System.Diagnostics;
using System.Text;
using Repro.Core.Errors;
using Repro.Core.Execution;

namespace Repro.Core.Capture.Git;

/// <summary>
/// The <c>git</c> program, started so that nothing in repro's own environment can point it at another repository,
/// make it write the user's index, prompt, or print in another language.
/// </summary>
internal sealed class GitExecutable
{
    private const int StderrLimit = 4096;

    private static readonly Lazy<GitExecutable?> OnPathLazy = new(() => Find(System.Environment.GetEnvironmentVariable("PATH")));

    // Variables that only say which configuration files to read: the user's own settings (excludesFile,
    // safe.directory) should apply exactly as in their `git status`. Every other GIT_* variable can redirect
    // the repository, the index or the object store, so it is removed.
    private static readonly string[] ConfigurationVariables = ["GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_CONFIG_NOSYSTEM"];

    private GitExecutable(string path)
    {
        FilePath = path;
    }

    /// <summary>The <c>git</c> found on <c>PATH</c>, or null when there is none.</summary>
    public static GitExecutable? OnPath => OnPathLazy.Value;

    /// <summary>Absolute path of the executable.</summary>
    public string FilePath { get; }

    /// <summary>Finds <c>git</c> in a <c>PATH</c>-style list of directories.</summary>
    public static GitExecutable? Find(string? searchPath) =>
        string.IsNullOrEmpty(searchPath)
            ? null
            : ExecutableLocator.Find("git", new Dictionary<string, string> { ["PATH"] = searchPath }, System.Environment.CurrentDirectory) is { } path
                ? new GitExecutable(path)
                : null;

    /// <summary>
    /// Runs git in <paramref name="workingDirectory"/>, hands its standard output to <paramref name="readOutput"/>,
    /// and fails with a <see cref="StoreException"/> carrying git's own message when it exits non-zero.
    /// </summary>
    /// <param name="workingDirectory">Where git runs; it finds the repository from there.</param>
    /// <param name="arguments">Arguments after the executable.</param>
    /// <param name="userConfiguration">Whether the user's global and system configuration apply.</param>
    /// <param name="readOutput">Consumes standard output to its end.</param>
    /// <param name="cancellationToken">Kills git when cancelled.</param>
    /// <param name="environment">Variables to set on top of the controlled environment.</param>
    public async Task RunAsync(
        string workingDirectory,
        IReadOnlyList<string> arguments,
        bool userConfiguration,
        Func<Stream, CancellationToken, Task> readOutput,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = CreateStartInfo(workingDirectory, arguments, userConfiguration);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new StoreException($"cannot start {FilePath}: {e.Message}", e);
        }

        process.StandardInput.Close();
        var stderr = ReadLimitedAsync(process.StandardError);
        try
        {
            await readOutput(process.StandardOutput.BaseStream, cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
        }
        catch
        {
            Kill(process);
            throw;
        }

        var message = await stderr;
        if (process.ExitCode != 0)
        {
            var verb = arguments.FirstOrDefault(a => !a.StartsWith('-') && !a.Contains('=', StringComparison.Ordinal)) ?? "command";
            throw new StoreException($"git {verb} failed in {workingDirectory} (exit {process.ExitCode}): {FirstLine(message)}");
        }
    }

    /// <summary>Runs git and returns its standard output as bytes.</summary>
    public async Task<byte[]> ReadAllAsync(
        string workingDirectory, IReadOnlyList<string> arguments, bool userConfiguration, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await RunAsync(workingDirectory, arguments, userConfiguration, (stream, ct) => stream.CopyToAsync(buffer, ct), cancellationToken);
        return buffer.ToArray();
    }

    private ProcessStartInfo CreateStartInfo(string workingDirectory, IReadOnlyList<string> arguments, bool userConfiguration)
    {
        var startInfo = new ProcessStartInfo(FilePath)
        {
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var environment = startInfo.Environment;
        foreach (var name in environment.Keys.ToList())
        {
            if (name.StartsWith("GIT_", StringComparison.OrdinalIgnoreCase) && !ConfigurationVariables.Contains(name, StringComparer.Ordinal))
            {
                environment.Remove(name);
            }
        }

        environment.Remove("LANGUAGE");
        environment["LC_ALL"] = "C";
        environment["GIT_OPTIONAL_LOCKS"] = "0";
        environment["GIT_TERMINAL_PROMPT"] = "0";
        // Replace refs would make git read a different tree for HEAD than the commit id recorded and checked out later.
        environment["GIT_NO_REPLACE_OBJECTS"] = "1";
        // In a partial clone a missing blob would otherwise be fetched over the network in the middle of a capture.
        environment["GIT_NO_LAZY_FETCH"] = "1";
        if (!userConfiguration)
        {
            environment["GIT_CONFIG_GLOBAL"] = OperatingSystem.IsWindows() ? "NUL" : "/dev/null";
            environment["GIT_CONFIG_NOSYSTEM"] = "1";
            environment.Remove("GIT_CONFIG_SYSTEM");
        }

        return startInfo;
    }

    private static async Task<string> ReadLimitedAsync(StreamReader reader)
    {
        var text = new StringBuilder();
        var buffer = new char[1024];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            if (text.Length < StderrLimit)
            {
                text.Append(buffer, 0, Math.Min(read, StderrLimit - text.Length));
            }
        }

        return text.ToString();
    }

    private static string FirstLine(string message)
    {
        // git may warn before it fails; the line that says why it failed is the one to show.
        var lines = message.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        return lines.FirstOrDefault(l => l.StartsWith("fatal:", StringComparison.Ordinal) || l.StartsWith("error:", StringComparison.Ordinal))
            ?? lines.FirstOrDefault()
            ?? "no message";
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It already exited.
        }
    }
}
