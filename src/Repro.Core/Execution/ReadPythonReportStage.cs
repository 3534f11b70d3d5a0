using System.Globalization;
using Repro.Core.AutoSeed;
using Repro.Core.Runs;

namespace Repro.Core.Execution;

/// <summary>
/// Collect: when the Python hook was on, reads what each Python process of the run reported into the manifest's
/// <c>python</c> section. A line that cannot be read, a process the hook could not seed (a Python older than 3.8, no
/// usable seed) and each thing the hook could not do become warnings, so the manifest and stderr say so.
/// </summary>
public sealed class ReadPythonReportStage : IRunStage
{
    /// <inheritdoc />
    public Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Python is not { AutoSeed: true } python)
        {
            return Task.CompletedTask;
        }

        var report = PythonReportReader.Read(run.Folder.PythonReport);
        run.Warnings.AddRange(report.Warnings);
        run.Warnings.AddRange(Warnings(report.Processes));
        run.Manifest = run.Manifest with { Python = python with { Processes = report.Processes } };
        return Task.CompletedTask;
    }

    /// <summary>One warning per interpreter the hook could not seed and per distinct thing it could not do.</summary>
    /// <param name="processes">What the run's Python processes reported.</param>
    public static IReadOnlyList<string> Warnings(IReadOnlyList<PythonProcessRecord> processes)
    {
        ArgumentNullException.ThrowIfNull(processes);
        var warnings = new List<string>();
        foreach (var group in processes.Where(process => process.Status != PythonHookStatus.Seeded)
                     .GroupBy(process => (process.Status, process.Executable, process.PythonVersion)))
        {
            var (status, executable, version) = group.Key;
            var count = group.Count();
            var who = $"Python {version ?? "of unknown version"} ({executable ?? "unknown executable"}, {count.ToString(CultureInfo.InvariantCulture)} process{(count == 1 ? string.Empty : "es")})";
            warnings.Add(status == PythonHookStatus.Unsupported
                ? $"{who} is older than {PythonHook.MinimumPython.ToString(2)}: repro's hook did not seed its generators and the program ran unseeded (docs/python.md)"
                : $"{who} found no usable {AutoSeedEnvironment.SeedVariable} (the program changed it): repro's hook seeded nothing there (docs/python.md)");
        }

        // An unsupported process's error only repeats why it was not seeded, which the warning above says.
        foreach (var error in processes.Where(process => process.Status != PythonHookStatus.Unsupported).SelectMany(process => process.Errors).Distinct(StringComparer.Ordinal))
        {
            warnings.Add($"repro's Python hook: {error}; the program went on");
        }

        return warnings;
    }
}
