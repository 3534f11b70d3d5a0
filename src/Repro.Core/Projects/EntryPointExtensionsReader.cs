using System.Globalization;
using System.Text.RegularExpressions;
using Repro.Core.Projects.Python;

namespace Repro.Core.Projects;

/// <summary>
/// Reads repro's per-entry-point extensions: <c>inputs</c>, <c>outputs</c>, <c>metrics</c>, <c>env</c> and
/// <c>auto_seed</c> (which the top level may also hold).
/// </summary>
internal static partial class EntryPointExtensionsReader
{
    private static readonly string[] s_metricsKeys = ["file", "tolerance"];
    private static readonly string[] s_toleranceKeys = ["rtol", "atol"];

    private static readonly string[] s_dataKeys = ["path", "store"];

    /// <summary>
    /// A list of project-relative paths, directories or globs; empty when absent. An item is a path, or a mapping
    /// <c>{path: PATH, store: false}</c> for data that is fingerprinted but not kept in the object store; those paths
    /// are added to <paramref name="notStored"/>.
    /// </summary>
    /// <param name="entry">The <c>inputs</c> or <c>outputs</c> entry, if present.</param>
    /// <param name="what">What one item is, for messages ("an input of entry point 'main'").</param>
    /// <param name="notStored">Receives the paths declared <c>store: false</c>.</param>
    public static IReadOnlyList<string> ReadPaths(YamlTreeEntry? entry, string what, ISet<string> notStored)
    {
        ArgumentNullException.ThrowIfNull(notStored);
        if (entry is null)
        {
            return [];
        }

        var list = entry.Value.ExpectSequenceOrNull($"'{entry.Name}'");
        var paths = new List<string>();
        foreach (var item in list.Items)
        {
            if (item is not YamlTreeMapping mapping)
            {
                paths.Add(ProjectRelativePath.Read(item, what));
                continue;
            }

            mapping.RejectUnknownKeys(what, s_dataKeys);
            var path = ProjectRelativePath.Read((mapping.Find("path") ?? throw mapping.Error($"{what} written as a mapping needs a path")).Value, what);
            paths.Add(path);
            if (mapping.Find("store") is { } store && !ReadBoolean(store.Value, $"'store' of {what}"))
            {
                notStored.Add(path);
            }
        }

        return paths;
    }

    private static bool ReadBoolean(YamlTreeNode node, string what) =>
        node is YamlTreeScalar scalar && scalar.ToPython() is PythonBool value
            ? value.Value
            : throw node.Error($"{what} must be true or false");

    /// <summary>Where each item of a list of paths is written; empty when absent.</summary>
    public static IReadOnlyList<Errors.SourceLocation> ReadLocations(YamlTreeEntry? entry) =>
        entry is null || entry.Value is not YamlTreeSequence list ? [] : [.. list.Items.Select(item => item.Location)];

    /// <summary>The entry points named by <c>needs</c>, each with where it is written; empty when absent.</summary>
    /// <param name="entry">The <c>needs</c> entry, if present.</param>
    /// <param name="what">The entry point, for messages ("entry point 'train'").</param>
    public static IReadOnlyList<LocatedName> ReadNeeds(YamlTreeEntry? entry, string what)
    {
        if (entry is null)
        {
            return [];
        }

        var list = entry.Value.ExpectSequenceOrNull($"'needs' of {what} (a list of entry point names)");
        return [.. list.Items.Select(item => new LocatedName(item.ExpectScalar($"an item of 'needs' of {what} (an entry point name)").Text, item.Location))];
    }

    /// <summary>The metrics file and tolerances; null when absent.</summary>
    public static MetricsSpec? ReadMetrics(YamlTreeEntry? entry, string entryPoint)
    {
        if (entry is null || entry.Value.IsNull)
        {
            return null;
        }

        var what = $"the metrics file of {entryPoint}";
        if (entry.Value is YamlTreeScalar)
        {
            return new MetricsSpec(ProjectRelativePath.Read(entry.Value, what), new OrderedDictionary<string, Tolerance>(StringComparer.Ordinal));
        }

        var mapping = entry.Value.ExpectMapping($"the metrics of {entryPoint} (a file path, or {{file: PATH, tolerance: ...}})");
        mapping.RejectUnknownKeys($"the metrics of {entryPoint}", s_metricsKeys);
        var file = mapping.Find("file") ?? throw mapping.Error($"the metrics of {entryPoint} need a file");

        var tolerances = new OrderedDictionary<string, Tolerance>(StringComparer.Ordinal);
        foreach (var metric in (mapping.Find("tolerance")?.Value)?.ExpectMappingOrNull($"the tolerances of {entryPoint}").Entries ?? [])
        {
            tolerances.Add(metric.Name, ReadTolerance(metric, $"the tolerance of metric '{metric.Name}' of {entryPoint}"));
        }

        return new MetricsSpec(ProjectRelativePath.Read(file.Value, what), tolerances);
    }

    /// <summary>Extra environment variables for the child, in declaration order; empty when absent.</summary>
    public static IReadOnlyDictionary<string, string> ReadEnv(YamlTreeEntry? entry, string entryPoint)
    {
        var variables = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in entry?.Value.ExpectMappingOrNull($"the env of {entryPoint}").Entries ?? [])
        {
            if (!EnvironmentName().IsMatch(variable.Name))
            {
                throw variable.Key.Error($"'{variable.Name}' in the env of {entryPoint} is not a valid environment variable name (letters, digits and _, not starting with a digit)");
            }

            if (variable.Value is not YamlTreeScalar value)
            {
                throw variable.Value.Error($"environment variable '{variable.Name}' of {entryPoint} must be a single value, not {variable.Value.ShapeName}");
            }

            // The value is passed exactly as written: the child sees text, so no YAML typing applies.
            variables.Add(variable.Name, value.Text);
        }

        return variables;
    }

    /// <summary>
    /// <c>auto_seed</c>: whether repro's Python start-up hook seeds the run (docs/python.md); null when absent or empty.
    /// A boolean as MLflow's YAML reader reads one (<c>true</c>, <c>false</c>, <c>yes</c>, <c>off</c>, …); anything
    /// else is an error at the value, since guessing would silently seed or not seed a run.
    /// </summary>
    /// <param name="entry">The <c>auto_seed</c> entry, if present.</param>
    /// <param name="where">Where it is written, for messages ("at the top level", "in entry point 'main'").</param>
    public static bool? ReadAutoSeed(YamlTreeEntry? entry, string where)
    {
        if (entry is null || entry.Value.IsNull)
        {
            return null;
        }

        var scalar = entry.Value.ExpectScalar($"auto_seed {where}");
        return scalar.ToPython() is Python.PythonBool { Value: var on }
            ? on
            : throw scalar.Error($"auto_seed {where} must be true or false, not '{scalar.Text}'");
    }

    private static Tolerance ReadTolerance(YamlTreeEntry metric, string what)
    {
        var mapping = metric.Value.ExpectMappingOrNull(what);
        mapping.RejectUnknownKeys(what, s_toleranceKeys);
        return new Tolerance(ReadNonNegative(mapping.Find("rtol"), what), ReadNonNegative(mapping.Find("atol"), what));
    }

    private static double ReadNonNegative(YamlTreeEntry? entry, string what)
    {
        if (entry is null || entry.Value.IsNull)
        {
            return 0;
        }

        var scalar = entry.Value.ExpectScalar($"{entry.Name} in {what}");
        return double.TryParse(scalar.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) && number >= 0
            ? number
            : throw scalar.Error($"{entry.Name} in {what} must be a non-negative number, not '{scalar.Text}'");
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex EnvironmentName();
}
