using System.CommandLine;
using System.Diagnostics;
using Repro.Cli.Commands;
using Repro.Cli.Output;
using Repro.Core.Diagnostics;

namespace Repro.Cli;

/// <summary>Builds the command tree and runs it with repro's parsing and exit-code rules.</summary>
internal static class CliRoot
{
    /// <summary>Prints where the time went (see <see cref="TimingsReport"/>); every command accepts it.</summary>
    public static readonly Option<bool> TimingsOption = new("--timings")
    {
        Description = "After the command, print on stderr how long each stage took (ms from the process start).",
        Recursive = true,
    };

    public static RootCommand Create()
    {
        var root = new RootCommand("repro: run ML experiments from MLproject files, record everything needed to re-create them, and verify that they do.");
        root.Options.Add(TimingsOption);
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(VerifyCommand.Create());
        root.Subcommands.Add(ShowCommand.Create());
        root.Subcommands.Add(ListCommand.Create());
        root.Subcommands.Add(DiffCommand.Create());
        return root;
    }

    public static async Task<int> InvokeAsync(RootCommand root, IReadOnlyList<string> args, ProcessClock entered)
    {
        var built = Stopwatch.GetTimestamp();

        // Response files would let an argument starting with '@' silently read a file: parameter values must reach the entry point unchanged.
        var parserConfiguration = new ParserConfiguration { ResponseFileTokenReplacer = null };
        var parseResult = root.Parse(args, parserConfiguration);
        var parsed = Stopwatch.GetTimestamp();
        if (parseResult.Errors.Count > 0 && parseResult.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (var error in parseResult.Errors)
            {
                await Console.Error.WriteLineAsync($"repro: {error.Message}").ConfigureAwait(false);
            }

            return ExitCodes.BadInput;
        }

        var timed = parseResult.GetValue(TimingsOption);
        if (timed)
        {
            Timings.Enable(entered.Timestamp);
            Timings.Record("build the command tree", entered.Timestamp, built);
            Timings.Record("parse the command line", built, parsed);
        }

        var invocationConfiguration = new InvocationConfiguration
        {
            // Commands that start a child install their own SIGINT/SIGTERM handling (Signals/SignalForwarder):
            // the child's tree must be stopped and the run recorded before repro exits, however long that takes.
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
        };
        int exitCode;
        using (Timings.Measure($"command: {parseResult.CommandResult.Command.Name}"))
        {
            exitCode = await parseResult.InvokeAsync(invocationConfiguration).ConfigureAwait(false);
        }

        if (timed)
        {
            var beforeMain = entered.BeforeMain();
            var total = beforeMain + Stopwatch.GetElapsedTime(entered.Timestamp);
            await Console.Error.WriteAsync(TimingsReport.Render(Timings.Snapshot(), beforeMain, total)).ConfigureAwait(false);
        }

        return exitCode;
    }
}
