using System.CommandLine;
using Repro.Cli.Options;
using Repro.Cli.Output;
using Repro.Core.Checkout;
using Repro.Core.Remotes;

namespace Repro.Cli.Commands;

/// <summary><c>repro checkout RUN [PATH…]</c>: put a run's exact input and output files back into the project.</summary>
internal static class CheckoutCommand
{
    public static Command Create()
    {
        var run = CommonOptions.RunReference();
        var paths = new Argument<string[]>("PATH") { Description = "Only these files or folders (default: every selected file of the run).", Arity = ArgumentArity.ZeroOrMore };
        var inputs = new Option<bool>("--inputs") { Description = "Restore the run's inputs (with --outputs: both; neither: both)." };
        var outputs = new Option<bool>("--outputs") { Description = "Restore the run's outputs." };
        var force = new Option<bool>("--force") { Description = "Overwrite files that differ from the record (without it, nothing is changed and they are listed)." };
        var project = new Option<string?>("--project") { Description = "The project to restore into (default: found from the current folder).", HelpName = "DIR" };
        var json = CommonOptions.Json();
        var store = CommonOptions.Store();
        var command = new Command("checkout", "Restore the exact files a run read and wrote, from the store (or the default remote).")
        {
            run, paths, inputs, outputs, force, project, json, store,
        };
        command.SetAction((parseResult, cancellationToken) => CommandFailure.GuardAsync(async () =>
        {
            var asJson = parseResult.GetValue(json);
            var runStore = StoreLocator.OpenExisting(parseResult.GetValue(store));
            using var progress = HashProgressBar.ForStandardError(enabled: !asJson);
            var result = await CheckoutService.CheckoutAsync(
                new CheckoutRequest
                {
                    Store = runStore,
                    RunReference = parseResult.GetValue(run)!,
                    CurrentDirectory = Environment.CurrentDirectory,
                    ProjectDirectory = parseResult.GetValue(project),
                    Paths = parseResult.GetValue(paths) ?? [],
                    Inputs = parseResult.GetValue(inputs),
                    Outputs = parseResult.GetValue(outputs),
                    Force = parseResult.GetValue(force),
                    OpenDefaultRemote = projectDirectory =>
                        RemoteConfiguration.Load(projectDirectory, runStore.Root).Default is { } remote ? RemoteStorageFactory.Open(remote) : null,
                    HashProgress = progress,
                },
                cancellationToken).ConfigureAwait(false);
            CheckoutReport.Write(result, asJson);
            return result.Completed ? ExitCodes.Success : ExitCodes.BadInput;
        }));
        return command;
    }
}
