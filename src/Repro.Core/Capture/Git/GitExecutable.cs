using Repro.Core.Errors;
using Repro.Core.Processes;

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
    /// and fails with a <see cref="GitException"/> carrying git's own message when it exits non-zero.
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
        var variables = ControlledEnvironment(userConfiguration);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }

        LaunchedProcess process;
        try
        {
            process = ProcessLauncher.Start(new ProcessStart(FilePath, arguments, workingDirectory, variables) { CLocale = true });
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new GitException($"cannot start {FilePath}: {e.Message}", e);
        }

        using (process)
        {
            var stderr = ProcessOutput.ReadBoundedAsync(process.StandardError, StderrLimit);
            try
            {
                await readOutput(process.StandardOutput, cancellationToken);
                await process.WaitForExitAsync(cancellationToken);
            }
            catch
            {
                process.KillTree();
                throw;
            }

            var message = await stderr;
            if (process.ExitCode != 0)
            {
                var verb = arguments.FirstOrDefault(a => !a.StartsWith('-') && !a.Contains('=', StringComparison.Ordinal)) ?? "command";
                throw new GitException($"git {verb} failed in {workingDirectory} (exit {process.ExitCode}): {FirstLine(message)}");
            }
        }
    }

    /// <summary>
    /// Starts git in <paramref name="workingDirectory"/> with the user's configuration, keeping its standard input
    /// open for the caller to write (a query answered line by line); null when it cannot be started.
    /// </summary>
    public LaunchedProcess? TryStartWithInput(string workingDirectory, IReadOnlyList<string> arguments)
    {
        try
        {
            return ProcessLauncher.Start(new ProcessStart(FilePath, arguments, workingDirectory, ControlledEnvironment(userConfiguration: true))
            {
                CLocale = true,
                KeepStandardInput = true,
            });
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
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

    /// <summary>
    /// Runs git and returns its standard output as bytes, read with blocking reads on the calling thread: for output
    /// of megabytes. git writes through stdio in 4 KiB pieces (7.5 MB of <c>ls-files --stage</c> on 100,000 files is
    /// 1,800 writes), and each asynchronous read of a pipe is a trip through the socket engine and the thread pool,
    /// which made reading that listing take several times as long as git took to write it. A blocking read takes
    /// whatever the pipe holds at once. Only for commands that end on their own in moments (they read the index, not
    /// the working tree): cancellation is noticed when git has written everything, and then kills nothing.
    /// </summary>
    public async Task<byte[]> ReadAllBlockingAsync(
        string workingDirectory, IReadOnlyList<string> arguments, bool userConfiguration, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await RunAsync(workingDirectory, arguments, userConfiguration, (stream, ct) =>
        {
            stream.CopyTo(buffer, 256 * 1024);
            ct.ThrowIfCancellationRequested();
            return Task.CompletedTask;
        }, cancellationToken);
        return buffer.ToArray();
    }

    /// <summary>repro's own environment, less everything that could point git elsewhere or make it prompt.</summary>
    private static Dictionary<string, string> ControlledEnvironment(bool userConfiguration)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && entry.Value is string value
                && !(name.StartsWith("GIT_", StringComparison.OrdinalIgnoreCase) && !ConfigurationVariables.Contains(name, StringComparer.Ordinal)))
            {
                environment[name] = value;
            }
        }

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

        return environment;
    }

    private static string FirstLine(string message)
    {
        // git may warn before it fails; the line that says why it failed is the one to show.
        var lines = message.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        return lines.FirstOrDefault(l => l.StartsWith("fatal:", StringComparison.Ordinal) || l.StartsWith("error:", StringComparison.Ordinal))
            ?? lines.FirstOrDefault()
            ?? "no message";
    }
}
