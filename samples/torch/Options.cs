using System.Globalization;
using Bikes;

namespace TorchSample;

/// <summary>The sample's command line: <c>--name value</c> pairs, each optional.</summary>
public sealed record Options
{
    /// <summary>The seed of a standalone run, as the root MLproject.yaml's <c>seed:</c>.</summary>
    public const uint DefaultSeed = 42;

    /// <summary>The command line.</summary>
    public const string Usage =
        "usage: TorchSample [--epochs N] [--hidden N] [--batch-size N] [--learning-rate X] [--data PATH] [--test-from yyyy-MM-dd] [--output DIR] [--device cpu|cuda] [--seed N]";

    /// <summary>The bikes <c>hour.csv</c>, relative to the directory the sample runs in.</summary>
    public string Data { get; init; } = "samples/bikes/data/hour.csv";

    /// <summary>First day of the test period, as the bikes sample's <c>split.test_from</c>.</summary>
    public DateOnly TestFrom { get; init; } = new(2012, 9, 1);

    /// <summary>Where <c>model.bin</c>, <c>loss.csv</c> (and, outside repro, <c>metrics.json</c>) go.</summary>
    public string Output { get; init; } = "outputs/torch";

    /// <summary>Passes over the training rows.</summary>
    public int Epochs { get; init; } = 15;

    /// <summary>Units in each of the two hidden layers.</summary>
    public int Hidden { get; init; } = 64;

    /// <summary>Rows per optimisation step.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Adam's step size.</summary>
    public double LearningRate { get; init; } = 0.003;

    /// <summary><c>cpu</c> or <c>cuda</c>.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>The seed of a standalone run; null under repro.</summary>
    public uint? Seed { get; init; }

    /// <summary>Parses the arguments.</summary>
    /// <param name="arguments">The command line.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentException">An unknown option, a missing value or a value out of range.</exception>
    public static Options Parse(IReadOnlyList<string> arguments)
    {
        var options = new Options();
        for (var i = 0; i < arguments.Count; i += 2)
        {
            var name = arguments[i];
            if (i + 1 >= arguments.Count)
            {
                throw new ArgumentException($"{name} needs a value; {Usage}");
            }

            options = name switch
            {
                "--data" => options with { Data = arguments[i + 1] },
                "--test-from" => options with { TestFrom = Date(name, arguments[i + 1]) },
                "--output" => options with { Output = arguments[i + 1] },
                "--epochs" => options with { Epochs = Positive(name, arguments[i + 1]) },
                "--hidden" => options with { Hidden = Positive(name, arguments[i + 1]) },
                "--batch-size" => options with { BatchSize = Positive(name, arguments[i + 1]) },
                "--learning-rate" => options with { LearningRate = PositiveNumber(name, arguments[i + 1]) },
                "--device" => options with { Device = arguments[i + 1] },
                "--seed" => options with { Seed = ParseSeed(arguments[i + 1]) },
                _ => throw new ArgumentException($"unknown option '{name}'; {Usage}"),
            };
        }

        return options;
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0
            ? parsed
            : throw new ArgumentException($"{name} is '{value}', not a positive integer.");

    private static double PositiveNumber(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && parsed > 0 && double.IsFinite(parsed)
            ? parsed
            : throw new ArgumentException($"{name} is '{value}', not a positive number.");

    private static DateOnly Date(string name, string value) =>
        DateOnly.TryParseExact(value, BikeData.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
            ? parsed
            : throw new ArgumentException($"{name} is '{value}', not a {BikeData.DateFormat} date.");

    private static uint ParseSeed(string value) =>
        uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw new ArgumentException($"--seed is '{value}', not an integer from 0 to 4294967295.");
}
