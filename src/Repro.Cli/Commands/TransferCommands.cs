using System.CommandLine;
using Repro.Cli.Options;
using Repro.Cli.Output;
using Repro.Core.Errors;
using Repro.Core.Remotes;
using Repro.Core.Runs;

namespace Repro.Cli.Commands;

/// <summary><c>repro push</c> and <c>repro pull</c>: runs and their data to and from a remote.</summary>
internal static class TransferCommands
{
    public static Command Push()
    {
        var (runs, all, remote, jobs, json, store) = Options("Runs to push: ids, unique prefixes or 'latest'.");
        var command = new Command("push", "Send runs, their folders and the objects they reference to a remote; only what it lacks.") { runs, all, remote, jobs, json, store };
        command.SetAction((parseResult, cancellationToken) => CommandFailure.GuardAsync(async () =>
        {
            var context = RemoteContext.Find(parseResult.GetValue(store));
            var runStore = StoreLocator.OpenExisting(parseResult.GetValue(store));
            var references = parseResult.GetValue(runs) ?? [];
            var runIds = Select(runStore, references, parseResult.GetValue(all));
            var definition = context.Load().Get(parseResult.GetValue(remote));
            using var storage = RemoteStorageFactory.Open(definition, parseResult.GetValue(jobs) ?? RemoteStorageFactory.DefaultParallelism);
            var result = await PushService.PushAsync(runStore, storage, runIds, parseResult.GetValue(jobs) ?? RemoteStorageFactory.DefaultParallelism, cancellationToken).ConfigureAwait(false);
            TransferReport.Write(result, "push", parseResult.GetValue(json));
            return ExitCodes.Success;
        }));
        return command;
    }

    public static Command Pull()
    {
        var (runs, all, remote, jobs, json, store) = Options("Runs to pull: ids or unique prefixes of runs on the remote, or 'latest'.");
        var command = new Command("pull", "Bring runs (listed by `repro list` as pulled) and the objects they reference from a remote.") { runs, all, remote, jobs, json, store };
        command.SetAction((parseResult, cancellationToken) => CommandFailure.GuardAsync(async () =>
        {
            var context = RemoteContext.Find(parseResult.GetValue(store));
            var references = parseResult.GetValue(runs) ?? [];
            var pullAll = parseResult.GetValue(all);
            if (pullAll == references.Length > 0)
            {
                throw new InputException(pullAll ? "give run names or --all, not both" : "name the runs to pull (ids, unique prefixes or 'latest'), or pass --all");
            }

            var definition = context.Load().Get(parseResult.GetValue(remote));
            using var storage = RemoteStorageFactory.Open(definition, parseResult.GetValue(jobs) ?? RemoteStorageFactory.DefaultParallelism);
            var runStore = RunStore.Open(context.StoreDirectory);
            var result = await PullService.PullAsync(runStore, storage, references, pullAll, definition, parseResult.GetValue(jobs) ?? RemoteStorageFactory.DefaultParallelism, cancellationToken).ConfigureAwait(false);
            TransferReport.Write(result, "pull", parseResult.GetValue(json));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static IReadOnlyList<string> Select(RunStore store, string[] references, bool all)
    {
        if (all == references.Length > 0)
        {
            throw new InputException(all ? "give run names or --all, not both" : "name the runs to push (ids, unique prefixes or 'latest'), or pass --all");
        }

        return all ? store.ListRunIds() : references.Select(store.Resolve).Distinct(StringComparer.Ordinal).ToList();
    }

    private static (Argument<string[]> Runs, Option<bool> All, Option<string?> Remote, Option<int?> Jobs, Option<bool> Json, Option<string?> Store) Options(string runsDescription) =>
    (
        new Argument<string[]>("RUN") { Description = runsDescription, Arity = ArgumentArity.ZeroOrMore },
        new Option<bool>("--all") { Description = "Every run." },
        new Option<string?>("--remote", "-r") { Description = "The remote (default: the default remote).", HelpName = "NAME" },
        CommonOptions.PositiveInt("--jobs", $"Transfers at once (default {RemoteStorageFactory.DefaultParallelism}).", "N"),
        CommonOptions.Json(),
        CommonOptions.Store()
    );
}
