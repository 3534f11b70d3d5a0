using System.CommandLine;
using Repro.Cli.Output;
using Repro.Core.Remotes;

namespace Repro.Cli.Commands;

/// <summary><c>repro push [RUN…|--all] [-r NAME]</c>: runs, their folders and the objects they reference to a remote.</summary>
internal sealed class PushCommand : TransferCommand
{
    public PushCommand()
        : base("push", "Send runs, their folders and the objects they reference to a remote; only what it lacks.", "Runs to push: ids, unique prefixes or 'latest'.")
    {
        SetAction((parseResult, cancellationToken) => CommandFailure.GuardAsync(() => ExecuteAsync(parseResult, cancellationToken)));
    }

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var context = RemoteContext.Find(parseResult.GetValue(Store));
        var runStore = StoreLocator.OpenExisting(parseResult.GetValue(Store));
        var runIds = parseResult.GetValue(All)
            ? runStore.ListRunIds()
            : (parseResult.GetValue(Runs) ?? []).Select(runStore.Resolve).Distinct(StringComparer.Ordinal).ToList();
        var definition = RemoteOf(parseResult, context);
        var parallelism = ParallelismOf(parseResult);
        using var storage = RemoteStorageFactory.Open(definition, parallelism);
        var result = await PushService.PushAsync(runStore, storage, runIds, parallelism, cancellationToken).ConfigureAwait(false);
        TransferReport.Write(result, "push", parseResult.GetValue(Json));
        return ExitCodes.Success;
    }
}
