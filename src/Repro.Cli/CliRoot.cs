using System.CommandLine;
using Repro.Cli.Commands;

namespace Repro.Cli;

/// <summary>Builds the command tree and runs it with repro's parsing and exit-code rules.</summary>
internal static class CliRoot
{
    public static RootCommand Create()
    {
        var root = new RootCommand("repro: run ML experiments from MLproject files, record everything needed to re-create them, and verify that they do.");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(VerifyCommand.Create());
        root.Subcommands.Add(ShowCommand.Create());
        root.Subcommands.Add(ListCommand.Create());
        root.Subcommands.Add(DiffCommand.Create());
        root.Subcommands.Add(CheckoutCommand.Create());
        root.Subcommands.Add(RemoteCommand.Create());
        root.Subcommands.Add(TransferCommands.Push());
        root.Subcommands.Add(TransferCommands.Pull());
        return root;
    }

    public static async Task<int> InvokeAsync(RootCommand root, IReadOnlyList<string> args)
    {
        // Response files would let an argument starting with '@' silently read a file: parameter values must reach the entry point unchanged.
        var parserConfiguration = new ParserConfiguration { ResponseFileTokenReplacer = null };
        var parseResult = root.Parse(args, parserConfiguration);
        if (parseResult.Errors.Count > 0 && parseResult.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (var error in parseResult.Errors)
            {
                await Console.Error.WriteLineAsync($"repro: {error.Message}").ConfigureAwait(false);
            }

            return ExitCodes.BadInput;
        }

        var invocationConfiguration = new InvocationConfiguration
        {
            // Commands that start a child install their own SIGINT/SIGTERM handling (Signals/SignalForwarder):
            // the child's tree must be stopped and the run recorded before repro exits, however long that takes.
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
        };
        return await parseResult.InvokeAsync(invocationConfiguration).ConfigureAwait(false);
    }
}
