using Repro.Sdk.Torch.Native;
using TorchSharp;

namespace Repro.Sdk.Torch;

/// <summary>Seeds TorchSharp from the run and turns on every determinism switch libtorch has.</summary>
public static class ReproTorch
{
    /// <summary>The variable cuBLAS reads once, at initialisation, to pick deterministic workspaces.</summary>
    public const string CublasWorkspaceConfig = "CUBLAS_WORKSPACE_CONFIG";

    private static readonly Lock Gate = new();

    /// <summary>
    /// Seeds the CPU generator and, when CUDA is present, every CUDA generator with the run's seed (the same stream
    /// PyTorch's <c>torch.manual_seed(seed)</c> gives); turns deterministic algorithms on, cuDNN deterministic on and
    /// cuDNN benchmark off; in strict mode turns TF32 off for cuDNN and matmul; pins the intra-op thread count when
    /// asked. Reads every switch back into the report's <c>torch</c> section and returns it.
    /// </summary>
    /// <param name="run">The run.</param>
    /// <param name="options">Options; null for the defaults (strict, raise on non-deterministic operations).</param>
    /// <returns>The state read back.</returns>
    /// <exception cref="PlatformNotSupportedException">libtorch's determinism switches cannot be reached on this platform.</exception>
    public static TorchDeterminismState Configure(ReproRun run, TorchDeterminismOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        options ??= new TorchDeterminismOptions();
        if (options.IntraOpThreads is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.IntraOpThreads, "IntraOpThreads must be at least 1.");
        }

        lock (Gate)
        {
            long seed = run.Seed;
            torch.manual_seed(seed);
            var cudaAvailable = torch.cuda.is_available();
            if (cudaAvailable)
            {
                torch.cuda.manual_seed_all(seed);
            }

            AtenContext.SetDeterministicAlgorithms(true, options.WarnOnly);
            AtenContext.DeterministicCuDnn = true;
            AtenContext.BenchmarkCuDnn = false;
            if (options.Strict)
            {
                torch.backends.cudnn.allow_tf32 = false;
                torch.backends.cuda.matmul.allow_tf32 = false;
            }

            if (options.IntraOpThreads is { } threads)
            {
                torch.set_num_threads(threads);
            }

            var warning = CublasWarning(cudaAvailable, Environment.GetEnvironmentVariable(CublasWorkspaceConfig));
            var state = new TorchDeterminismState
            {
                TorchSharpVersion = ReproRun.AssemblyVersion(typeof(torch).Assembly),
                LibTorchVersion = torch.__version__,
                CudaAvailable = cudaAvailable,
                CudnnAvailable = cudaAvailable && torch.cuda.is_cudnn_available(),
                CudaDeviceCount = cudaAvailable ? torch.cuda.device_count() : 0,
                Seed = seed,
                CpuInitialSeed = torch.initial_seed(),
                CudaGeneratorsSeeded = cudaAvailable,
                DeterministicAlgorithms = AtenContext.DeterministicAlgorithms,
                DeterministicAlgorithmsWarnOnly = AtenContext.DeterministicAlgorithmsWarnOnly,
                CudnnDeterministic = AtenContext.DeterministicCuDnn,
                CudnnBenchmark = AtenContext.BenchmarkCuDnn,
                CudnnAllowTf32 = torch.backends.cudnn.allow_tf32,
                MatmulAllowTf32 = torch.backends.cuda.matmul.allow_tf32,
                Strict = options.Strict,
                IntraOpThreadsRequested = options.IntraOpThreads,
                IntraOpThreads = torch.get_num_threads(),
                InterOpThreads = torch.get_num_interop_threads(),
                Warnings = warning is null ? [] : [warning],
            };

            run.Report.Set("torch", state.ToJson());
            if (warning is not null)
            {
                run.Report.Warn(warning);
            }

            return state;
        }
    }

    /// <summary>
    /// A <see cref="torch.Generator"/> seeded with the run's sub-seed <paramref name="name"/>, for a random stream
    /// (dropout, data augmentation, sampling) that must not shift when other code draws from the global generator.
    /// </summary>
    /// <param name="run">The run.</param>
    /// <param name="name">Sub-seed name; recorded in the report.</param>
    /// <param name="device">Device of the generator; null for the CPU.</param>
    /// <returns>A new generator.</returns>
    public static torch.Generator CreateGenerator(ReproRun run, string name, torch.Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new torch.Generator(run.Seeds.Derive(name), device);
    }

    internal static string? CublasWarning(bool cudaAvailable, string? cublasWorkspaceConfig) =>
        cudaAvailable && string.IsNullOrEmpty(cublasWorkspaceConfig)
            ? $"CUDA is in use but {CublasWorkspaceConfig} was not set before the process started: cuBLAS may choose non-deterministic reductions, and deterministic mode makes CUDA matmuls fail. Start the entry point with `repro run`, or export {CublasWorkspaceConfig}=:4096:8."
            : null;
}
