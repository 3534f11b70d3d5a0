using Repro.Sdk.Torch.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Sdk.Torch.Tests;

public sealed class ReproTorchTests
{
    [Fact]
    public void Configure_Seed42_GivesPyTorchsRandnValues()
    {
        ReproTorch.Configure(Run(42));

        // torch.manual_seed(42); torch.randn(3) in PyTorch prints tensor([0.3367, 0.1288, 0.2345]).
        Assert.Equal([0.33669037f, 0.1288094f, 0.23446237f], randn(3).data<float>().ToArray());
    }

    [Fact]
    public void Configure_Defaults_ReadsEverySwitchBackAsSet()
    {
        var run = Run(7);

        var state = ReproTorch.Configure(run);

        Assert.True(state.DeterministicAlgorithms);
        Assert.False(state.DeterministicAlgorithmsWarnOnly);
        Assert.True(state.CudnnDeterministic);
        Assert.False(state.CudnnBenchmark);
        Assert.False(state.CudnnAllowTf32);
        Assert.False(state.MatmulAllowTf32);
        Assert.Equal(7, state.Seed);
        Assert.Equal(7, state.CpuInitialSeed);
        Assert.Equal("0.107.0", state.TorchSharpVersion);
        Assert.Equal("2.10.0.0", state.LibTorchVersion);
        Assert.Equal(cuda.is_available(), state.CudaAvailable);
        Assert.Equal(state.CudaAvailable, state.CudaGeneratorsSeeded);
    }

    [Fact]
    public void Configure_Defaults_WritesTheTorchSectionOfTheReport()
    {
        var run = Run(7);

        var state = ReproTorch.Configure(run);

        var torchSection = run.Report.ToJsonObject()["torch"]!;
        Assert.True(torchSection["deterministicAlgorithms"]!.GetValue<bool>());
        Assert.True(torchSection["cudnnDeterministic"]!.GetValue<bool>());
        Assert.False(torchSection["cudnnBenchmark"]!.GetValue<bool>());
        Assert.False(torchSection["cudnnAllowTf32"]!.GetValue<bool>());
        Assert.False(torchSection["matmulAllowTf32"]!.GetValue<bool>());
        Assert.Equal("0.107.0", torchSection["torchSharpVersion"]!.GetValue<string>());
        Assert.Equal(state.IntraOpThreads, torchSection["intraOpThreads"]!.GetValue<int>());
        Assert.Equal(state.CudaAvailable, torchSection["cudaAvailable"]!.GetValue<bool>());
    }

    [Fact]
    public void Configure_WarnOnly_ReadsWarnOnlyBack()
    {
        try
        {
            var state = ReproTorch.Configure(Run(1), new TorchDeterminismOptions { WarnOnly = true });

            Assert.True(state.DeterministicAlgorithms);
            Assert.True(state.DeterministicAlgorithmsWarnOnly);
        }
        finally
        {
            ReproTorch.Configure(Run(1));
        }
    }

    [Fact]
    public void Configure_IntraOpThreads_PinsTheThreadCount()
    {
        var threads = get_num_threads();
        try
        {
            var state = ReproTorch.Configure(Run(1), new TorchDeterminismOptions { IntraOpThreads = 1 });

            Assert.Equal(1, state.IntraOpThreads);
            Assert.Equal(1, state.IntraOpThreadsRequested);
            Assert.Equal(1, get_num_threads());
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    [Fact]
    public void Configure_DeterministicAlgorithms_ReachTheLibtorchTorchSharpUses()
    {
        ReproTorch.Configure(Run(1));

        // With deterministic algorithms on, libtorch fills "uninitialised" float memory with NaN: proof that the
        // switch set through AtenContext is the one TorchSharp's operations read.
        Assert.All(empty(4096).data<float>().ToArray(), value => Assert.True(float.IsNaN(value)));
    }

    [Fact]
    public void NativeSwitches_SetThenGet_RoundTrip()
    {
        try
        {
            AtenContext.SetDeterministicAlgorithms(false, false);
            AtenContext.DeterministicCuDnn = false;
            AtenContext.BenchmarkCuDnn = true;
            Assert.False(AtenContext.DeterministicAlgorithms);
            Assert.False(AtenContext.DeterministicCuDnn);
            Assert.True(AtenContext.BenchmarkCuDnn);

            AtenContext.SetDeterministicAlgorithms(true, true);
            AtenContext.DeterministicCuDnn = true;
            AtenContext.BenchmarkCuDnn = false;
            Assert.True(AtenContext.DeterministicAlgorithms);
            Assert.True(AtenContext.DeterministicAlgorithmsWarnOnly);
            Assert.True(AtenContext.DeterministicCuDnn);
            Assert.False(AtenContext.BenchmarkCuDnn);
        }
        finally
        {
            ReproTorch.Configure(Run(1));
        }
    }

    [Fact]
    public void TrainMlp_SameSeedTwice_GivesBitIdenticalParameters() =>
        Assert.Equal(TrainMlp(42), TrainMlp(42));

    [Fact]
    public void TrainMlp_DifferentSeeds_GiveDifferentParameters() =>
        Assert.NotEqual(TrainMlp(42), TrainMlp(43));

    [Fact]
    public void CreateGenerator_SameName_RepeatsTheStreamAndIsReported()
    {
        var run = Run(42);

        var first = randn([4], generator: ReproTorch.CreateGenerator(run, "dropout")).data<float>().ToArray();
        var second = randn([4], generator: ReproTorch.CreateGenerator(run, "dropout")).data<float>().ToArray();
        var other = randn([4], generator: ReproTorch.CreateGenerator(run, "augment")).data<float>().ToArray();

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
        Assert.NotNull(run.Report.ToJsonObject()["subSeeds"]!["dropout"]);
    }

    [Fact]
    public void CublasWarning_CudaWithoutWorkspaceConfig_Warns() =>
        Assert.Contains("CUBLAS_WORKSPACE_CONFIG was not set before the process started", ReproTorch.CublasWarning(true, null), StringComparison.Ordinal);

    [Theory]
    [InlineData(true, ":4096:8")]
    [InlineData(false, null)]
    public void CublasWarning_ConfigSetOrNoCuda_IsSilent(bool cudaAvailable, string? config) =>
        Assert.Null(ReproTorch.CublasWarning(cudaAvailable, config));

    private static ReproRun Run(uint seed) => ReproRun.Standalone(seed);

    /// <summary>A 8-16-1 MLP fitted by SGD for 50 steps on data from a named generator; every parameter's bits.</summary>
    private static int[] TrainMlp(uint seed)
    {
        var run = Run(seed);
        ReproTorch.Configure(run);
        using var scope = NewDisposeScope();
        var data = ReproTorch.CreateGenerator(run, "data");
        var x = randn([64, 8], generator: data);
        var y = x.sum(1, keepdim: true).sin();
        var model = nn.Sequential(("hidden", nn.Linear(8, 16)), ("relu", nn.ReLU()), ("out", nn.Linear(16, 1)));
        var optimizer = optim.SGD(model.parameters(), learningRate: 0.05);
        for (var step = 0; step < 50; step++)
        {
            optimizer.zero_grad();
            var batch = randperm(64, generator: data)[..16];
            nn.functional.mse_loss(model.forward(x[batch]), y[batch]).backward();
            optimizer.step();
        }

        return [.. model.parameters().SelectMany(p => p.data<float>().ToArray()).Select(BitConverter.SingleToInt32Bits)];
    }
}
