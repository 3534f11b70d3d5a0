using System.Diagnostics;
using System.Globalization;
using Repro.Core.Store;

namespace Repro.Benchmarks.Runs;

/// <summary>
/// <c>repro list</c> end to end, process start included, on the store of <see cref="RunListingBenchmarks"/>: each
/// round starts the built CLI once per case, in turn, so a busy machine slows every case alike, and prints the median,
/// the fastest and the slowest wall time. The in-process cost of the same work is timed in the same rounds.
/// </summary>
public static class ListCommandTiming
{
    /// <summary>The argument that selects this mode: <c>--list-timing REPRO_DLL [ROUNDS]</c>.</summary>
    public const string Argument = "--list-timing";

    /// <summary>Times every case for <paramref name="rounds"/> rounds after one warm-up round.</summary>
    /// <param name="reproDll">The built repro.dll (Release).</param>
    /// <param name="rounds">Measured rounds.</param>
    public static void Run(string reproDll, int rounds)
    {
        if (!File.Exists(reproDll))
        {
            throw new FileNotFoundException($"build repro first: {reproDll} does not exist", reproDll);
        }

        var benchmarks = new RunListingBenchmarks();
        var made = Stopwatch.StartNew();
        benchmarks.Setup();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"store of {RunListingBenchmarks.RunCount} runs made in {made.Elapsed.TotalSeconds:F1} s: {benchmarks.Store.Root}"));
        try
        {
            var store = benchmarks.Store.Root;
            var cases = new (string Name, Action Call)[]
            {
                ("repro --version (process start only)", () => Repro(reproDll, "--version")),
                ("repro list (index warm)", () => Repro(reproDll, "list", "--store", store)),
                ("repro list --limit 20 (index warm)", () => Repro(reproDll, "list", "--limit", "20", "--store", store)),
                ("repro list --json (index warm)", () => Repro(reproDll, "list", "--json", "--store", store)),
                ("repro list (index deleted: rebuild)", () =>
                {
                    benchmarks.DeleteIndex();
                    Repro(reproDll, "list", "--store", store);
                }),
                ("RunIndex.Synchronize+Query (warm)", () => benchmarks.SynchronizeAndQuery()),
                ("RunIndex.Synchronize+Query (rebuild)", () =>
                {
                    benchmarks.DeleteIndex();
                    benchmarks.RebuildAndQuery();
                }),
            };
            var times = cases.Select(_ => new List<double>()).ToArray();
            for (var round = -1; round < rounds; round++)
            {
                for (var i = 0; i < cases.Length; i++)
                {
                    var watch = Stopwatch.StartNew();
                    cases[i].Call();
                    if (round >= 0)
                    {
                        times[i].Add(watch.Elapsed.TotalMilliseconds);
                    }
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rounds} interleaved rounds, wall time in ms (the rebuild cases include deleting the index)"));
            Console.WriteLine($"{"case",-40} {"median",8} {"min",8} {"max",8}");
            for (var i = 0; i < cases.Length; i++)
            {
                var sorted = times[i].Order().ToList();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{cases[i].Name,-40} {Median(sorted),8:F1} {sorted[0],8:F1} {sorted[^1],8:F1}"));
            }
        }
        finally
        {
            benchmarks.Cleanup();
        }
    }

    private static void Repro(string reproDll, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        startInfo.ArgumentList.Add(reproDll);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var length = 0L;
        var buffer = new char[65536];
        int read;
        while ((read = process.StandardOutput.Read(buffer, 0, buffer.Length)) > 0)
        {
            length += read;
        }

        process.WaitForExit();
        if (process.ExitCode != 0 || length == 0)
        {
            throw new InvalidOperationException($"repro {string.Join(' ', arguments)} exited {process.ExitCode}: {stderr.Result}");
        }
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}
