using System.CommandLine;
using Repro.Cli.Output;
using Repro.Core.Remotes;
using Repro.Core.Store;

namespace Repro.Cli.Commands;

/// <summary><c>repro pull [RUN…|--all] [-r NAME]</c>: runs (listed as pulled) and the objects they reference from a remote.</summary>
internal sealed class PullCommand : TransferCommand
{
    public PullCommand()
        : base("pull", "Bring runs (listed by `repro list` as pulled) and the objects they reference from a remote.", "Runs to pull: ids or unique prefixes of runs on the remote, or 'latest'.")
    {
        SetAction((parseResult, cancellationToken) => CommandFailure.GuardAsync(() => ExecuteAsync(parseResult, cancellationToken)));
    }

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var context = RemoteContext.Find(parseResult.GetValue(Store));
        var definition = RemoteOf(parseResult, context);
        var parallelism = ParallelismOf(parseResult);
        using var storage = RemoteStorageFactory.Open(definition, parallelism);
        var runStore = RunStore.Open(context.StoreDirectory);
        var result = await PullService.PullAsync(runStore, storage, parseResult.GetValue(Runs) ?? [], parseResult.GetValue(All), definition, parallelism, cancellationToken).ConfigureAwait(false);
        TransferReport.Write(result, "pull", parseResult.GetValue(Json));
        return ExitCodes.Success;
    }
}
