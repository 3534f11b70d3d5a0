using System.CommandLine;
using Repro.Cli.Options;
using Repro.Core.Errors;
using Repro.Core.Remotes;

namespace Repro.Cli.Commands;

/// <summary>What <c>repro push</c> and <c>repro pull</c> share: which runs, which remote, how many transfers at once.</summary>
internal abstract class TransferCommand : Command
{
    protected TransferCommand(string name, string description, string runsDescription)
        : base(name, description)
    {
        Runs = new Argument<string[]>("RUN") { Description = runsDescription, Arity = ArgumentArity.ZeroOrMore };
        Add(Runs);
        foreach (var option in new Option[] { All, Remote, Jobs, Json, Store })
        {
            Add(option);
        }

        Validators.Add(result =>
        {
            var all = result.GetValue(All);
            var named = (result.GetValue(Runs) ?? []).Length > 0;
            if (all && named)
            {
                result.AddError("give run names or --all, not both");
            }
            else if (!all && !named)
            {
                result.AddError($"name the runs to {name} (ids, unique prefixes or 'latest'), or pass --all");
            }
        });
    }

    public Argument<string[]> Runs { get; }

    public Option<bool> All { get; } = new("--all") { Description = "Every run." };

    public Option<string?> Remote { get; } = new("--remote", "-r") { Description = "The remote (default: the default remote).", HelpName = "NAME" };

    public Option<int?> Jobs { get; } = CommonOptions.PositiveInt("--jobs", $"Transfers at once (default {RemoteStorageFactory.DefaultParallelism}).", "N");

    public Option<bool> Json { get; } = CommonOptions.Json();

    public Option<string?> Store { get; } = CommonOptions.Store();

    /// <summary>How many transfers run at once.</summary>
    public int ParallelismOf(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        return parseResult.GetValue(Jobs) ?? RemoteStorageFactory.DefaultParallelism;
    }

    /// <summary>The remote named by <c>--remote</c>, else the default one.</summary>
    /// <exception cref="InputException">No such remote, or no default.</exception>
    protected RemoteDefinition RemoteOf(ParseResult parseResult, RemoteContext context) => context.Load().Get(parseResult.GetValue(Remote));
}
