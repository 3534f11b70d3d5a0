using Repro.Core.Runs;

namespace Repro.Core.Verification.Comparison;

/// <summary>The comparison of one recorded file with its re-created version.</summary>
/// <param name="Outcome">Identical, equivalent or different.</param>
/// <param name="Comparer">Which comparison decided.</param>
/// <param name="Summary">One line for a person: what was found and, for an equivalent result, why it still counts.</param>
/// <param name="Details">
/// Lines that say where and by how much (JSON paths, CSV cells, zip entries, the first differing line or byte),
/// at most <see cref="FileComparer.MaxDetails"/> of them plus a closing "… and N more" line. Empty when identical.
/// </param>
public sealed record ComparisonResult(ComparisonOutcome Outcome, ComparerName Comparer, string Summary, IReadOnlyList<string> Details)
{
    /// <summary>The largest difference between two numbers the comparison saw (within tolerance or not); null when none.</summary>
    public NumericDifference? LargestDifference { get; init; }
}

/// <summary>A difference between a recorded and a re-created number.</summary>
/// <param name="Location">Where: a JSON path (<c>$.a.b[3]</c>), a CSV cell (<c>row 5, column 3 (rmse)</c>), prefixed by the zip entry when inside one.</param>
/// <param name="Recorded">The recorded value.</param>
/// <param name="Actual">The re-created value.</param>
/// <param name="AbsoluteDifference"><c>|Actual - Recorded|</c>.</param>
/// <param name="RelativeDifference"><c>|Actual - Recorded| / |Recorded|</c>; positive infinity when the recorded value is 0.</param>
public sealed record NumericDifference(string Location, double Recorded, double Actual, double AbsoluteDifference, double RelativeDifference);
