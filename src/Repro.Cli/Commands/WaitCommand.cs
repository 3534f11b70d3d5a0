using System.CommandLine;
using Repro.Cli.Options;

namespace Repro.Cli.Commands;

/// <summary><c>repro wait RUN…</c>: block until cluster runs end; exit as <c>repro run</c> would for them.</summary>
internal sealed class WaitCommand : Command
{
    public WaitCommand()
        : base("wait", "Wait until runs submitted with --backend slurm end (settling them from Slurm's state); exit 0 when all finished, 1 when one failed, 130 when one was killed.")
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
        return await ClusterSupport.WaitAsync(store, ids, parseResult.GetValue(Json), cancellationToken).ConfigureAwait(false);
    }
}
