using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Repro.Sdk.MLNet;
using Repro.Sdk.TestApp;

namespace Repro.Sdk.Tests.MLNet;

/// <summary>
/// Same seed, same data, two contexts: the predictions must be identical bit for bit. The thread counts are those
/// docs/sdk.md recommends; more threads than this machine has cores still run concurrently.
/// </summary>
public sealed class TrainerDeterminismTests
{
    /// <summary>Each trainer with the thread count docs/sdk.md recommends for it.</summary>
    private static readonly Dictionary<string, Func<MLContext, IEstimator<ITransformer>>> RecommendedTrainers = new()
    {
        ["FastTree, 4 threads"] = ml => ml.BinaryClassification.Trainers.FastTree(
            new FastTreeBinaryTrainer.Options { NumberOfThreads = 4, NumberOfLeaves = 8, NumberOfTrees = 20 }),
        ["SDCA, 1 thread"] = ml => ml.BinaryClassification.Trainers.SdcaLogisticRegression(
            new SdcaLogisticRegressionBinaryTrainer.Options { NumberOfThreads = 1 }),
        ["SGD, 1 thread"] = ml => ml.BinaryClassification.Trainers.SgdCalibrated(
            new SgdCalibratedTrainer.Options { NumberOfThreads = 1 }),
        ["L-BFGS, 2 threads"] = ml => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(
            new LbfgsLogisticRegressionBinaryTrainer.Options { NumberOfThreads = 2 }),
    };

    public static TheoryData<string> RecommendedTrainerNames => [.. RecommendedTrainers.Keys];

    [Theory]
    [MemberData(nameof(RecommendedTrainerNames))]
    public void Trainer_RecommendedThreadsSameSeedTwice_GivesIdenticalPredictions(string trainer) =>
        Assert.Equal(Train(RecommendedTrainers[trainer], 42), Train(RecommendedTrainers[trainer], 42));

    [Fact]
    public void FastTree_OneOrFourThreads_GivesIdenticalPredictions()
    {
        static Func<MLContext, IEstimator<ITransformer>> Trainer(int threads) => ml => ml.BinaryClassification.Trainers.FastTree(
            new FastTreeBinaryTrainer.Options { NumberOfThreads = threads, NumberOfLeaves = 8, NumberOfTrees = 20 });

        Assert.Equal(Train(Trainer(1), 42), Train(Trainer(4), 42));
    }

    [Fact]
    public void Sdca_DifferentSeeds_GivesDifferentPredictions() =>
        Assert.NotEqual(Train(RecommendedTrainers["SDCA, 1 thread"], 1), Train(RecommendedTrainers["SDCA, 1 thread"], 2));

    [Fact]
    public void CreateMLContext_SameStreamName_SeedsBothContextsAlikeAndReportsIt()
    {
        var run = ReproRun.CreateStandalone(42, null, null, _ => null, "/", TextWriter.Null);

        var first = run.CreateMLContext();
        var second = run.CreateMLContext();
        var other = run.CreateMLContext("other");

        Assert.Equal(Draw(first), Draw(second));
        Assert.NotEqual(Draw(first), Draw(other));
        var mlnet = run.Report.ToJsonObject()["mlnet"]!;
        Assert.Equal(1842317986, mlnet["contextSeeds"]!["mlnet"]!.GetValue<int>());
        Assert.NotNull(mlnet["contextSeeds"]!["other"]);
    }

    internal static int[] Train(Func<MLContext, IEstimator<ITransformer>> trainer, uint seed)
    {
        var run = ReproRun.CreateStandalone(seed, null, null, _ => null, "/", TextWriter.Null);
        var ml = run.CreateMLContext();
        var rows = Training.Rows(new Random(7), 2000);
        var scores = Training.FitAndScore(ml, trainer(ml), rows).Scores;
        return [.. scores.Select(BitConverter.SingleToInt32Bits)];
    }

    private static double[] Draw(MLContext ml)
    {
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 50).Select(i => new Item { Value = i }));
        return [.. ml.Data.CreateEnumerable<Item>(ml.Data.ShuffleRows(data), reuseRowObject: false).Select(i => (double)i.Value)];
    }

    private sealed class Item
    {
        public float Value { get; set; }
    }
}
