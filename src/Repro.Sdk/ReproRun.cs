using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Repro.Sdk.Parameters;
using Repro.Sdk.Reporting;
using Repro.Sdk.Seeds;

namespace Repro.Sdk;

/// <summary>
/// The run an entry point is part of: its id and folder, its seed and named sub-seeds, its parameters, the
/// metrics it logs and the report of what the SDK set. Under <c>repro run</c> everything comes from the
/// <c>REPRO_*</c> variables (<see cref="FromEnvironment()"/>); elsewhere (tests, notebooks) a run is created with
/// an explicit seed (<see cref="Standalone"/>) and writes its report and metrics to a folder you choose, or
/// keeps them in memory.
/// </summary>
public sealed class ReproRun
{
    /// <summary>The variables <c>repro run</c> sets for the entry point.</summary>
    public static class Variables
    {
        /// <summary>The run's id.</summary>
        public const string RunId = "REPRO_RUN_ID";

        /// <summary>The run folder, absolute; the report goes there as <c>sdk.json</c>.</summary>
        public const string RunDirectory = "REPRO_RUN_DIR";

        /// <summary>The run's seed, an integer from 0 to 4294967295.</summary>
        public const string Seed = "REPRO_SEED";

        /// <summary>A JSON object: parameter name to the string passed.</summary>
        public const string ParametersFile = "REPRO_PARAMS_FILE";

        /// <summary>Where metrics go: a JSON object name to number.</summary>
        public const string MetricsFile = "REPRO_METRICS_FILE";
    }

    /// <summary>The file name of metrics in a standalone run's output folder.</summary>
    public const string StandaloneMetricsFileName = "metrics.json";

    /// <summary>Variables that change results when set before the process starts, recorded in the report as read.</summary>
    private static readonly string[] DeterminismVariables =
    [
        "PYTHONHASHSEED", "SOURCE_DATE_EPOCH", "CUBLAS_WORKSPACE_CONFIG", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
        "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "DOTNET_PROCESSOR_COUNT",
    ];

    private readonly RunMetrics _metrics;

    private ReproRun(string? runId, string? runDirectory, uint seed, RunParameters parameters, RunReport report, RunMetrics metrics)
    {
        RunId = runId;
        RunDirectory = runDirectory;
        Parameters = parameters;
        Report = report;
        _metrics = metrics;
        Seeds = new RunSeeds(seed, report);
    }

    /// <summary>Whether this process was started by <c>repro run</c> (<c>REPRO_RUN_ID</c> is set).</summary>
    public static bool IsUnderRepro => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variables.RunId));

    /// <summary>The run's id; null for a standalone run.</summary>
    public string? RunId { get; }

    /// <summary>The run folder (or the standalone output folder); null when nothing is written.</summary>
    public string? RunDirectory { get; }

    /// <summary>The run's seed, 0 to 4294967295.</summary>
    public uint Seed => Seeds.Seed;

    /// <summary>Named sub-seeds and seeded <see cref="Random"/> instances.</summary>
    public RunSeeds Seeds { get; }

    /// <summary>The run's resolved parameters.</summary>
    public RunParameters Parameters { get; }

    /// <summary>The report written to <c>sdk.json</c>.</summary>
    public RunReport Report { get; }

    /// <summary>Where metrics are written; null when they stay in memory.</summary>
    public string? MetricsFile => _metrics.FilePath;

    /// <summary>Every metric logged by this process, last value per name.</summary>
    public IReadOnlyDictionary<string, double> Metrics => _metrics.Snapshot();

    /// <summary>Reads the run from the <c>REPRO_*</c> variables <c>repro run</c> sets, and writes the first report.</summary>
    /// <returns>The run.</returns>
    /// <exception cref="ReproSdkException">A variable is missing or malformed, or the run folder cannot be written.</exception>
    public static ReproRun FromEnvironment() =>
        FromVariables(Environment.GetEnvironmentVariable, Environment.CurrentDirectory, Console.Error);

    /// <summary>
    /// Under <c>repro run</c>, <see cref="FromEnvironment()"/>; otherwise <see cref="Standalone"/> with these arguments,
    /// so one entry point runs both ways.
    /// </summary>
    /// <param name="seed">The seed when not under repro.</param>
    /// <param name="outputDirectory">Where a standalone run writes <c>sdk.json</c> and <c>metrics.json</c>; null keeps them in memory.</param>
    /// <param name="parameters">A standalone run's parameters.</param>
    /// <returns>The run.</returns>
    public static ReproRun FromEnvironmentOrStandalone(uint seed, string? outputDirectory = null, IReadOnlyDictionary<string, string>? parameters = null) =>
        IsUnderRepro ? FromEnvironment() : Standalone(seed, outputDirectory, parameters);

    /// <summary>
    /// A run outside repro with an explicit seed. With <paramref name="outputDirectory"/>, the report and metrics go to
    /// <c>sdk.json</c> and <c>metrics.json</c> there (the folder is created); without it they stay in memory
    /// (<see cref="Report"/>, <see cref="Metrics"/>) and warnings still reach standard error.
    /// </summary>
    /// <param name="seed">The seed.</param>
    /// <param name="outputDirectory">Folder for the report and metrics, or null.</param>
    /// <param name="parameters">Parameters, name to value as text; none when null.</param>
    /// <returns>The run.</returns>
    public static ReproRun Standalone(uint seed, string? outputDirectory = null, IReadOnlyDictionary<string, string>? parameters = null) =>
        CreateStandalone(seed, outputDirectory, parameters, Environment.GetEnvironmentVariable, Environment.CurrentDirectory, Console.Error);

    /// <summary>Logs one metric; it ends up in the run's manifest.</summary>
    /// <param name="name">Metric name.</param>
    /// <param name="value">A finite number; the last value logged for a name wins.</param>
    public void LogMetric(string name, double value) => _metrics.Log([new(name, value)]);

    /// <summary>Logs several metrics in one write.</summary>
    /// <param name="metrics">Name to finite number.</param>
    public void LogMetrics(IEnumerable<KeyValuePair<string, double>> metrics) => _metrics.Log(metrics);

    internal static ReproRun FromVariables(Func<string, string?> variables, string workingDirectory, TextWriter warningSink)
    {
        var runId = Required(variables, Variables.RunId);
        var runDirectory = RequiredAbsolutePath(variables, Variables.RunDirectory);
        var seedText = Required(variables, Variables.Seed);
        if (!uint.TryParse(seedText, NumberStyles.None, CultureInfo.InvariantCulture, out var seed))
        {
            throw new ReproSdkException($"{Variables.Seed} is '{seedText}', not an integer from 0 to 4294967295.");
        }

        var parametersFile = RequiredAbsolutePath(variables, Variables.ParametersFile);
        var metricsFile = RequiredAbsolutePath(variables, Variables.MetricsFile);
        if (!Directory.Exists(runDirectory))
        {
            throw new ReproSdkException($"{Variables.RunDirectory} is '{runDirectory}', which is not a folder.");
        }

        var parameters = new RunParameters(ReadParameters(parametersFile), $"{Variables.ParametersFile} {parametersFile}", workingDirectory);
        var report = new RunReport(
            Path.Combine(runDirectory, RunReport.FileName),
            InitialSections(seed, Variables.Seed, variables),
            warningSink);
        return new ReproRun(runId, runDirectory, seed, parameters, report, new RunMetrics(metricsFile));
    }

    internal static ReproRun CreateStandalone(
        uint seed,
        string? outputDirectory,
        IReadOnlyDictionary<string, string>? parameters,
        Func<string, string?> variables,
        string workingDirectory,
        TextWriter warningSink)
    {
        string? directory = null;
        if (outputDirectory is not null)
        {
            directory = Path.GetFullPath(outputDirectory, workingDirectory);
            try
            {
                Directory.CreateDirectory(directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ReproSdkException($"Cannot create the output folder {directory}: {e.Message}", e);
            }
        }

        var runParameters = new RunParameters(parameters ?? new Dictionary<string, string>(), "standalone run", workingDirectory);
        var report = new RunReport(
            directory is null ? null : Path.Combine(directory, RunReport.FileName),
            InitialSections(seed, "explicit", variables),
            warningSink);
        var metrics = new RunMetrics(directory is null ? null : Path.Combine(directory, StandaloneMetricsFileName));
        return new ReproRun(null, directory, seed, runParameters, report, metrics);
    }

    internal static string AssemblyVersion(Assembly assembly)
    {
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "unknown";

        // SourceLink appends "+<commit>"; the package version is what users compare.
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }

    private static JsonObject InitialSections(uint seed, string source, Func<string, string?> variables)
    {
        var environment = new JsonObject();
        foreach (var name in DeterminismVariables)
        {
            environment[name] = variables(name);
        }

        return new JsonObject
        {
            ["sdk"] = new JsonObject
            {
                ["name"] = "Repro.Sdk",
                ["version"] = AssemblyVersion(typeof(ReproRun).Assembly),
            },
            ["runtime"] = new JsonObject
            {
                ["framework"] = RuntimeInformation.FrameworkDescription,
                ["runtimeIdentifier"] = RuntimeInformation.RuntimeIdentifier,
                ["os"] = RuntimeInformation.OSDescription,
                ["processArchitecture"] = RuntimeInformation.ProcessArchitecture.ToString(),
                ["processorCount"] = Environment.ProcessorCount,
            },
            ["seed"] = new JsonObject
            {
                ["value"] = seed,
                ["source"] = source,
                ["subSeedAlgorithm"] = SubSeeds.DomainTag,
            },
            ["environment"] = environment,
        };
    }

    private static Dictionary<string, string> ReadParameters(string path)
    {
        if (!File.Exists(path))
        {
            throw new ReproSdkException($"{Variables.ParametersFile} is '{path}', which does not exist.");
        }

        var content = JsonObjectFile.Read(path);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in content)
        {
            if (value is null || value.GetValueKind() != JsonValueKind.String)
            {
                throw new ReproSdkException($"{path}: parameter '{name}' is not a string.");
            }

            values[name] = value.GetValue<string>();
        }

        return values;
    }

    private static string Required(Func<string, string?> variables, string name)
    {
        var value = variables(name);
        return string.IsNullOrEmpty(value)
            ? throw new ReproSdkException($"{name} is not set: this process was not started by `repro run` (outside repro, use ReproRun.Standalone(seed)).")
            : value;
    }

    private static string RequiredAbsolutePath(Func<string, string?> variables, string name)
    {
        var value = Required(variables, name);
        return Path.IsPathFullyQualified(value)
            ? value
            : throw new ReproSdkException($"{name} is '{value}', not an absolute path.");
    }
}
