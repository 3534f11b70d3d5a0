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

    public static void WriteJUnit(string path, VerifyOutcome outcome, DateTimeOffset startedAt) =>
        JUnitReport.Write(path, Suite(outcome, $"repro verify {outcome.Original.RunId}", startedAt, []));

    /// <summary>What <c>repro verify PIPELINE</c> prints: the pipeline's verdict, then each step's report under its name.</summary>
    public static void Write(PipelineVerifyOutcome outcome, bool asJson)
    {
        foreach (var warning in outcome.Warnings.Concat(outcome.Steps.SelectMany(step => step.Outcome.Warnings)))
        {
            Console.Error.WriteLine(WarningLines.Format(warning));
        }

        if (asJson)
        {
            Console.Out.WriteLine(JsonOutput.Serialize(ToJson(outcome), CliJsonContext.Default.PipelineVerifyResultJson));
            return;
        }

        Console.Out.Write(Render(outcome));
    }

    public static string Render(PipelineVerifyOutcome outcome)
    {
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.Append(culture, $"verify pipeline {outcome.Pipeline.PipelineId}: {outcome.Verdict.Name()}: {outcome.Summary}\n");
        foreach (var problem in outcome.Problems.Count > 1 ? outcome.Problems : [])
        {
            text.Append(culture, $"  {problem}\n");
        }

        foreach (var step in outcome.Steps)
        {
            var reused = step.ReusedFrom is { } from ? $" (the pipeline reused run {from}; re-executed all the same)" : string.Empty;
            text.Append(culture, $"step {step.Name}{reused}:\n");
            foreach (var line in Render(step.Outcome).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                text.Append("  ").Append(line).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>The JUnit file of a pipeline's verification: one test suite per step, named after it.</summary>
    public static void WriteJUnit(string path, PipelineVerifyOutcome outcome, DateTimeOffset startedAt)
    {
        var name = $"repro verify pipeline {outcome.Pipeline.PipelineId}";
        if (outcome.Steps.Count == 0)
        {
            var cases = new List<JUnitTestCase> { new("repro.verify", "verifiable", ComparisonOutcome.Different, outcome.Summary, outcome.Problems) };
            JUnitReport.Write(path, name, [new JUnitSuite(name, startedAt, (DateTimeOffset.UtcNow - startedAt).TotalSeconds, cases)]);
            return;
        }

        JUnitReport.Write(
            path,
            name,
            [.. outcome.Steps.Select(step => Suite(step.Outcome, $"step {step.Name}", startedAt, [KeyValuePair.Create("pipeline", outcome.Pipeline.PipelineId), KeyValuePair.Create("step", step.Name)]))]);
    }

    private static JUnitSuite Suite(VerifyOutcome outcome, string name, DateTimeOffset startedAt, IReadOnlyList<KeyValuePair<string, string>> properties)
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

        return new JUnitSuite(name, startedAt, (DateTimeOffset.UtcNow - startedAt).TotalSeconds, cases)
        {
            Properties =
            [
                .. properties,
                KeyValuePair.Create("run", outcome.Original.RunId),
                KeyValuePair.Create("verdict", outcome.Verdict.Name()),
                KeyValuePair.Create("verificationRun", outcome.Verification?.RunId ?? string.Empty),
            ],
        };
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

    private static PipelineVerifyResultJson ToJson(PipelineVerifyOutcome outcome) => new(
        outcome.Verdict,
        outcome.Summary,
        outcome.Pipeline.PipelineId,
        outcome.Steps.Select(step => new PipelineStepVerifyJson(step.Name, step.ReusedFrom, ToJson(step.Outcome))).ToList(),
        outcome.Problems);
}

/// <summary>The JSON object <c>repro verify PIPELINE --json</c> prints.</summary>
internal sealed record PipelineVerifyResultJson(
    Verdict Verdict,
    string Summary,
    string PipelineId,
    IReadOnlyList<PipelineStepVerifyJson> Steps,
    IReadOnlyList<string> Problems);

/// <summary>One step in <c>repro verify PIPELINE --json</c>: its name and its own verification.</summary>
internal sealed record PipelineStepVerifyJson(string Step, string? ReusedFrom, VerifyResultJson Verification);

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
