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

    private static readonly (string Name, Func<Command> Create)[] Commands =
    [
        ("run", RunCommand.Create),
        ("verify", VerifyCommand.Create),
        ("show", ShowCommand.Create),
        ("list", ListCommand.Create),
        ("diff", DiffCommand.Create),
    ];

    /// <summary>The whole command tree.</summary>
    public static RootCommand Create() => Create(null);

    /// <summary>
    /// The command tree <paramref name="args"/> needs: when the first argument names a command, only that command is
    /// built (each costs its options' construction and type loading at every start); for <c>--version</c> alone, none;
    /// otherwise (help, a root option first, a mistake) all of them, so that help and errors are complete.
    /// </summary>
    public static RootCommand Create(IReadOnlyList<string>? args)
    {
        var root = new RootCommand("repro: run ML experiments from MLproject files, record everything needed to re-create them, and verify that they do.");
        root.Options.Add(TimingsOption);
        if (args is ["--version"])
        {
            return root;
        }

        var named = args is [var first, ..] ? Array.Find(Commands, command => string.Equals(command.Name, first, StringComparison.Ordinal)) : default;
        foreach (var (_, create) in named.Create is null ? Commands : [named])
        {
            root.Subcommands.Add(create());
        }

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
