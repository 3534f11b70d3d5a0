using System.Diagnostics;
using System.Text;

namespace Repro.Cli.Tests.Fixtures;

/// <summary>The result of one invocation of the built repro CLI.</summary>
public sealed record ReproResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>
/// Runs the real, built <c>repro</c> (repro.dll next to the test assembly) as a child process with an environment the
/// test controls: no user git config, C locale, UTC, a private HOME.
/// </summary>
public sealed class ReproProcess
{
    private static readonly string ReproDll = Path.Combine(AppContext.BaseDirectory, "repro.dll");
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, string?> _environment = new(StringComparer.Ordinal);

    public ReproProcess(string home)
    {
        _environment["HOME"] = home;
        _environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        _environment["GIT_CONFIG_NOSYSTEM"] = "1";
        _environment["LC_ALL"] = "C";
        _environment["LANG"] = "C";
        _environment["TZ"] = "UTC";
        _environment["REPRO_STORE"] = null;
        _environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        _environment["DOTNET_NOLOGO"] = "1";
    }

    /// <summary>Sets (or, with null, removes) a variable in repro's environment.</summary>
    public ReproProcess With(string name, string? value)
    {
        _environment[name] = value;
        return this;
    }

    public ReproResult Run(string workingDirectory, params string[] arguments) => RunAsync(workingDirectory, arguments).GetAwaiter().GetResult();

    public async Task<ReproResult> RunAsync(string workingDirectory, IReadOnlyList<string> arguments, TimeSpan? timeout = null)
    {
        using var process = Start(workingDirectory, arguments);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"repro {string.Join(' ', arguments)} did not finish in time");
        }

        return new ReproResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts repro without waiting, for tests that signal it.</summary>
    public Process Start(string workingDirectory, IReadOnlyList<string> arguments)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        startInfo.ArgumentList.Add(ReproDll);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in _environment)
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

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start dotnet");
        process.StandardInput.Close();
        return process;
    }
}
