using System.Globalization;
using BenchmarkDotNet.Running;
using Repro.Benchmarks.Git;
using Repro.Benchmarks.Runs;

namespace Repro.Benchmarks;

/// <summary>
/// Entry point: every benchmark class in this assembly, chosen with BenchmarkDotNet's <c>--filter</c>; or
/// <c>--interleaved-git-capture [ROUNDS]</c> for the git capture comparison measured round by round; or
/// <c>--list-timing REPRO_DLL [ROUNDS]</c> for <c>repro list</c> on 10,000 runs, process start included; or
/// <c>--make-store DIR [RUNS]</c> to keep such a store for timing by hand.
/// </summary>
public static class Program
{
    /// <summary>Runs the benchmarks the arguments select.</summary>
    public static async Task Main(string[] args)
    {
        if (args.Length > 0 && args[0] == InterleavedGitCapture.Argument)
        {
            await InterleavedGitCapture.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30);
            return;
        }

        if (args.Length > 1 && args[0] == ListCommandTiming.Argument)
        {
            ListCommandTiming.Run(args[1], args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 15);
            return;
        }

        if (args.Length > 1 && args[0] == SyntheticStore.Argument)
        {
            SyntheticStore.Create(args[1], args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : RunListingBenchmarks.RunCount);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
