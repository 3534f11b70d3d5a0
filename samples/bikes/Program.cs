using System.Globalization;
using System.Text;
using Bikes;
using Repro.Sdk;
using Repro.Sdk.MLNet;

// Bikes train|evaluate [--conf PATH] [--seed N]: see README.md.

try
{
    return args switch
    {
        ["train", .. var rest] => Train(Options.Parse(rest)),
        ["evaluate", .. var rest] => Evaluate(Options.Parse(rest)),
        ["--help" or "-h"] => Help(),
        _ => throw new ArgumentException(Options.Usage),
    };
}
catch (Exception e) when (e is ArgumentException or InvalidDataException or FileNotFoundException or ReproSdkException)
{
    Console.Error.WriteLine($"bikes: {e.Message}");
    return 2;
}

static int Help()
{
    Console.WriteLine(Options.Usage);
    return 0;
}

static int Train(Options options)
{
    var conf = TrainingConfiguration.Load(options.Conf, options.Conf);
    var run = Start(options, conf.Outputs.Train);
    var (train, test) = Split(conf);

    var mlContext = run.CreateMLContext();
    var trainingData = mlContext.Data.LoadFromEnumerable(train);
    var model = BikeModel.Pipeline(mlContext, conf.Trainer, run).Fit(trainingData);
    var modelPath = Path.Combine(conf.Outputs.Train, "model.zip");
    var sha256 = DeterministicModelFile.Save(mlContext, model, trainingData.Schema, modelPath);

    var evaluation = BikeModel.Evaluate(mlContext, model, train, test);
    run.LogMetrics([.. evaluation.Metrics, new("train_rows", train.Count), new("test_rows", test.Count)]);
    Report(run, evaluation);
    Console.WriteLine($"model: {modelPath} (sha256 {sha256})");
    return 0;
}

static int Evaluate(Options options)
{
    var conf = TrainingConfiguration.Load(options.Conf, options.Conf);
    var modelPath = Path.Combine(conf.Outputs.Train, "model.zip");
    if (!File.Exists(modelPath))
    {
        throw new FileNotFoundException($"{modelPath}: no model; train one first (Bikes train, or the main entry point).", modelPath);
    }

    var run = Start(options, conf.Outputs.Evaluate);
    var (train, test) = Split(conf);
    var mlContext = run.CreateMLContext();
    var model = mlContext.Model.Load(modelPath, out _);
    var evaluation = BikeModel.Evaluate(mlContext, model, train, test);

    var predictions = new StringBuilder("dteday,hr,cnt,prediction\n");
    for (var i = 0; i < test.Count; i++)
    {
        predictions.Append(CultureInfo.InvariantCulture, $"{test[i].Date},{test[i].Hour},{test[i].Count},{evaluation.Predictions[i]}\n");
    }

    var predictionsPath = Path.Combine(conf.Outputs.Evaluate, "predictions.csv");
    Directory.CreateDirectory(conf.Outputs.Evaluate);
    File.WriteAllText(predictionsPath, predictions.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

    run.LogMetrics([.. evaluation.Metrics, new("test_rows", test.Count)]);
    Report(run, evaluation);
    Console.WriteLine($"predictions: {predictionsPath}");
    return 0;
}

// Under repro the seed is REPRO_SEED and metrics go to the entry point's declared file; standalone, metrics.json
// and sdk.json go to the output folder. A metrics file left by an earlier run is removed: the SDK merges into it.
static ReproRun Start(Options options, string outputDirectory)
{
    if (ReproRun.IsUnderRepro && options.Seed is not null)
    {
        throw new ArgumentException("--seed is for runs outside repro; under repro the seed is REPRO_SEED (repro run --seed N).");
    }

    var run = ReproRun.FromEnvironmentOrStandalone(options.Seed ?? Options.DefaultSeed, outputDirectory);
    if (run.MetricsFile is { } metricsFile && File.Exists(metricsFile))
    {
        File.Delete(metricsFile);
    }

    Console.WriteLine($"seed {run.Seed} ({(ReproRun.IsUnderRepro ? "REPRO_SEED" : "standalone")})");
    return run;
}

static (List<BikeHour> Train, List<BikeHour> Test) Split(TrainingConfiguration conf)
{
    var (train, test) = BikeData.SplitByDate(BikeData.Load(conf.Data, conf.Data), conf.TestFrom);
    if (train.Count == 0 || test.Count == 0)
    {
        throw new InvalidDataException($"split.test_from {conf.Split.TestFrom} leaves {train.Count} training and {test.Count} test rows; both periods need rows.");
    }

    Console.WriteLine($"train: {train.Count} rows {train[0].Date}..{train[^1].Date}; test: {test.Count} rows {test[0].Date}..{test[^1].Date}");
    return (train, test);
}

static void Report(ReproRun run, Evaluation evaluation)
{
    var ratio = evaluation.Rmse / evaluation.BaselineRmse;
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"test: rmse {evaluation.Rmse:F2}, mae {evaluation.Mae:F2}, r2 {evaluation.R2:F4}; mean baseline rmse {evaluation.BaselineRmse:F2} (ratio {ratio:F3})"));
    if (run.MetricsFile is { } metricsFile)
    {
        Console.WriteLine($"metrics: {metricsFile}");
    }
}

/// <summary>The command-line options of both commands.</summary>
internal sealed record Options(string Conf, uint? Seed)
{
    /// <summary>The seed of a standalone run, as the root MLproject.yaml's <c>seed:</c>.</summary>
    public const uint DefaultSeed = 42;

    /// <summary>The command line.</summary>
    public const string Usage = "usage: Bikes train|evaluate [--conf PATH] [--seed N]   (--seed only outside repro; default 42)";

    /// <summary>The configuration used when <c>--conf</c> is not given, relative to the repository root.</summary>
    public const string DefaultConf = "samples/bikes/confs/training.yaml";

    public static Options Parse(IReadOnlyList<string> arguments)
    {
        var conf = DefaultConf;
        uint? seed = null;
        for (var i = 0; i < arguments.Count; i += 2)
        {
            if (arguments[i] is not ("--conf" or "--seed"))
            {
                throw new ArgumentException($"unknown option '{arguments[i]}'; {Usage}");
            }

            var value = i + 1 < arguments.Count ? arguments[i + 1] : throw new ArgumentException($"{arguments[i]} needs a value.");
            if (arguments[i] == "--conf")
            {
                conf = value;
            }
            else
            {
                seed = uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                    ? parsed
                    : throw new ArgumentException($"--seed is '{value}', not an integer from 0 to 4294967295.");
            }
        }

        return new Options(conf, seed);
    }
}
