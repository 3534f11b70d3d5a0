using Microsoft.ML;
using Microsoft.ML.Data;

namespace Repro.Sdk.TestApp;

/// <summary>Synthetic binary classification data and the trainings the determinism tests repeat.</summary>
public static class Training
{
    /// <summary>Number of features per row.</summary>
    public const int FeatureCount = 8;

    /// <summary>Rows drawn from <paramref name="random"/>: a noisy non-linear rule over the features.</summary>
    public static List<Row> Rows(Random random, int count)
    {
        var rows = new List<Row>(count);
        for (var i = 0; i < count; i++)
        {
            var features = new float[FeatureCount];
            for (var j = 0; j < FeatureCount; j++)
            {
                features[j] = (float)((random.NextDouble() * 2) - 1);
            }

            var signal = features[0] + (0.5f * features[1]) - (features[2] * features[3]) + (float)(random.NextDouble() * 0.2);
            rows.Add(new Row { Features = features, Label = signal > 0 });
        }

        return rows;
    }

    /// <summary>Trains <paramref name="estimator"/> on <paramref name="rows"/> and returns the model with its scores on them.</summary>
    public static (ITransformer Model, float[] Scores, DataViewSchema Schema) FitAndScore(
        MLContext mlContext, IEstimator<ITransformer> estimator, IEnumerable<Row> rows)
    {
        var data = mlContext.Data.LoadFromEnumerable(rows);
        var model = estimator.Fit(data);
        return (model, Scores(mlContext, model, data), data.Schema);
    }

    /// <summary>The model's scores on <paramref name="data"/>, in row order.</summary>
    public static float[] Scores(MLContext mlContext, ITransformer model, IDataView data) =>
        [.. mlContext.Data.CreateEnumerable<Prediction>(model.Transform(data), reuseRowObject: false).Select(p => p.Score)];

    /// <summary>One example.</summary>
    public sealed class Row
    {
        /// <summary>Feature vector.</summary>
        [VectorType(FeatureCount)]
        public float[] Features { get; set; } = [];

        /// <summary>Class.</summary>
        public bool Label { get; set; }
    }

    /// <summary>A model's output.</summary>
    public sealed class Prediction
    {
        /// <summary>Raw score.</summary>
        public float Score { get; set; }
    }
}
