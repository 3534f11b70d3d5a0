using System.CommandLine;
using Repro.Cli.Options;
using Repro.Cli.Output;
using Repro.Core.Diagnostics;
using Repro.Core.Errors;
using Repro.Core.Pipelines;
using Repro.Core.Runs;
using Repro.Core.Store;
using Repro.Core.Sweeps;

namespace Repro.Cli.Commands;

/// <summary><c>repro show RUN</c>: a readable summary of one run (<c>--json</c>: the manifest itself).</summary>
internal sealed class ShowCommand : Command
{
    public ShowCommand()
        : base("show", "Show what a run recorded.")
    {
        Add(Run);
        Add(Store);
        Add(Json);
        Add(Pipeline);
        Add(SortBy);
        SetAction((parseResult, _) => CommandFailure.GuardAsync(() => Task.FromResult(Execute(parseResult))));
    }

    public Argument<string> Run { get; } = CommonOptions.RunReference();

    public Option<string?> Store { get; } = CommonOptions.Store();

    public Option<bool> Json { get; } = CommonOptions.Json();

    public Option<bool> Pipeline { get; } = new("--pipeline") { Description = "RUN names a pipeline (an id, a prefix or latest); an id or prefix that names no run is tried as a pipeline anyway." };

    public Option<string?> SortBy { get; } = new("--sort-by") { Description = "For a sweep: sort its points by this metric, smallest first.", HelpName = "METRIC" };

    private int Execute(ParseResult parseResult)
    {
        var resolving = Timings.Measure("find the store, resolve the run");
        var runStore = StoreLocator.OpenExisting(parseResult.GetValue(Store));
        var reference = parseResult.GetValue(Run)!;

        // Resolved once: each resolution lists the store's run folders.
        var runId = StoreLocator.TryResolveRun(runStore, reference);
        var pipelines = new PipelineStore(runStore);
        if (parseResult.GetValue(Pipeline) || (runId is null && pipelines.TryResolve(reference) is not null))
        {
            resolving.Dispose();
            var id = pipelines.TryResolve(reference) ?? throw new InputException($"no pipeline matches '{reference}' in {runStore.Root}");
            PipelineReport.WriteRecord(pipelines.Load(id), pipelines.PathOf(id), parseResult.GetValue(Json));
            return ExitCodes.Success;
        }

        var sweeps = new SweepStore(runStore);
        if (runId is null && sweeps.TryResolve(reference) is { } sweepId)
        {
            resolving.Dispose();
            var sweep = sweeps.Load(sweepId);
            ClusterSupport.SettleQuietly(runStore, [.. sweep.Points.Select(point => point.RunId).OfType<string>()]);
            SweepTable.Write(runStore, SweepService.Refresh(runStore, sweep), parseResult.GetValue(SortBy), parseResult.GetValue(Json));
            return ExitCodes.Success;
        }

        if (parseResult.GetValue(SortBy) is not null)
        {
            throw new InputException("--sort-by sorts the points of a sweep; give a sweep id");
        }

        // Names no run, pipeline or sweep: resolving again gives the error that says why.
        var folder = runStore.GetRunFolder(runId ?? runStore.Resolve(reference));
        resolving.Dispose();
        if (parseResult.GetValue(Json))
        {
            ClusterSupport.SettleQuietly(runStore, [folder.RunId]);

            // The manifest exactly as stored: what --json consumers parse is what the schema describes.
            using var stdout = Console.OpenStandardOutput();
            stdout.Write(File.ReadAllBytes(folder.Manifest));
            return ExitCodes.Success;
        }

        var warnings = new List<string>();
        RunManifest manifest;
        using (Timings.Measure("read the manifest"))
        {
            // Read once for a local run; a cluster run that has not ended is settled from Slurm first, then read again.
            manifest = runStore.Load(folder.RunId, warnings);
            if (ClusterSupport.NeedsSettling(manifest))
            {
                ClusterSupport.SettleQuietly(runStore, [folder.RunId]);
                warnings.Clear();
                manifest = runStore.Load(folder.RunId, warnings);
            }
        }

        foreach (var warning in warnings)
        {
            Console.Error.WriteLine(WarningLines.Format(warning));
        }

        using (Timings.Measure("render and print"))
        {
            Console.Out.Write(ManifestText.Render(manifest, folder.Manifest, runStore.DisplayStatus(manifest)));
        }

        return ExitCodes.Success;
    }
}
