using Repro.Core.Errors;
using Repro.Core.Scheduling;
using Repro.Core.Store;

namespace Repro.Cli.Commands;

/// <summary><c>repro cancel RUN…</c>: <c>scancel</c> the jobs of cluster runs and record them KILLED.</summary>
internal sealed class CancelCommand : ClusterRunsCommand
{
    public CancelCommand()
        : base("cancel", "Cancel runs submitted with --backend slurm (scancel), pending or running; each is recorded KILLED with Slurm's reason.")
    {
    }

    protected override async Task<int> ExecuteAsync(RunStore store, IReadOnlyList<string> runIds, bool asJson, CancellationToken cancellationToken)
    {
        var notCluster = runIds.Where(id => store.Load(id).Scheduler is null).ToList();
        if (notCluster.Count > 0)
        {
            throw new InputException($"run {notCluster[0]} did not run on a cluster: only runs submitted with --backend slurm can be cancelled (stop a local run with Ctrl-C)");
        }

        var manifests = await ClusterRuns.CancelAsync(store, ClusterSupport.Slurm(), runIds, cancellationToken).ConfigureAwait(false);
        ClusterSupport.Write(manifests, asJson);
        return ExitCodes.Success;
    }
}
