using System.Diagnostics;

namespace Repro.TestInfrastructure;

/// <summary>
/// The real Python interpreters repro's Python hook is tested under: the <c>python3</c> on PATH, one that imports
/// NumPy and PyTorch (Debian's packages serve /usr/bin/python3), and pyenv's older versions.
/// </summary>
public static class PythonInterpreters
{
    /// <summary>
    /// Variables of the test host that would change what a Python child does (a hook, seeds or a run of the host's
    /// own): every child a test starts begins without them.
    /// </summary>
    public static readonly IReadOnlyList<string> HostVariablesToClear =
    [
        "PYTHONPATH", "PYTHONHASHSEED", "PYTHONSTARTUP", "PYTHONHOME", "PYTHONSAFEPATH", "PYTHONDONTWRITEBYTECODE",
        "REPRO_RUN_ID", "REPRO_RUN_DIR", "REPRO_SEED", "REPRO_PARAMS_FILE", "REPRO_METRICS_FILE",
        "REPRO_AUTOSEED_REPORT", "REPRO_AUTOSEED_ANNOUNCED", "PL_GLOBAL_SEED", "PL_SEED_WORKERS",
    ];

    /// <summary>What CI installs for these tests (.ci/run); Debian's packages serve /usr/bin/python3.</summary>
    public const string LibrariesHint = "apt-get install -y python3-torch python3-numpy (they install for /usr/bin/python3)";

    private static readonly Lazy<string?> DefaultPath = new(() => Resolve("python3"));

    private static readonly Lazy<string?> WithLibrariesPath = new(() =>
        new[] { "/usr/bin/python3", DefaultPath.Value }
            .OfType<string>()
            .Where(File.Exists)
            .Distinct(StringComparer.Ordinal)
            .FirstOrDefault(candidate => Succeeds(candidate, "-c", "import numpy, torch")));

    /// <summary>Whether CI runs these tests: a test that needs numpy and torch fails there when they are missing instead of skipping.</summary>
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>A Python 3 that imports numpy and torch, or null.</summary>
    public static string? WithLibraries => WithLibrariesPath.Value;

    /// <summary>The interpreter <c>python3</c> on PATH starts (through pyenv's shim, the real one), or null.</summary>
    public static string? Default => DefaultPath.Value;

    /// <summary>
    /// Why a test that needs numpy and torch is skipped here, or null when it runs: always in CI (CI=true), where it
    /// fails without them because CI installs them (.ci/run), and elsewhere when a Python has them.
    /// </summary>
    public static string? LibrariesSkipReason =>
        InCi || WithLibraries is not null ? null : $"No python3 imports numpy and torch: {LibrariesHint}.";

    /// <summary>A Python 3 with numpy and torch; fails the test when there is none.</summary>
    public static string RequireWithLibraries() =>
        WithLibraries ?? throw new InvalidOperationException($"No python3 imports numpy and torch: {LibrariesHint}.");

    /// <summary>The <c>python3</c> on PATH; fails the test when there is none.</summary>
    public static string RequireDefault() =>
        Default ?? throw new InvalidOperationException("No python3 on PATH.");

    /// <summary>A pyenv-installed interpreter of the given major.minor version, or null.</summary>
    public static string? Pyenv(string version)
    {
        var root = Environment.GetEnvironmentVariable("PYENV_ROOT") is { Length: > 0 } given
            ? given
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pyenv");
        var versions = Path.Combine(root, "versions");
        if (!Directory.Exists(versions))
        {
            return null;
        }

        return Directory.GetDirectories(versions, version + ".*")
            .Order(StringComparer.Ordinal)
            .Select(directory => Path.Combine(directory, "bin", "python" + version))
            .LastOrDefault(File.Exists);
    }

    private static string? Resolve(string command)
    {
        var result = Run(command, "-c", "import sys; print(sys.executable)");
        return result is { ExitCode: 0 } ? result.Value.Stdout.Trim() : null;
    }

    private static bool Succeeds(string executable, params string[] arguments) => Run(executable, arguments) is { ExitCode: 0 };

    private static (int ExitCode, string Stdout)? Run(string executable, params string[] arguments)
    {
        var start = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in HostVariablesToClear)
        {
            start.Environment.Remove(name);
        }

        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                return null;
            }

            Task.WaitAll(stdout, stderr);
            return (process.ExitCode, stdout.Result);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
