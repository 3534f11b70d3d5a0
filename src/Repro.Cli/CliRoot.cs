using System.CommandLine;
using Repro.Cli.Commands;

namespace Repro.Cli;

/// <summary>Builds the command tree and runs it with repro's parsing and exit-code rules.</summary>
internal static class CliRoot
{
    // Response files would let an argument starting with '@' silently read a file: parameter values must reach the entry point unchanged.
    private static readonly ParserConfiguration ParserConfiguration = new() { ResponseFileTokenReplacer = null };

    public static RootCommand Create() =>
        new("repro: run ML experiments from MLproject files, record everything needed to re-create them, and verify that they do.")
        {
            new RunCommand(),
            new PipelineCommand(),
            new StatusCommand(),
            new VerifyCommand(),
            new ShowCommand(),
            new ListCommand(),
            new DiffCommand(),
            new CheckCommand(),
            new CheckoutCommand(),
            new RemoteCommand(),
            new PushCommand(),
            new PullCommand(),
        };

    /// <summary>Parses <paramref name="args"/> exactly as <see cref="InvokeAsync"/> does, without running anything.</summary>
    public static ParseResult Parse(RootCommand root, IReadOnlyList<string> args) => root.Parse(args, ParserConfiguration);

    /// <summary>
    /// Parses and runs a command line. A command line that does not parse gets one <c>repro: </c> line per error on
    /// <paramref name="errors"/> (standard error by default) and <see cref="ExitCodes.BadInput"/>; nothing runs.
    /// </summary>
    public static async Task<int> InvokeAsync(RootCommand root, IReadOnlyList<string> args, TextWriter? errors = null, TextWriter? output = null)
    {
        var parseResult = Parse(root, args);
        if (parseResult.Errors.Count > 0 && parseResult.Action is not System.CommandLine.Help.HelpAction)
        {
            errors ??= Console.Error;
            foreach (var error in parseResult.Errors)
            {
                await errors.WriteLineAsync($"repro: {error.Message}").ConfigureAwait(false);
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
        if (output is not null)
        {
            invocationConfiguration.Output = output;
        }

        if (errors is not null)
        {
            invocationConfiguration.Error = errors;
        }

        return await parseResult.InvokeAsync(invocationConfiguration).ConfigureAwait(false);
    }
}
