using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Bikes;

/// <summary>
/// A training configuration (<c>confs/*.yaml</c>): the data, where the test period starts, the trainer with its
/// hyper-parameters, and where outputs go. Paths are relative to the directory the sample runs in (the repository
/// root, where <c>repro run</c> runs it).
/// </summary>
public sealed class TrainingConfiguration
{
    /// <summary>The <c>hour.csv</c> file.</summary>
    public string Data { get; set; } = "";

    /// <summary>How rows are split by time.</summary>
    public SplitSection Split { get; set; } = new();

    /// <summary>Exactly one trainer.</summary>
    public TrainerSection Trainer { get; set; } = new();

    /// <summary>Output folders.</summary>
    public OutputSection Outputs { get; set; } = new();

    /// <summary>The first day of the test period, parsed.</summary>
    [YamlIgnore]
    public DateOnly TestFrom => BikeData.ParseDate(Split.TestFrom);

    /// <summary>Reads and checks a configuration file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="displayPath">How errors name the file.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="InvalidDataException">The file is not valid YAML, has unknown or duplicate keys, or a value out of range; the message starts with <c>FILE:LINE:COL:</c> where the position is known.</exception>
    public static TrainingConfiguration Load(string path, string displayPath)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{displayPath}: no such configuration file.", path);
        }

        var deserializer = new DeserializerBuilder()
            .WithNamingConvention(UnderscoredNamingConvention.Instance)
            .WithDuplicateKeyChecking()
            .Build();
        TrainingConfiguration? configuration;
        try
        {
            configuration = deserializer.Deserialize<TrainingConfiguration?>(File.ReadAllText(path));
        }
        catch (YamlException e)
        {
            // YamlDotNet wraps the cause ("Property 'x' not found on type ...") in a generic deserialization error.
            var cause = e.InnerException is YamlException inner ? inner : e;
            throw new InvalidDataException($"{displayPath}:{cause.Start.Line}:{cause.Start.Column}: {cause.Message}", e);
        }

        if (configuration is null)
        {
            throw new InvalidDataException($"{displayPath}: the configuration is empty.");
        }

        configuration.Check(displayPath);
        return configuration;
    }

    private void Check(string displayPath)
    {
        void Require(bool condition, string message)
        {
            if (!condition)
            {
                throw new InvalidDataException($"{displayPath}: {message}");
            }
        }

        Require(!string.IsNullOrWhiteSpace(Data), "data: the path of hour.csv is missing.");
        Require(
            DateOnly.TryParseExact(Split.TestFrom, BikeData.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            $"split.test_from is '{Split.TestFrom}', not a {BikeData.DateFormat} date.");
        Require((Trainer.FastTree is null) != (Trainer.Sdca is null), "trainer: give exactly one of fasttree and sdca.");
        if (Trainer.FastTree is { } fastTree)
        {
            Require(fastTree.NumberOfTrees >= 1, $"trainer.fasttree.number_of_trees is {fastTree.NumberOfTrees}; it must be at least 1.");
            Require(fastTree.NumberOfLeaves >= 2, $"trainer.fasttree.number_of_leaves is {fastTree.NumberOfLeaves}; it must be at least 2.");
            Require(fastTree.MinimumExampleCountPerLeaf >= 1, $"trainer.fasttree.minimum_example_count_per_leaf is {fastTree.MinimumExampleCountPerLeaf}; it must be at least 1.");
            Require(fastTree.LearningRate is > 0 and <= 1, $"trainer.fasttree.learning_rate is {fastTree.LearningRate}; it must be in (0, 1].");
            Require(fastTree.FeatureFraction is > 0 and <= 1, $"trainer.fasttree.feature_fraction is {fastTree.FeatureFraction}; it must be in (0, 1].");
        }

        if (Trainer.Sdca is { } sdca)
        {
            Require(sdca.L2Regularization >= 0, $"trainer.sdca.l2_regularization is {sdca.L2Regularization}; it must not be negative.");
            Require(sdca.L1Regularization >= 0, $"trainer.sdca.l1_regularization is {sdca.L1Regularization}; it must not be negative.");
            Require(sdca.MaximumNumberOfIterations >= 1, $"trainer.sdca.maximum_number_of_iterations is {sdca.MaximumNumberOfIterations}; it must be at least 1.");
        }

        Require(!string.IsNullOrWhiteSpace(Outputs.Train), "outputs.train: the folder for the model and its metrics is missing.");
        Require(!string.IsNullOrWhiteSpace(Outputs.Evaluate), "outputs.evaluate: the folder for predictions and their metrics is missing.");
    }

    /// <summary>The time split.</summary>
    public sealed class SplitSection
    {
        /// <summary>The first day of the test period (<c>yyyy-MM-dd</c>): earlier rows train, this day and later test.</summary>
        public string TestFrom { get; set; } = "";
    }

    /// <summary>The trainer: exactly one of its properties is set.</summary>
    public sealed class TrainerSection
    {
        /// <summary>Gradient-boosted regression trees.</summary>
        [YamlMember(Alias = "fasttree")]
        public FastTreeSection? FastTree { get; set; }

        /// <summary>A linear model trained by stochastic dual coordinate ascent.</summary>
        public SdcaSection? Sdca { get; set; }
    }

    /// <summary>FastTree's hyper-parameters (ML.NET's names).</summary>
    public sealed class FastTreeSection
    {
        /// <summary>Trees in the ensemble.</summary>
        public int NumberOfTrees { get; set; } = 100;

        /// <summary>Leaves per tree.</summary>
        public int NumberOfLeaves { get; set; } = 20;

        /// <summary>Fewest training rows in a leaf.</summary>
        public int MinimumExampleCountPerLeaf { get; set; } = 10;

        /// <summary>Shrinkage of each tree's contribution.</summary>
        public double LearningRate { get; set; } = 0.2;

        /// <summary>Share of the features each tree may split on, drawn with the run's <c>fasttree.features</c> sub-seed.</summary>
        public double FeatureFraction { get; set; } = 1;
    }

    /// <summary>SDCA's hyper-parameters (ML.NET's names).</summary>
    public sealed class SdcaSection
    {
        /// <summary>L2 penalty.</summary>
        public float L2Regularization { get; set; } = 1e-4f;

        /// <summary>L1 penalty.</summary>
        public float L1Regularization { get; set; }

        /// <summary>Passes over the data.</summary>
        public int MaximumNumberOfIterations { get; set; } = 50;
    }

    /// <summary>Output folders.</summary>
    public sealed class OutputSection
    {
        /// <summary>Where <c>train</c> writes <c>model.zip</c> (and, outside repro, <c>metrics.json</c>).</summary>
        public string Train { get; set; } = "";

        /// <summary>Where <c>evaluate</c> writes <c>predictions.csv</c> (and, outside repro, <c>metrics.json</c>).</summary>
        public string Evaluate { get; set; } = "";
    }
}
