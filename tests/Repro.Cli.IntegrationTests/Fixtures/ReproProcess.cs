using System.Diagnostics;

namespace Repro.Cli.IntegrationTests.Fixtures;

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

    public ProcessResult Run(string workingDirectory, params string[] arguments) => RunAsync(workingDirectory, arguments).GetAwaiter().GetResult();

    public Task<ProcessResult> RunAsync(string workingDirectory, IReadOnlyList<string> arguments, TimeSpan? timeout = null) =>
        ProcessRunner.RunAsync(DotnetHost.Path, [ReproDll, .. arguments], workingDirectory, _environment, timeout ?? DefaultTimeout);

    /// <summary>Starts repro without waiting, for tests that signal it.</summary>
    public Process Start(string workingDirectory, IReadOnlyList<string> arguments) =>
        ProcessRunner.Start(DotnetHost.Path, [ReproDll, .. arguments], workingDirectory, _environment);
}
