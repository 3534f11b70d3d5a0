using Repro.Core.Pipelines;
using Repro.Core.Runs;

namespace Repro.Cli.Output;

/// <summary>Renders pipelines: the plan of <c>--dry-run</c>, a step's progress, and a pipeline's record.</summary>
internal static class PipelineReport
{
    /// <summary>The plan: one line per step, upstream first, with run or reuse and why.</summary>
    public static void WritePlan(PipelinePlan plan, bool asJson)
    {
        if (asJson)
        {
            Console.Out.WriteLine(JsonOutput.Serialize([.. plan.Steps], ManifestJsonContext.Default.PipelineStepRecordArray));
            return;
        }

        var width = plan.Steps.Max(step => step.Name.Length);
        foreach (var step in plan.Steps)
        {
            var after = step.Upstream.Count > 0 ? $" (after {string.Join(", ", step.Upstream)})" : string.Empty;
            Console.Out.WriteLine($"{step.Name.PadRight(width)}  {step.Reason}{after}");
        }

        Console.Out.WriteLine("dry run: nothing was run or written");
    }

    /// <summary>One line on standard error when a step starts or ends.</summary>
    public static void WriteProgress(PipelineStepRecord step)
    {
        var line = step.State switch
        {
            PipelineStepState.Pending => $"step {step.Name}: starting",
            PipelineStepState.Reused => $"step {step.Name}: reused run {step.ReusedFrom} (outputs restored, nothing executed) as run {step.RunId}",
            PipelineStepState.Executed => $"step {step.Name}: executed as run {step.RunId}, {(step.Status ?? RunStatus.Running).Name()} ({step.Reason})",
            _ => $"step {step.Name}: not run: {step.Reason}",
        };
        Console.Error.WriteLine($"repro: {line}");
    }

    /// <summary>The record: its status, then one line per step.</summary>
    public static void WriteRecord(PipelineRecord record, string path, bool asJson)
    {
        if (asJson)
        {
            Console.Out.WriteLine(JsonOutput.Serialize(record, ManifestJsonContext.Default.PipelineRecord));
            return;
        }

        var executed = record.Steps.Count(step => step.State == PipelineStepState.Executed);
        var reused = record.Steps.Count(step => step.State == PipelineStepState.Reused);
        Console.Out.WriteLine($"pipeline {record.PipelineId}: {record.Status.Name()} ({record.Steps.Count} step(s): {executed} executed, {reused} reused)");
        if (record.StatusMessage is { } message)
        {
            Console.Out.WriteLine($"  {message}");
        }

        var width = record.Steps.Max(step => step.Name.Length);
        foreach (var step in record.Steps)
        {
            var state = step.State switch
            {
                PipelineStepState.Executed => "executed",
                PipelineStepState.Reused => "reused  ",
                PipelineStepState.NotRun => "not run ",
                _ => "pending ",
            };
            var run = step.RunId is { } id ? $"run {id} {(step.Status ?? RunStatus.Running).Name()}" : step.Reason;
            var from = step.ReusedFrom is { } source ? $" from {source}" : string.Empty;
            Console.Out.WriteLine($"  {step.Name.PadRight(width)}  {state}  {run}{from}");
        }

        Console.Out.WriteLine($"record: {path}");
    }
}
