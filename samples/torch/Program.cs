using System.Globalization;
using System.Text;
using Bikes;
using Repro.Sdk;
using Repro.Sdk.Torch;
using TorchSample;
using TorchSharp;
using static TorchSharp.torch;

// TorchSample [--epochs N] [--hidden N] ... : see README.md and Options below.
try
{
    return Train(Options.Parse(args));
}
catch (Exception e) when (e is ArgumentException or InvalidDataException or FileNotFoundException or ReproSdkException)
{
    Console.Error.WriteLine($"torch-sample: {e.Message}");
    return 2;
}

static int Train(Options options)
{
    if (ReproRun.IsUnderRepro && options.Seed is not null)
    {
        throw new ArgumentException("--seed is for runs outside repro; under repro the seed is REPRO_SEED (repro run --seed N).");
    }

    var run = ReproRun.FromEnvironmentOrStandalone(options.Seed ?? Options.DefaultSeed, options.Output);
    if (run.MetricsFile is { } staleMetrics && File.Exists(staleMetrics))
    {
        // The SDK merges into an existing metrics file; an earlier run's must not leak into this one.
        File.Delete(staleMetrics);
    }

    var device = options.Device switch
    {
        "cpu" => CPU,
        "cuda" when cuda.is_available() => CUDA,
        "cuda" => throw new ArgumentException("--device cuda: no CUDA device, or this build uses the CPU libtorch (build with -p:TorchBackend=cuda)."),
        _ => throw new ArgumentException($"--device is '{options.Device}'; expected cpu or cuda."),
    };

    // One intra-op thread: CPU reductions then add in one order on every machine, whatever its core count.
    var state = ReproTorch.Configure(run, new TorchDeterminismOptions { IntraOpThreads = 1 });
    Console.WriteLine($"seed {run.Seed}; TorchSharp {state.TorchSharpVersion}, libtorch {state.LibTorchVersion}, device {device.type}, deterministic algorithms {state.DeterministicAlgorithms}");

    var (trainRows, testRows) = BikeData.SplitByDate(BikeData.Load(options.Data, options.Data), options.TestFrom);
    if (trainRows.Count == 0 || testRows.Count == 0)
    {
        throw new InvalidDataException($"--test-from {options.TestFrom:yyyy-MM-dd} leaves {trainRows.Count} training and {testRows.Count} test rows; both periods need rows.");
    }

    var mean = trainRows.Average(r => (double)r.Count);
    var std = Math.Sqrt(trainRows.Average(r => (r.Count - mean) * (r.Count - mean)));
    using var xTrain = Matrix(Features.Encode(trainRows), trainRows.Count, device);
    using var yTrain = tensor(trainRows.Select(r => (float)((r.Count - mean) / std)).ToArray(), device: device).unsqueeze(1);
    using var xTest = Matrix(Features.Encode(testRows), testRows.Count, device);

    // Built after Configure: the initial weights come from the generator it seeded.
    using var model = nn.Sequential(
        ("hidden1", nn.Linear(Features.Count, options.Hidden)),
        ("relu1", nn.ReLU()),
        ("hidden2", nn.Linear(options.Hidden, options.Hidden)),
        ("relu2", nn.ReLU()),
        ("output", nn.Linear(options.Hidden, 1)));
    model.to(device);
    using var optimizer = optim.Adam(model.parameters(), lr: options.LearningRate);
    using var shuffle = ReproTorch.CreateGenerator(run, "shuffle");

    var losses = new StringBuilder("epoch,train_loss\n");
    var trainLoss = 0.0;
    for (var epoch = 1; epoch <= options.Epochs; epoch++)
    {
        model.train();
        using var order = randperm(trainRows.Count, generator: shuffle).to(device);
        var lossSum = 0.0;
        for (var start = 0; start < trainRows.Count; start += options.BatchSize)
        {
            using var scope = NewDisposeScope();
            var batch = order.narrow(0, start, Math.Min(options.BatchSize, trainRows.Count - start));
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(model.forward(xTrain.index_select(0, batch)), yTrain.index_select(0, batch));
            loss.backward();
            optimizer.step();
            lossSum += loss.item<float>() * batch.shape[0];
        }

        trainLoss = lossSum / trainRows.Count;
        losses.Append(CultureInfo.InvariantCulture, $"{epoch},{trainLoss:R}\n");
    }

    float[] predictions;
    model.eval();
    using (no_grad())
    using (var scores = model.forward(xTest))
    {
        predictions = scores.cpu().data<float>().Select(s => (float)((s * std) + mean)).ToArray();
    }

    Directory.CreateDirectory(options.Output);
    var weightsPath = Path.Combine(options.Output, "model.bin");
    model.save(weightsPath);
    File.WriteAllText(Path.Combine(options.Output, "loss.csv"), losses.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

    var metrics = Scores(testRows, predictions, mean);
    run.LogMetrics([.. metrics, new("final_train_loss", trainLoss)]);
    Console.WriteLine(string.Join(", ", metrics.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key} {m.Value:F4}"))));
    Console.WriteLine($"weights: {weightsPath}; loss per epoch: {Path.Combine(options.Output, "loss.csv")}");
    return 0;
}

static Tensor Matrix(float[] values, int rows, Device device) => tensor(values, device: device).reshape(rows, Features.Count);

// RMSE, MAE and R² on the test period, and the RMSE of always predicting the training mean.
static KeyValuePair<string, double>[] Scores(IReadOnlyList<BikeHour> test, IReadOnlyList<float> predictions, double trainMean)
{
    double squared = 0, absolute = 0, baseline = 0, total = 0;
    var testMean = test.Average(r => (double)r.Count);
    for (var i = 0; i < test.Count; i++)
    {
        var error = test[i].Count - (double)predictions[i];
        squared += error * error;
        absolute += Math.Abs(error);
        baseline += (test[i].Count - trainMean) * (test[i].Count - trainMean);
        total += (test[i].Count - testMean) * (test[i].Count - testMean);
    }

    return
    [
        new("rmse", Math.Sqrt(squared / test.Count)),
        new("mae", absolute / test.Count),
        new("r2", 1 - (squared / total)),
        new("baseline_rmse", Math.Sqrt(baseline / test.Count)),
    ];
}
