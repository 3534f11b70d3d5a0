namespace Repro.Sdk.Torch;

/// <summary>How <see cref="ReproTorch.Configure"/> locks TorchSharp down.</summary>
public sealed record TorchDeterminismOptions
{
    /// <summary>
    /// Turns TF32 off for cuDNN convolutions and CUDA matmuls (default true). TF32 rounds inputs to 10 mantissa bits
    /// on Ampere and newer GPUs, so results then depend on the GPU model.
    /// </summary>
    public bool Strict { get; init; } = true;

    /// <summary>
    /// When true, an operation without a deterministic implementation only warns instead of raising
    /// (<c>torch.use_deterministic_algorithms(True, warn_only=True)</c>). Default false: it raises.
    /// </summary>
    public bool WarnOnly { get; init; }

    /// <summary>
    /// Intra-op thread count to pin with <c>torch.set_num_threads</c>; null leaves libtorch's choice (which follows
    /// <c>OMP_NUM_THREADS</c>, set by <c>repro run --threads</c>, or else the number of cores).
    /// </summary>
    public int? IntraOpThreads { get; init; }
}
