using System.CommandLine;
using Repro.Cli.Options;
using Repro.Core.Scheduling;

namespace Repro.Cli.Commands;

/// <summary><c>repro cancel RUN…</c>: <c>scancel</c> the jobs of cluster runs and record them KILLED.</summary>
internal sealed class CancelCommand : Command
{
    public CancelCommand()
        : base("cancel", "Cancel runs submitted with --backend slurm (scancel), pending or running; each is recorded KILLED with Slurm's reason.")
    {
        Add(Runs);
        Add(Store);
        Add(Json);
        SetAction((parseResult, cancellationToken) => CommandFailure.GuardAsync(() => ExecuteAsync(parseResult, cancellationToken)));
    }

    public Argument<string[]> Runs { get; } = new("RUN") { Description = "Run ids, unique prefixes or 'latest'.", Arity = ArgumentArity.OneOrMore };

    public Option<string?> Store { get; } = CommonOptions.Store();

    public Option<bool> Json { get; } = CommonOptions.Json();

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var store = StoreLocator.OpenExisting(parseResult.GetValue(Store));
        var ids = parseResult.GetValue(Runs)!.Select(store.Resolve).Distinct(StringComparer.Ordinal).ToList();
        var notCluster = ids.Where(id => store.Load(id).Scheduler is null).ToList();
        if (notCluster.Count > 0)
        {
            throw new Core.Errors.InputException($"run {notCluster[0]} did not run on a cluster: only runs submitted with --backend slurm can be cancelled (stop a local run with Ctrl-C)");
        }

        var manifests = await ClusterRuns.CancelAsync(store, ClusterSupport.Slurm(), ids, cancellationToken).ConfigureAwait(false);
        ClusterSupport.Write(manifests, parseResult.GetValue(Json));
        return ExitCodes.Success;
    }
}
