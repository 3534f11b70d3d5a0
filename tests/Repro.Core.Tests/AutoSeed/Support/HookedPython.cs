using System.Diagnostics;
using System.Globalization;
using System.Text;
using Repro.Core.AutoSeed;

namespace Repro.Core.Tests.AutoSeed.Support;

/// <summary>How a Python child is started.</summary>
public enum SeedMode
{
    /// <summary>As repro will start it: REPRO_SEED and PYTHONHASHSEED (as today) plus the hook's variables.</summary>
    Hooked,

    /// <summary>As repro starts it today: REPRO_SEED and PYTHONHASHSEED, no hook.</summary>
    Unhooked,
}

/// <summary>
/// Runs real Python interpreters with repro's hook materialised from Repro.Core into a temporary folder of its own,
/// in the environment the run pipeline will give them. Deletes the folder on dispose.
/// </summary>
public sealed class HookedPython : IDisposable
{
    private readonly TempDirectory _temp = new("autoseed");
    private int _runs;

    public HookedPython()
    {
        Hook = PythonHook.Materialize(_temp.Combine("hook"));
    }

    /// <summary>The test's own folder: the children's working directory.</summary>
    public string Directory => _temp.Path;

    /// <summary>The hook, as the run pipeline will materialise it.</summary>
    public PythonHookFolder Hook { get; }

    /// <summary>A test script shipped with the tests (AutoSeed/Scripts).</summary>
    public static string Script(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "AutoSeed", "Scripts", name);

    /// <summary>Writes a file under the test's folder and returns its path.</summary>
    public string Write(string relativePath, string content) => _temp.Write(relativePath, content);

    /// <summary>Runs <paramref name="python"/> with <paramref name="arguments"/> and waits for it.</summary>
    /// <param name="python">The interpreter.</param>
    /// <param name="mode">With or without the hook.</param>
    /// <param name="seed">The run's seed; REPRO_SEED gets it as text unless <paramref name="seedText"/> overrides it.</param>
    /// <param name="arguments">Script and arguments.</param>
    /// <param name="userPythonPath">What PYTHONPATH would hold without repro.</param>
    /// <param name="seedText">REPRO_SEED exactly, to test bad values.</param>
    /// <param name="environment">More variables the user's environment holds.</param>
    public PythonResult Run(
        string python, SeedMode mode, long seed, IEnumerable<string> arguments, string? userPythonPath = null, string? seedText = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var number = Interlocked.Increment(ref _runs).ToString(CultureInfo.InvariantCulture);
        var reportPath = System.IO.Path.Combine(Directory, $"report-{number}.jsonl");
        var start = new ProcessStartInfo(python)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Directory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in PythonInterpreters.HostVariablesToClear)
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var seedValue = seed.ToString(CultureInfo.InvariantCulture);
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        start.Environment[AutoSeedEnvironment.SeedVariable] = seedText ?? seedValue;
        start.Environment["PYTHONHASHSEED"] = seedValue;
        if (userPythonPath is not null)
        {
            start.Environment[AutoSeedEnvironment.PythonPathVariable] = userPythonPath;
        }

        if (mode == SeedMode.Hooked)
        {
            foreach (var variable in AutoSeedEnvironment.HookVariables(Hook, reportPath, userPythonPath).Concat(AutoSeedEnvironment.Switches(seed)))
            {
                start.Environment[variable.Name] = variable.Value;
            }
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{python} {string.Join(' ', start.ArgumentList)} ran for more than 5 minutes.");
        }

        Task.WaitAll(stdout, stderr);
        return new PythonResult(process.ExitCode, stdout.Result, stderr.Result, reportPath);
    }

    public void Dispose() => _temp.Dispose();
}

/// <summary>How a Python child ended, and its report.</summary>
public sealed record PythonResult(int ExitCode, string Stdout, string Stderr, string ReportPath)
{
    /// <summary>The report as repro reads it.</summary>
    public PythonReport Report => PythonReportReader.Read(ReportPath);

    /// <summary>The report's lines as written.</summary>
    public IReadOnlyList<string> ReportLines => File.Exists(ReportPath) ? File.ReadAllLines(ReportPath) : [];

    /// <summary>Standard output as "KEY rest of line" lines, by key.</summary>
    public IReadOnlyDictionary<string, string> LinesByKey() =>
        Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(line => line[..line.IndexOf(' ', StringComparison.Ordinal)], line => line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..], StringComparer.Ordinal);

    /// <summary>For assertion messages.</summary>
    public string Describe() => $"exit code {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";

    /// <summary>The lines repro's hook wrote on stderr.</summary>
    public IReadOnlyList<string> HookLines => Stderr.Split('\n').Where(line => line.StartsWith("repro: ", StringComparison.Ordinal)).ToList();

    /// <summary>Fails unless the child exited with 0.</summary>
    public PythonResult Succeeded()
    {
        Assert.True(ExitCode == 0, Describe());
        return this;
    }
}
