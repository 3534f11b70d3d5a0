using System.Diagnostics;
using System.Globalization;

namespace Repro.Benchmarks.Git;

/// <summary>
/// The methods of <see cref="GitCaptureBenchmarks"/> called in turn, round after round, so that a busy machine slows
/// each of them alike; prints medians and the ratios to git status. BenchmarkDotNet measures one method after the other,
/// which on a shared machine can put the load on one side only.
/// </summary>
public static class InterleavedGitCapture
{
    /// <summary>The argument that selects this mode instead of BenchmarkDotNet.</summary>
    public const string Argument = "--interleaved-git-capture";

    /// <summary>Runs <paramref name="rounds"/> rounds after two warm-up rounds and prints the table.</summary>
    public static async Task RunAsync(int rounds)
    {
        var benchmarks = new GitCaptureBenchmarks();
        benchmarks.Setup();
        try
        {
            var methods = new (string Name, Func<Task> Call)[]
            {
                ("git status --porcelain", () => Task.FromResult(benchmarks.GitStatusPorcelain())),
                ("repro GitCapture.CaptureAsync", () => benchmarks.ReproGitCapture()),
                ("LibGit2Sharp RetrieveStatus", () => Task.FromResult(benchmarks.LibGit2SharpStatus())),
            };
            var times = methods.Select(_ => new List<double>()).ToArray();
            for (var round = -2; round < rounds; round++)
            {
                for (var i = 0; i < methods.Length; i++)
                {
                    var watch = Stopwatch.StartNew();
                    await methods[i].Call();
                    if (round >= 0)
                    {
                        times[i].Add(watch.Elapsed.TotalMilliseconds);
                    }
                }
            }

            var baseline = Median(times[0]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rounds} interleaved rounds; median wall time, ratio to git status"));
            for (var i = 0; i < methods.Length; i++)
            {
                var median = Median(times[i]);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{methods[i].Name,-32} {median,8:F1} ms  {median / baseline,5:F2}"));
            }
        }
        finally
        {
            benchmarks.Cleanup();
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
