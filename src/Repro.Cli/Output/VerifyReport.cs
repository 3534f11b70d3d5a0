using System.Globalization;
using System.Text;
using Repro.Core.Runs;
using Repro.Core.Verification;
using Repro.Core.Verification.Comparison;
using Repro.Core.Verification.Reports;

namespace Repro.Cli.Output;

/// <summary>What <c>repro verify</c> prints, and its JUnit file.</summary>
internal static class VerifyReport
{
    private const int MaxDetailsShown = 8;

    public static void Write(VerifyOutcome outcome, bool asJson)
    {
        foreach (var warning in outcome.Warnings)
        {
            Console.Error.WriteLine(WarningLines.Format(warning));
        }

        if (asJson)
        {
            Console.Out.WriteLine(JsonOutput.Serialize(ToJson(outcome), CliJsonContext.Default.VerifyResultJson));
            return;
        }

        Console.Out.Write(Render(outcome));
    }

    public static string Render(VerifyOutcome outcome)
    {
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.Append(culture, $"verify {outcome.Original.RunId}: {outcome.Verdict.Name()}: {outcome.Summary}\n");
        foreach (var problem in outcome.Problems.Count > 1 ? outcome.Problems : [])
        {
            text.Append(culture, $"  {problem}\n");
        }

        foreach (var restored in outcome.RestoredInputs)
        {
            text.Append(culture, $"  input {restored.Path}: workspace differs, restored from {restored.From}\n");
        }

        foreach (var output in outcome.Outputs)
        {
            AppendCheck(text, output.Result.Outcome.Name(), output.Path, output.Result.Summary, output.Result.Details);
        }

        foreach (var metric in outcome.Metrics)
        {
            AppendCheck(text, metric.Outcome.Name(), $"metric {metric.Name}", metric.Summary, []);
        }

        if (outcome.LikelyCauses.Length > 0)
        {
            text.Append(outcome.LikelyCauses.TrimEnd('\n')).Append('\n');
        }

        if (outcome.Verification is { } verification)
        {
            text.Append(culture, $"verification run {verification.RunId} (repro show {verification.RunId})\n");
        }

        return text.ToString();
    }

    public static void WriteJUnit(string path, VerifyOutcome outcome, DateTimeOffset startedAt)
    {
        var cases = new List<JUnitTestCase>();
        if (outcome.Verdict == Verdict.NotVerifiable)
        {
            cases.Add(new JUnitTestCase("repro.verify", "verifiable", ComparisonOutcome.Different, outcome.Summary, outcome.Problems));
        }

        cases.AddRange(outcome.Outputs.Select(output => JUnitTestCase.ForOutput(output.Path, output.Result)));
        cases.AddRange(outcome.Metrics.Select(JUnitTestCase.ForMetric));
        if (outcome.Verdict != Verdict.NotVerifiable && cases.Count == 0)
        {
            cases.Add(new JUnitTestCase("repro.verify", "re-run", ComparisonOutcome.Identical, outcome.Summary, []));
        }

        var suite = new JUnitSuite($"repro verify {outcome.Original.RunId}", startedAt, (DateTimeOffset.UtcNow - startedAt).TotalSeconds, cases)
        {
            Properties =
            [
                KeyValuePair.Create("run", outcome.Original.RunId),
                KeyValuePair.Create("verdict", outcome.Verdict.Name()),
                KeyValuePair.Create("verificationRun", outcome.Verification?.RunId ?? string.Empty),
            ],
        };
        JUnitReport.Write(path, suite);
    }

    private static void AppendCheck(StringBuilder text, string outcome, string what, string summary, IReadOnlyList<string> details)
    {
        text.Append(CultureInfo.InvariantCulture, $"  {outcome,-11}{what}: {summary}\n");
        foreach (var detail in details.Take(MaxDetailsShown))
        {
            text.Append(CultureInfo.InvariantCulture, $"  {string.Empty,-11}  {detail}\n");
        }

        if (details.Count > MaxDetailsShown)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {string.Empty,-11}  … {details.Count - MaxDetailsShown} more (see --json)\n");
        }
    }

    private static VerifyResultJson ToJson(VerifyOutcome outcome) => new(
        outcome.Verdict,
        outcome.Summary,
        outcome.Original.RunId,
        outcome.Verification?.RunId,
        outcome.Outputs.Select(output => new OutputCheckJson(output.Path, output.Result.Outcome, output.Result.Comparer, output.Result.Summary, output.Result.Details, output.Result.LargestDifference)).ToList(),
        outcome.Metrics,
        outcome.Problems,
        outcome.Verification?.Verification?.LikelyCauses ?? [],
        outcome.RestoredInputs);
}

/// <summary>The JSON object <c>repro verify --json</c> prints.</summary>
internal sealed record VerifyResultJson(
    Verdict Verdict,
    string Summary,
    string RunId,
    string? VerificationRunId,
    IReadOnlyList<OutputCheckJson> Outputs,
    IReadOnlyList<MetricComparison> Metrics,
    IReadOnlyList<string> Problems,
    IReadOnlyList<string> LikelyCauses,
    IReadOnlyList<RestoredInput> RestoredInputs);

/// <summary>One output in <c>repro verify --json</c>.</summary>
internal sealed record OutputCheckJson(
    string Path,
    ComparisonOutcome Outcome,
    ComparerName Comparer,
    string Summary,
    IReadOnlyList<string> Details,
    NumericDifference? LargestDifference);
