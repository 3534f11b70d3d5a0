using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Repro.Benchmarks;

/// <summary>
/// For benchmarks whose one call takes a tenth of a second or more and whose setup is expensive (a large repository,
/// a store of 10,000 runs): run in this process, one call per iteration, 3 warm-up and 20 measured iterations.
/// </summary>
public sealed class OneCallPerIterationConfig : ManualConfig
{
    /// <summary>Adds the job.</summary>
    public OneCallPerIterationConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithWarmupCount(3)
            .WithIterationCount(20));
    }
}
