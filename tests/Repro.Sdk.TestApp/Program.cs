using Microsoft.ML;
using Repro.Sdk;
using Repro.Sdk.MLNet;
using Repro.Sdk.TestApp;

// train-and-save MODEL SEED: trains a FastTree model in a standalone run, saves it deterministically, prints its SHA-256.
// contract: reads the run from the REPRO_* variables, derives a sub-seed, creates an MLContext and logs two metrics.
switch (args)
{
    case ["train-and-save", var modelPath, var seedText]:
    {
        var run = ReproRun.Standalone(uint.Parse(seedText, System.Globalization.CultureInfo.InvariantCulture));
        var mlContext = run.CreateMLContext();
        var rows = Training.Rows(run.Seeds.CreateRandom("data"), 500);
        var trainer = mlContext.BinaryClassification.Trainers.FastTree(numberOfLeaves: 8, numberOfTrees: 10);
        var (model, _, schema) = Training.FitAndScore(mlContext, trainer, rows);
        Console.WriteLine(DeterministicModelFile.Save(mlContext, model, schema, modelPath));
        return 0;
    }

    case ["contract"]:
    {
        var run = ReproRun.FromEnvironment();
        run.Seeds.Derive("shuffle");
        run.CreateMLContext();
        run.LogMetric("accuracy", run.Parameters.GetDouble("expected_accuracy"));
        run.LogMetrics(new Dictionary<string, double> { ["loss"] = 0.25, ["epochs"] = run.Parameters.GetInt32("epochs") });
        return 0;
    }

    default:
        Console.Error.WriteLine("usage: Repro.Sdk.TestApp train-and-save MODEL SEED | contract");
        return 2;
}
