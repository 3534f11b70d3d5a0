using System.Globalization;
using System.Text.RegularExpressions;

namespace Repro.Core.Projects;

/// <summary>Reads repro's per-entry-point extensions: <c>inputs</c>, <c>outputs</c>, <c>metrics</c> and <c>env</c>.</summary>
internal static partial class EntryPointExtensionsReader
{
    private static readonly string[] s_metricsKeys = ["file", "tolerance"];
    private static readonly string[] s_toleranceKeys = ["rtol", "atol"];

    /// <summary>A list of project-relative paths, directories or globs; empty when absent.</summary>
    /// <param name="entry">The <c>inputs</c> or <c>outputs</c> entry, if present.</param>
    /// <param name="what">What one item is, for messages ("an input of entry point 'main'").</param>
    public static IReadOnlyList<string> ReadPaths(YamlTreeEntry? entry, string what)
    {
        if (entry is null)
        {
            return [];
        }

        var list = entry.Value.ExpectSequenceOrNull($"'{entry.Name}'");
        return [.. list.Items.Select(item => ProjectRelativePath.Read(item, what))];
    }

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
