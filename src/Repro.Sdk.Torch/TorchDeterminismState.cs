using System.Text.Json.Nodes;

namespace Repro.Sdk.Torch;

/// <summary>The TorchSharp and libtorch state read back after <see cref="ReproTorch.Configure"/>; the report's <c>torch</c> section.</summary>
public sealed record TorchDeterminismState
{
    /// <summary>The TorchSharp assembly's version.</summary>
    public required string TorchSharpVersion { get; init; }

    /// <summary>The libtorch version TorchSharp reports (<c>torch.__version__</c>).</summary>
    public required string LibTorchVersion { get; init; }

    /// <summary>Whether a CUDA device and the CUDA backend are available.</summary>
    public required bool CudaAvailable { get; init; }

    /// <summary>Whether cuDNN is available.</summary>
    public required bool CudnnAvailable { get; init; }

    /// <summary>Number of CUDA devices; 0 without CUDA.</summary>
    public required int CudaDeviceCount { get; init; }

    /// <summary>The seed given to the CPU generator and, with CUDA, to every CUDA generator.</summary>
    public required long Seed { get; init; }

    /// <summary>The CPU generator's initial seed as libtorch reports it.</summary>
    public required long CpuInitialSeed { get; init; }

    /// <summary>Whether every CUDA generator was seeded (<c>torch.cuda.manual_seed_all</c>).</summary>
    public required bool CudaGeneratorsSeeded { get; init; }

    /// <summary><c>torch.are_deterministic_algorithms_enabled()</c>.</summary>
    public required bool DeterministicAlgorithms { get; init; }

    /// <summary><c>torch.is_deterministic_algorithms_warn_only_enabled()</c>.</summary>
    public required bool DeterministicAlgorithmsWarnOnly { get; init; }

    /// <summary><c>torch.backends.cudnn.deterministic</c>.</summary>
    public required bool CudnnDeterministic { get; init; }

    /// <summary><c>torch.backends.cudnn.benchmark</c>.</summary>
    public required bool CudnnBenchmark { get; init; }

    /// <summary><c>torch.backends.cudnn.allow_tf32</c>.</summary>
    public required bool CudnnAllowTf32 { get; init; }

    /// <summary><c>torch.backends.cuda.matmul.allow_tf32</c>.</summary>
    public required bool MatmulAllowTf32 { get; init; }

    /// <summary>Whether TF32 was turned off (<see cref="TorchDeterminismOptions.Strict"/>).</summary>
    public required bool Strict { get; init; }

    /// <summary>The intra-op thread count asked for, or null when left to libtorch.</summary>
    public required int? IntraOpThreadsRequested { get; init; }

    /// <summary><c>torch.get_num_threads()</c>.</summary>
    public required int IntraOpThreads { get; init; }

    /// <summary><c>torch.get_num_interop_threads()</c>.</summary>
    public required int InterOpThreads { get; init; }

    /// <summary>What may still break reproducibility, as given to the run's report.</summary>
    public required IReadOnlyList<string> Warnings { get; init; }

    internal JsonObject ToJson() => new()
    {
        ["torchSharpVersion"] = TorchSharpVersion,
        ["libtorchVersion"] = LibTorchVersion,
        ["cudaAvailable"] = CudaAvailable,
        ["cudnnAvailable"] = CudnnAvailable,
        ["cudaDeviceCount"] = CudaDeviceCount,
        ["seed"] = Seed,
        ["cpuInitialSeed"] = CpuInitialSeed,
        ["cudaGeneratorsSeeded"] = CudaGeneratorsSeeded,
        ["deterministicAlgorithms"] = DeterministicAlgorithms,
        ["deterministicAlgorithmsWarnOnly"] = DeterministicAlgorithmsWarnOnly,
        ["cudnnDeterministic"] = CudnnDeterministic,
        ["cudnnBenchmark"] = CudnnBenchmark,
        ["cudnnAllowTf32"] = CudnnAllowTf32,
        ["matmulAllowTf32"] = MatmulAllowTf32,
        ["strict"] = Strict,
        ["intraOpThreadsRequested"] = IntraOpThreadsRequested,
        ["intraOpThreads"] = IntraOpThreads,
        ["interOpThreads"] = InterOpThreads,
    };
}
