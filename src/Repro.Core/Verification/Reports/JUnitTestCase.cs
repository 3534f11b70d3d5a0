using Repro.Core.Runs;
using Repro.Core.Verification.Comparison;

namespace Repro.Core.Verification.Reports;

/// <summary>One test case of a JUnit report: one compared output or metric.</summary>
/// <param name="ClassName">The group it belongs to, such as <see cref="JUnitReport.OutputsClassName"/>.</param>
/// <param name="Name">The output's path or the metric's name.</param>
/// <param name="Outcome">Different becomes a failure; identical and equivalent pass.</param>
/// <param name="Summary">One line: a failure's message, or the first line of an equivalent case's output.</param>
/// <param name="Details">Further lines: the body of a failure or an equivalent case's output.</param>
public sealed record JUnitTestCase(string ClassName, string Name, ComparisonOutcome Outcome, string Summary, IReadOnlyList<string> Details)
{
    /// <summary>Seconds the comparison took; 0 when not measured.</summary>
    public double TimeSeconds { get; init; }

    /// <summary>The case for a compared output file.</summary>
    /// <param name="path">The output's path as the user knows it (relative to the project).</param>
    /// <param name="result">Its comparison.</param>
    public static JUnitTestCase ForOutput(string path, ComparisonResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new JUnitTestCase(JUnitReport.OutputsClassName, path, result.Outcome, result.Summary, result.Details);
    }

    /// <summary>The case for a compared metric.</summary>
    /// <param name="metric">Its comparison.</param>
    public static JUnitTestCase ForMetric(MetricComparison metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return new JUnitTestCase(JUnitReport.MetricsClassName, metric.Name, metric.Outcome, metric.Summary, []);
    }
}

/// <summary>A JUnit test suite: one verification.</summary>
/// <param name="Name">The suite's name, such as <c>repro verify RUN_ID</c>.</param>
/// <param name="Timestamp">When the verification started.</param>
/// <param name="TimeSeconds">How long it took, in seconds.</param>
/// <param name="Cases">The cases in report order.</param>
public sealed record JUnitSuite(string Name, DateTimeOffset Timestamp, double TimeSeconds, IReadOnlyList<JUnitTestCase> Cases)
{
    /// <summary>The machine it ran on, when known.</summary>
    public string? Hostname { get; init; }

    /// <summary>Facts CI shows next to the results (the recorded and the verification run ids, the tolerance), in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Properties { get; init; } = [];
}
