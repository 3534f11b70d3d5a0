using System.CommandLine;
using Repro.Cli.Options;
using Repro.Core.Store;

namespace Repro.Cli.Commands;

/// <summary>
/// What <c>repro wait</c> and <c>repro cancel</c> share: the runs (ids, unique prefixes or <c>latest</c>), <c>--store</c>
/// and <c>--json</c>, the store opened and each run resolved once, and failures mapped to exit codes.
/// </summary>
internal abstract class ClusterRunsCommand : Command
{
    protected ClusterRunsCommand(string name, string description)
        : base(name, description)
    {
        Add(Runs);
        Add(Store);
        Add(Json);
        SetAction((parseResult, cancellationToken) => CommandFailure.GuardAsync(() =>
        {
            var store = StoreLocator.OpenExisting(parseResult.GetValue(Store));
            var ids = parseResult.GetValue(Runs)!.Select(store.Resolve).Distinct(StringComparer.Ordinal).ToList();
            return ExecuteAsync(store, ids, parseResult.GetValue(Json), cancellationToken);
        }));
    }

    public Argument<string[]> Runs { get; } = new("RUN") { Description = "Run ids, unique prefixes or 'latest'.", Arity = ArgumentArity.OneOrMore };

    public Option<string?> Store { get; } = CommonOptions.Store();

    public Option<bool> Json { get; } = CommonOptions.Json();

    /// <summary>The command's work on the resolved runs, in the order given, each once; returns the exit code.</summary>
    protected abstract Task<int> ExecuteAsync(RunStore store, IReadOnlyList<string> runIds, bool asJson, CancellationToken cancellationToken);
}
