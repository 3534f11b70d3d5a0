using System.Globalization;
using BenchmarkDotNet.Running;
using Repro.Benchmarks.Git;

namespace Repro.Benchmarks;

/// <summary>
/// Entry point: every benchmark class in this assembly, chosen with BenchmarkDotNet's <c>--filter</c>; or
/// <c>--interleaved-git-capture [ROUNDS]</c> for the git capture comparison measured round by round.
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

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
