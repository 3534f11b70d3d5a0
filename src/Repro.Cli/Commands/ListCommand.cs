using System.CommandLine;
using Repro.Cli.Options;
using Repro.Cli.Output;
using Repro.Core.Diagnostics;
using Repro.Core.Errors;
using Repro.Core.Pipelines;
using Repro.Core.Runs;
using Repro.Core.Scheduling;
using Repro.Core.Store;
using Repro.Core.Sweeps;

namespace Repro.Cli.Commands;

/// <summary><c>repro list</c>: the runs in the store, newest first, served from the SQLite index (or the manifests, when the index cannot be used).</summary>
internal sealed class ListCommand : Command
{
    public ListCommand()
        : base("list", "List the runs in the store, newest first.")
    {
        foreach (var option in new Option[] { Store, EntryPoint, Status, ExperimentName, Limit, Json, Pipelines, Sweep })
        {
            Add(option);
        }

        SetAction((parseResult, _) => CommandFailure.GuardAsync(() => Task.FromResult(Execute(parseResult))));
    }

    public Option<string?> Store { get; } = CommonOptions.Store();

    public Option<string?> Sweep { get; } = new("--sweep") { Description = "Only the runs of this sweep (an id or a unique prefix).", HelpName = "SWEEP" };

    public Option<string?> EntryPoint { get; } = new("--entry-point", "-e") { Description = "Only runs of this entry point.", HelpName = "NAME" };

    public Option<RunStatus?> Status { get; } = new("--status")
    {
        Description = "Only runs with this status: RUNNING, FINISHED, FAILED, KILLED, ABANDONED (repro died before recording the end) or DAMAGED (run.json cannot be read).",
        HelpName = "STATUS",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            var status = Enum.GetValues<RunStatus>().Where(value => string.Equals(value.Name(), text, StringComparison.OrdinalIgnoreCase)).ToList();
            if (status.Count == 1)
            {
                return status[0];
            }

            result.AddError($"--status must be one of {string.Join(", ", Enum.GetValues<RunStatus>().Select(value => value.Name()))}, not '{text}'");
            return null;
        },
    };

    public Option<string?> ExperimentName { get; } = new("--experiment-name") { Description = "Only runs of this experiment.", HelpName = "NAME" };

    public Option<int?> Limit { get; } = CommonOptions.PositiveInt("--limit", "Show at most N runs (newest first).", "N");

    public Option<bool> Json { get; } = CommonOptions.Json();

    public Option<bool> Pipelines { get; } = new("--pipelines") { Description = "List pipelines (newest first) instead of runs." };

    /// <summary>The filters the parsed command line asks for.</summary>
    public RunQuery QueryOf(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        return new RunQuery(parseResult.GetValue(EntryPoint), parseResult.GetValue(Status), parseResult.GetValue(ExperimentName), parseResult.GetValue(Limit));
    }

    private int Execute(ParseResult parseResult)
    {
        var opening = Timings.Measure("store: locate");
        var runStore = StoreLocator.OpenExisting(parseResult.GetValue(Store));
        opening.Dispose();
        if (parseResult.GetValue(Pipelines))
        {
            return ListPipelines(new PipelineStore(runStore), parseResult.GetValue(Limit), parseResult.GetValue(Json));
        }

        var (runs, warnings) = ListRuns(parseResult, runStore);

        // Cluster runs whose job ended without recording the end are settled from Slurm: none stays QUEUED for ever.
        if (ClusterRuns.ActiveRunIds(runStore, runs) is { Count: > 0 } active)
        {
            ClusterSupport.SettleQuietly(runStore, active);
            runs = ListRuns(parseResult, runStore).Runs;
        }

        foreach (var warning in warnings)
        {
            Console.Error.WriteLine(WarningLines.Format(warning));
        }

        using var rendering = Timings.Measure("render and print");
        if (parseResult.GetValue(Json))
        {
            Console.Out.WriteLine(JsonOutput.Serialize(runs, CliJsonContext.Default.IReadOnlyListRunSummary));
        }
        else
        {
            Console.Out.Write(RunTable.Render(runs));
        }

        return ExitCodes.Success;
    }

    private (IReadOnlyList<RunSummary> Runs, IReadOnlyList<string> Warnings) ListRuns(ParseResult parseResult, RunStore runStore)
    {
        IReadOnlyList<RunSummary> runs;
        IReadOnlyList<string> warnings;
        if (parseResult.GetValue(Sweep) is { } sweepReference)
        {
            var sweeps = new SweepStore(runStore);
            var sweepId = sweeps.TryResolve(sweepReference) ?? throw new InputException($"no sweep matches '{sweepReference}' in {runStore.Root}");
            var members = sweeps.Load(sweepId).Points.Select(point => point.RunId).OfType<string>().ToHashSet(StringComparer.Ordinal);
            var query = QueryOf(parseResult);
            (var all, warnings) = RunListing.List(runStore, query with { Limit = null });
            var selected = all.Where(run => members.Contains(run.RunId));
            runs = [.. query.Limit is > 0 and var limit ? selected.Take(limit) : selected];
        }
        else
        {
            (runs, warnings) = RunListing.List(runStore, QueryOf(parseResult));
        }

        return (runs, warnings);
    }

    private static int ListPipelines(PipelineStore pipelines, int? limit, bool asJson)
    {
        var records = pipelines.List().Reverse().Take(limit ?? int.MaxValue).Select(pipelines.Load).ToArray();
        if (asJson)
        {
            Console.Out.WriteLine(JsonOutput.Serialize(records, ManifestJsonContext.Default.PipelineRecordArray));
            return ExitCodes.Success;
        }

        Console.Out.WriteLine("PIPELINE                      STATUS    STEPS  EXECUTED  REUSED  TARGETS");
        foreach (var record in records)
        {
            var executed = record.Steps.Count(step => step.State == PipelineStepState.Executed);
            var reused = record.Steps.Count(step => step.State == PipelineStepState.Reused);
            Console.Out.WriteLine($"{record.PipelineId}  {record.Status.Name(),-8}  {record.Steps.Count,5}  {executed,8}  {reused,6}  {string.Join(",", record.Targets)}");
        }

        return ExitCodes.Success;
    }
}
