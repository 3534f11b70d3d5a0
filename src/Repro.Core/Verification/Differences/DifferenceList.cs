using System.Globalization;
using Repro.Core.Runs;

namespace Repro.Core.Verification.Differences;

/// <summary>Collects differences as the comparison walks the manifest, dropping facts whose values are equal.</summary>
internal sealed class DifferenceList
{
    private readonly List<Difference> _differences = [];

    /// <summary>The differences, stably ordered by section.</summary>
    public IReadOnlyList<Difference> ToList() => [.. _differences.OrderBy(difference => difference.Section)];

    /// <summary>Adds a difference with its own summary, unless the values are equal.</summary>
    public void Add(DiffSection section, string key, string? a, string? b, DifferenceRole role, string summary)
    {
        if (!string.Equals(a, b, StringComparison.Ordinal))
        {
            _differences.Add(new Difference { Section = section, Key = key, A = a, B = b, Role = role, Summary = summary });
        }
    }

    /// <summary>
    /// Adds <c>LABEL A -> B</c>, unless the values are equal. A missing value reads as <paramref name="absent"/>:
    /// <c>(none)</c>, or <c>(unset)</c> for variables.
    /// </summary>
    public void Value(DiffSection section, string key, string label, string? a, string? b, DifferenceRole role, string absent = DifferenceText.None) =>
        Add(section, key, a, b, role, $"{label} {DifferenceText.Shown(a, absent)} -> {DifferenceText.Shown(b, absent)}");

    /// <summary>
    /// Adds one difference per path that is added, removed or changed, keyed <c>KEYPREFIX.PATH</c> and summarized as
    /// <c>NOUN PATH changed</c>. A file's value is its SHA-256, or the target of a symbolic link repro does not hash.
    /// </summary>
    public void Files(DiffSection section, string keyPrefix, string noun, IEnumerable<FileRecord> a, IEnumerable<FileRecord> b, DifferenceRole role) =>
        Paths(section, keyPrefix, noun, ByPath(a), ByPath(b), role);

    /// <summary>Adds one difference per path whose hash is added, removed or changed.</summary>
    public void Paths(DiffSection section, string keyPrefix, string noun, IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b, DifferenceRole role)
    {
        foreach (var path in a.Keys.Union(b.Keys).Order(StringComparer.Ordinal))
        {
            var valueA = a.GetValueOrDefault(path);
            var valueB = b.GetValueOrDefault(path);
            var change = valueA is null ? "added" : valueB is null ? "removed" : "changed";
            Add(section, $"{keyPrefix}.{path}", valueA, valueB, role, $"{noun} {path} {change}");
        }
    }

    /// <summary>Adds a metric with its absolute and relative difference, unless both values are equal (NaN equals NaN).</summary>
    public void Metric(string name, double? a, double? b)
    {
        if (Nullable.Equals(a, b))
        {
            return;
        }

        double? absolute = a is { } valueA && b is { } valueB && double.IsFinite(valueB - valueA) ? Math.Abs(valueB - valueA) : null;
        double? relative = absolute is { } abs && a is { } baseline && baseline != 0 && double.IsFinite(baseline) ? abs / Math.Abs(baseline) : null;
        var summary = $"metric {name} {DifferenceText.Number(a)} -> {DifferenceText.Number(b)}";
        if (absolute is not null)
        {
            var signed = b!.Value - a!.Value;
            summary += relative is { } rel
                ? $" ({DifferenceText.Signed(signed)}, {DifferenceText.Signed(Math.Sign(signed) * rel * 100)}%)"
                : $" ({DifferenceText.Signed(signed)})";
        }

        _differences.Add(new Difference
        {
            Section = DiffSection.Metrics,
            Key = $"metrics.{name}",
            A = a is { } metricA ? metricA.ToString(CultureInfo.InvariantCulture) : null,
            B = b is { } metricB ? metricB.ToString(CultureInfo.InvariantCulture) : null,
            Role = DifferenceRole.Outcome,
            Summary = summary,
            AbsoluteDifference = absolute,
            RelativeDifference = relative,
        });
    }

    private static Dictionary<string, string> ByPath(IEnumerable<FileRecord> files)
    {
        var byPath = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            byPath.TryAdd(file.Path, file.Sha256 ?? $"symlink to {file.LinkTarget}");
        }

        return byPath;
    }
}
