using System.Text.Json.Nodes;
using Repro.Samples.Tests.Support;

namespace Repro.Samples.Tests;

public sealed class TorchSampleTests : IDisposable
{
    private const string Data = "samples/bikes/data/hour.csv";

    private readonly ProjectCopy _first = new(Data);
    private readonly ProjectCopy _second = new(Data);

    public void Dispose()
    {
        _first.Dispose();
        _second.Dispose();
    }

    [Fact]
    public void Train_SameSeedInTwoProcesses_WritesByteIdenticalWeightsLossesAndMetrics()
    {
        Train(_first);
        Train(_second);

        Assert.Equal(_first.Bytes("outputs/torch/model.bin"), _second.Bytes("outputs/torch/model.bin"));
        Assert.Equal(_first.Bytes("outputs/torch/loss.csv"), _second.Bytes("outputs/torch/loss.csv"));
        Assert.Equal(_first.Bytes("outputs/torch/metrics.json"), _second.Bytes("outputs/torch/metrics.json"));
    }

    [Fact]
    public void Train_AnotherSeed_StartsFromOtherWeights()
    {
        Train(_first, "--epochs", "1");
        Train(_second, "--epochs", "1", "--seed", "7");

        Assert.NotEqual(_first.Bytes("outputs/torch/model.bin"), _second.Bytes("outputs/torch/model.bin"));
    }

    [Fact]
    public void Train_Defaults_LearnsMoreThanTheMeanBaseline()
    {
        Train(_first);

        var metrics = JsonNode.Parse(File.ReadAllText(_first.File("outputs/torch/metrics.json")))!.AsObject();
        Assert.True(metrics["rmse"]!.GetValue<double>() < 0.6 * metrics["baseline_rmse"]!.GetValue<double>(), metrics.ToJsonString());
        Assert.Equal(16, File.ReadAllLines(_first.File("outputs/torch/loss.csv")).Length);
    }

    private static void Train(ProjectCopy project, params string[] arguments)
    {
        var result = SampleProcess.Dotnet("TorchSample", arguments, project.Path);
        Assert.True(result.ExitCode == 0, result.ToString());
    }
}
