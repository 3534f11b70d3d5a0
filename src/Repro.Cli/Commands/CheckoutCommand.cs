using System.CommandLine;
using Repro.Cli.Options;
using Repro.Cli.Output;
using Repro.Core.Checkout;
using Repro.Core.Remotes;

namespace Repro.Cli.Commands;

/// <summary><c>repro checkout RUN [PATH…]</c>: put a run's exact input and output files back into the project.</summary>
internal sealed class CheckoutCommand : Command
{
    public CheckoutCommand()
        : base("checkout", "Restore the exact files a run read and wrote, from the store (or the default remote).")
    {
        Add(Run);
        Add(Paths);
        foreach (var option in new Option[] { Inputs, Outputs, Force, Project, Json, Store })
        {
            Add(option);
        }

        SetAction((parseResult, cancellationToken) => CommandFailure.GuardAsync(() => ExecuteAsync(parseResult, cancellationToken)));
    }

    public Argument<string> Run { get; } = CommonOptions.RunReference();

    public Argument<string[]> Paths { get; } = new("PATH")
    {
        Description = "Only these files or folders (default: every selected file of the run).",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public Option<bool> Inputs { get; } = new("--inputs") { Description = "Restore the run's inputs (with --outputs: both; neither: both)." };

    public Option<bool> Outputs { get; } = new("--outputs") { Description = "Restore the run's outputs." };

    public Option<bool> Force { get; } = new("--force") { Description = "Overwrite files that differ from the record (without it, nothing is changed and they are listed)." };

    public Option<string?> Project { get; } = new("--project") { Description = "The project to restore into (default: found from the current folder).", HelpName = "DIR" };

    public Option<bool> Json { get; } = CommonOptions.Json();

    public Option<string?> Store { get; } = CommonOptions.Store();

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var asJson = parseResult.GetValue(Json);
        var runStore = StoreLocator.OpenExisting(parseResult.GetValue(Store));
        using var progress = HashProgressBar.ForStandardError(enabled: !asJson);
        var request = new DataCheckoutRequest
        {
            Store = runStore,
            RunReference = parseResult.GetValue(Run)!,
            CurrentDirectory = Environment.CurrentDirectory,
            ProjectDirectory = parseResult.GetValue(Project),
            Paths = parseResult.GetValue(Paths) ?? [],
            Inputs = parseResult.GetValue(Inputs),
            Outputs = parseResult.GetValue(Outputs),
            Force = parseResult.GetValue(Force),
            OpenDefaultRemote = projectDirectory =>
                RemoteConfiguration.Load(projectDirectory, runStore.Root).Default is { } remote ? RemoteStorageFactory.Open(remote) : null,
            HashProgress = progress,
        };
        var result = await DataCheckout.CheckoutAsync(request, cancellationToken).ConfigureAwait(false);
        CheckoutReport.Write(result, asJson);
        return result.Completed ? ExitCodes.Success : ExitCodes.BadInput;
    }
}
