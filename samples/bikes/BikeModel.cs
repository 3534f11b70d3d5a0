using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Repro.Sdk;

namespace Bikes;

/// <summary>The pipelines the configurations choose from, and how a model is scored on the test period.</summary>
public static class BikeModel
{
    private const string Features = "Features";

    /// <summary>Every field a model may use. The calendar codes are ordered, so trees split them as numbers.</summary>
    private static readonly string[] FeatureColumns =
    [
        nameof(BikeHour.Season), nameof(BikeHour.Year), nameof(BikeHour.Month), nameof(BikeHour.Hour),
        nameof(BikeHour.Holiday), nameof(BikeHour.Weekday), nameof(BikeHour.WorkingDay), nameof(BikeHour.Weather),
        nameof(BikeHour.Temperature), nameof(BikeHour.FeelsLike), nameof(BikeHour.Humidity), nameof(BikeHour.WindSpeed),
    ];

    /// <summary>Codes a linear model cannot use as numbers (hour 23 is not 23 times hour 1): one-hot encoded for SDCA.</summary>
    private static readonly string[] CategoricalColumns =
    [
        nameof(BikeHour.Season), nameof(BikeHour.Month), nameof(BikeHour.Hour), nameof(BikeHour.Weekday), nameof(BikeHour.Weather),
    ];

    /// <summary>The pipeline for the configured trainer, seeded from the run.</summary>
    /// <param name="mlContext">A context from <c>run.CreateMLContext()</c>.</param>
    /// <param name="trainer">The configured trainer.</param>
    /// <param name="run">The run, for the trainer's own seed.</param>
    /// <returns>The estimator to fit.</returns>
    public static IEstimator<ITransformer> Pipeline(MLContext mlContext, TrainingConfiguration.TrainerSection trainer, ReproRun run)
    {
        if (trainer.FastTree is { } fastTree)
        {
            var options = new FastTreeRegressionTrainer.Options
            {
                LabelColumnName = nameof(BikeHour.Count),
                FeatureColumnName = Features,
                NumberOfTrees = fastTree.NumberOfTrees,
                NumberOfLeaves = fastTree.NumberOfLeaves,
                MinimumExampleCountPerLeaf = fastTree.MinimumExampleCountPerLeaf,
                LearningRate = fastTree.LearningRate,
                FeatureFraction = fastTree.FeatureFraction,

                // FastTree's randomness has its own seeds (defaults 123 and 123), not the MLContext's:
                // the features each tree may use come from FeatureSelectionSeed.
                Seed = run.Seeds.DeriveInt32("fasttree"),
                FeatureSelectionSeed = run.Seeds.DeriveInt32("fasttree.features"),
            };
            return mlContext.Transforms.Concatenate(Features, FeatureColumns)
                .Append(mlContext.Regression.Trainers.FastTree(options));
        }

        var sdca = trainer.Sdca ?? throw new ArgumentException("The configuration names no trainer.", nameof(trainer));
        var encoded = CategoricalColumns.Select(c => new InputOutputColumnPair($"{c}OneHot", c)).ToArray();
        var numeric = FeatureColumns.Except(CategoricalColumns, StringComparer.Ordinal);
        return mlContext.Transforms.Categorical.OneHotEncoding(encoded)
            .Append(mlContext.Transforms.Concatenate(Features, [.. numeric, .. encoded.Select(p => p.OutputColumnName)]))
            .Append(mlContext.Transforms.NormalizeMinMax(Features))
            .Append(mlContext.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options
            {
                LabelColumnName = nameof(BikeHour.Count),
                FeatureColumnName = Features,
                L2Regularization = sdca.L2Regularization,
                L1Regularization = sdca.L1Regularization,
                MaximumNumberOfIterations = sdca.MaximumNumberOfIterations,

                // SDCA's threads race on shared weights: with more than one, each training differs (docs/sdk.md).
                NumberOfThreads = 1,
            }));
    }

    /// <summary>Scores <paramref name="model"/> on the test rows, next to a baseline that always predicts the training mean.</summary>
    /// <param name="mlContext">The context.</param>
    /// <param name="model">A trained model.</param>
    /// <param name="train">The training rows (for the baseline's mean).</param>
    /// <param name="test">The test rows.</param>
    /// <returns>The metrics and the prediction for each test row, in order.</returns>
    public static Evaluation Evaluate(MLContext mlContext, ITransformer model, IReadOnlyList<BikeHour> train, IReadOnlyList<BikeHour> test)
    {
        var scored = model.Transform(mlContext.Data.LoadFromEnumerable(test));
        var metrics = mlContext.Regression.Evaluate(scored, labelColumnName: nameof(BikeHour.Count));
        var predictions = mlContext.Data.CreateEnumerable<Prediction>(scored, reuseRowObject: false).Select(p => p.Score).ToArray();

        var mean = train.Average(r => (double)r.Count);
        var baselineRmse = Math.Sqrt(test.Average(r => (r.Count - mean) * (r.Count - mean)));
        return new Evaluation(metrics.RootMeanSquaredError, metrics.MeanAbsoluteError, metrics.RSquared, baselineRmse, predictions);
    }

    /// <summary>A model's output column.</summary>
    public sealed class Prediction
    {
        /// <summary>The predicted count.</summary>
        public float Score { get; set; }
    }
}

/// <summary>How a model did on the test period.</summary>
/// <param name="Rmse">Root mean squared error, in rentals per hour.</param>
/// <param name="Mae">Mean absolute error.</param>
/// <param name="R2">Coefficient of determination.</param>
/// <param name="BaselineRmse">RMSE of always predicting the training mean.</param>
/// <param name="Predictions">The prediction for each test row, in order.</param>
public sealed record Evaluation(double Rmse, double Mae, double R2, double BaselineRmse, IReadOnlyList<float> Predictions)
{
    /// <summary>The metrics in the order they are written.</summary>
    public KeyValuePair<string, double>[] Metrics =>
        [new("rmse", Rmse), new("mae", Mae), new("r2", R2), new("baseline_rmse", BaselineRmse)];
}
