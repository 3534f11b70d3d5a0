using System.Globalization;
using System.Text;

namespace Repro.Core.Verification.Differences;

/// <summary>Plain-text renderings of a <see cref="ManifestDiff"/> for the CLI to print; one line per difference.</summary>
public static class ManifestDiffText
{
    /// <summary>Differences shown per section by default; a changed data directory can hold thousands of files.</summary>
    public const int DefaultMaxItemsPerSection = 50;

    /// <summary>Keys longer than this do not widen the key column, so one deep path does not push every value off screen.</summary>
    private const int MaxKeyColumn = 48;

    private const string Absent = "(absent)";

    /// <summary>
    /// The diff as <c>repro diff</c> prints it: the two run ids, a count, then per section <c>key: A -> B</c> lines with the
    /// values aligned, then the patch diff when there is one. Prints <c>identical</c> when nothing differs.
    /// </summary>
    /// <param name="diff">The comparison.</param>
    /// <param name="maxItemsPerSection">Most differences shown per section; the rest are counted.</param>
    public static string Render(ManifestDiff diff, int maxItemsPerSection = DefaultMaxItemsPerSection)
    {
        ArgumentNullException.ThrowIfNull(diff);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxItemsPerSection, 1);

        var text = new StringBuilder();
        text.Append("A: ").Append(diff.RunA).Append('\n');
        text.Append("B: ").Append(diff.RunB).Append('\n');
        if (diff.Identical)
        {
            text.Append("identical\n");
            return text.ToString();
        }

        text.Append(CultureInfo.InvariantCulture, $"{Count(diff)}\n");
        var keyColumn = Math.Min(MaxKeyColumn, diff.Differences.Max(difference => difference.Key.Length) + 1);
        foreach (var section in Enum.GetValues<DiffSection>())
        {
            var differences = diff.In(section);
            if (differences.Count == 0)
            {
                continue;
            }

            text.Append('\n').Append(section.ToString()).Append('\n');
            foreach (var difference in differences.Take(maxItemsPerSection))
            {
                text.Append("  ").Append((difference.Key + ":").PadRight(keyColumn)).Append(' ')
                    .Append(Value(difference.A)).Append(" -> ").Append(Value(difference.B))
                    .Append(Note(difference)).Append('\n');
            }

            AppendOmitted(text, differences.Count - maxItemsPerSection);
        }

        if (diff.PatchDiff is { IsEmpty: false } patch)
        {
            text.Append("\nPatch diff\n").Append(patch.Text);
            if (patch.Truncated)
            {
                text.Append(CultureInfo.InvariantCulture, $"... {patch.TotalLines - patch.ShownLines} more lines of the patch diff not shown\n");
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// What <c>repro verify</c> says about the differing factors: when results differ, they are named as the likely causes;
    /// when results differ and no recorded factor does, that says the cause is nondeterminism repro does not record.
    /// </summary>
    /// <param name="diff">The comparison of the original run (A) with its verification (B).</param>
    /// <param name="maxItems">Most factors listed; the rest are counted.</param>
    public static string RenderLikelyCauses(ManifestDiff diff, int maxItems = DefaultMaxItemsPerSection)
    {
        ArgumentNullException.ThrowIfNull(diff);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxItems, 1);

        var factors = diff.Factors;
        var text = new StringBuilder();
        if (diff.OutcomesDiffer && factors.Count == 0)
        {
            return "Results differ, but no recorded factor does: the cause is nondeterminism repro does not record "
                + "(unseeded randomness, thread scheduling, non-deterministic GPU kernels).\n";
        }

        if (factors.Count == 0)
        {
            return "No recorded factor differs.\n";
        }

        text.Append(diff.OutcomesDiffer
            ? "Results differ. Recorded factors that differ, the likely causes:\n"
            : "Results match, although these recorded factors differ:\n");
        foreach (var factor in factors.Take(maxItems))
        {
            text.Append("  - ").Append(OneLine(factor.Summary)).Append('\n');
        }

        AppendOmitted(text, factors.Count - maxItems);
        return text.ToString();
    }

    private static string Count(ManifestDiff diff)
    {
        var parts = new List<string>();
        void Add(DifferenceRole role, string singular, string plural)
        {
            var count = diff.Differences.Count(difference => difference.Role == role);
            if (count > 0)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? singular : plural)}"));
            }
        }

        Add(DifferenceRole.Factor, "factor", "factors");
        Add(DifferenceRole.Outcome, "outcome", "outcomes");
        Add(DifferenceRole.Informational, "informational", "informational");
        var total = diff.Differences.Count;
        return string.Create(CultureInfo.InvariantCulture, $"{total} {(total == 1 ? "difference" : "differences")}: {string.Join(", ", parts)}");
    }

    private static void AppendOmitted(StringBuilder text, int omitted)
    {
        if (omitted > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"  ... {omitted} more not shown\n");
        }
    }

    private static string Value(string? value) => value is null ? Absent : OneLine(DifferenceText.Shown(value));

    private static string Note(Difference difference)
    {
        if (difference.Role == DifferenceRole.Informational)
        {
            return "  (not a factor)";
        }

        if (difference.AbsoluteDifference is not { } absolute)
        {
            return string.Empty;
        }

        var note = "  (abs " + absolute.ToString("G6", CultureInfo.InvariantCulture);
        if (difference.RelativeDifference is { } relative)
        {
            note += ", rel " + (relative * 100).ToString("G3", CultureInfo.InvariantCulture) + "%";
        }

        return note + ")";
    }

    /// <summary>Values such as a rendered command may hold line breaks; one difference stays on one line.</summary>
    private static string OneLine(string text) => text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal);
}
