using Repro.Core.Store;

namespace Repro.Cli.Commands;

/// <summary><c>repro wait RUN…</c>: block until cluster runs end; exit as <c>repro run</c> would for them.</summary>
internal sealed class WaitCommand : ClusterRunsCommand
{
    public WaitCommand()
        : base("wait", "Wait until runs submitted with --backend slurm end (settling them from Slurm's state); exit 0 when all finished, 1 when one failed, 130 when one was killed.")
    {
    }

    protected override Task<int> ExecuteAsync(RunStore store, IReadOnlyList<string> runIds, bool asJson, CancellationToken cancellationToken) =>
        ClusterSupport.WaitAsync(store, runIds, asJson, cancellationToken);
}
