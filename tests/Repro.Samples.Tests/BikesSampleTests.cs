using System.Text.Json.Nodes;
using Repro.Samples.Tests.Support;

namespace Repro.Samples.Tests;

public sealed class BikesSampleTests : IDisposable
{
    private const string Data = "samples/bikes/data/hour.csv";
    private const string Conf = "samples/bikes/confs/training.yaml";
    private const string Model = "outputs/bikes/train/model.zip";
    private const string Metrics = "outputs/bikes/train/metrics.json";

    private readonly ProjectCopy _first = new(Data, Conf);
    private readonly ProjectCopy _second = new(Data, Conf);

    public void Dispose()
    {
        _first.Dispose();
        _second.Dispose();
    }

    [Fact]
    public void Train_SameSeedInTwoProcesses_WritesByteIdenticalModelAndMetrics()
    {
        // Different time zones: nothing written may follow the local clock.
        Train(_first, timeZone: "UTC");
        Train(_second, timeZone: "Asia/Kathmandu");

        Assert.Equal(_first.Bytes(Model), _second.Bytes(Model));
        Assert.Equal(_first.Bytes(Metrics), _second.Bytes(Metrics));
    }

    [Fact]
    public void Train_DefaultConfiguration_BeatsTheMeanBaselineByAWideMargin()
    {
        Train(_first);

        var metrics = ReadJson(_first.File(Metrics));
        Assert.True(metrics["rmse"]!.GetValue<double>() < 0.6 * metrics["baseline_rmse"]!.GetValue<double>(), metrics.ToJsonString());
        Assert.InRange(metrics["r2"]!.GetValue<double>(), 0.8, 1);
        Assert.True(metrics["mae"]!.GetValue<double>() < metrics["rmse"]!.GetValue<double>(), metrics.ToJsonString());
        Assert.Equal(2888, metrics["test_rows"]!.GetValue<double>());
        Assert.Equal(14491, metrics["train_rows"]!.GetValue<double>());
    }

    [Fact]
    public void Train_AnotherSeed_TrainsAnotherModel()
    {
        Train(_first);
        Train(_second, ["--seed", "7"]);

        Assert.NotEqual(_first.Bytes(Model), _second.Bytes(Model));
    }

    [Fact]
    public void Evaluate_TrainedModel_ScoresTheTestPeriodAsTrainingDid()
    {
        Train(_first);

        var result = SampleProcess.Dotnet("Bikes", ["evaluate"], _first.Path);

        Assert.True(result.ExitCode == 0, result.ToString());
        var trained = ReadJson(_first.File(Metrics));
        var evaluated = ReadJson(_first.File("outputs/bikes/evaluate/metrics.json"));
        foreach (var name in new[] { "rmse", "mae", "r2", "baseline_rmse", "test_rows" })
        {
            Assert.Equal(trained[name]!.GetValue<double>(), evaluated[name]!.GetValue<double>());
        }

        var predictions = File.ReadAllLines(_first.File("outputs/bikes/evaluate/predictions.csv"));
        Assert.Equal("dteday,hr,cnt,prediction", predictions[0]);
        Assert.Equal(2889, predictions.Length);
        Assert.StartsWith("2012-09-01,0,", predictions[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_NoTrainedModel_FailsNamingTheMissingModel()
    {
        var result = SampleProcess.Dotnet("Bikes", ["evaluate"], _first.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(Model, result.Stderr, StringComparison.Ordinal);
    }

    private static void Train(ProjectCopy project, string[]? arguments = null, string timeZone = "UTC")
    {
        var result = SampleProcess.Dotnet("Bikes", ["train", .. arguments ?? []], project.Path, new Dictionary<string, string?> { ["TZ"] = timeZone });
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private static JsonObject ReadJson(string path) => JsonNode.Parse(File.ReadAllText(path))!.AsObject();
}
