using System.CommandLine;
using Repro.Cli.Signals;
using Repro.Core.Runs;
using Repro.Core.Scheduling;

namespace Repro.Cli.Commands;

/// <summary>
/// <c>repro slurm-job --store STORE RUN</c>, hidden: what the job script runs on the node. It executes the QUEUED run in
/// its snapshot and records it (docs/scale-out.md); users never call it.
/// </summary>
internal sealed class SlurmJobCommand : Command
{
    public SlurmJobCommand()
        : base(JobScript.JobCommand, "Run a queued run on a cluster node (started by the job script of --backend slurm).")
    {
        Hidden = true;
        Add(Run);
        Add(Store);
        SetAction((parseResult, cancellationToken) => CommandFailure.GuardAsync(() => ExecuteAsync(parseResult, cancellationToken)));
    }

    public Argument<string> Run { get; } = new("RUN") { Description = "The queued run's id." };

    public Option<string> Store { get; } = new("--store") { Description = "The store on the shared file system.", HelpName = "DIR", Required = true };

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        using var signals = new SignalForwarder();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals.Token);
        var manifest = await ClusterJobRunner.RunAsync(
            new ClusterJobRequest(parseResult.GetValue(Store)!, parseResult.GetValue(Run)!, ProcessEnvironment.Variables())
            {
                EchoStdout = Console.OpenStandardOutput(),
                EchoStderr = Console.OpenStandardError(),
            },
            signals.Interruption,
            linked.Token).ConfigureAwait(false);
        Console.Error.WriteLine($"repro: run {manifest.RunId} {manifest.Status.Name()}{(manifest.StatusMessage is { } message ? $": {message}" : string.Empty)}");
        return ClusterSupport.ExitCode([manifest]);
    }
}
