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

    // Response files would let an argument starting with '@' silently read a file: parameter values must reach the entry point unchanged.
    private static readonly ParserConfiguration ParserConfiguration = new() { ResponseFileTokenReplacer = null };

    private static readonly (string Name, Func<Command> Create)[] Commands =
    [
        ("run", () => new RunCommand()),
        ("sweep", () => new SweepCommand()),
        ("wait", () => new WaitCommand()),
        ("cancel", () => new CancelCommand()),
        (Core.Scheduling.JobScript.JobCommand, () => new SlurmJobCommand()),
        ("pipeline", () => new PipelineCommand()),
        ("status", () => new StatusCommand()),
        ("verify", () => new VerifyCommand()),
        ("show", () => new ShowCommand()),
        ("list", () => new ListCommand()),
        ("diff", () => new DiffCommand()),
        ("check", () => new CheckCommand()),
        ("checkout", () => new CheckoutCommand()),
        ("remote", () => new RemoteCommand()),
        ("push", () => new PushCommand()),
        ("pull", () => new PullCommand()),
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

    /// <summary>Parses <paramref name="args"/> exactly as <see cref="InvokeAsync"/> does, without running anything.</summary>
    public static ParseResult Parse(RootCommand root, IReadOnlyList<string> args) => root.Parse(args, ParserConfiguration);

    /// <summary>
    /// Parses and runs a command line. A command line that does not parse gets one <c>repro: </c> line per error on
    /// <paramref name="errors"/> (standard error by default) and <see cref="ExitCodes.BadInput"/>; nothing runs.
    /// </summary>
    /// <param name="root">The command tree.</param>
    /// <param name="args">The command line.</param>
    /// <param name="errors">Where errors (and <c>--timings</c>) go; standard error when null.</param>
    /// <param name="output">Where the commands' output goes; standard output when null.</param>
    /// <param name="entered">When Main was entered, for <c>--timings</c>; now when null.</param>
    public static async Task<int> InvokeAsync(RootCommand root, IReadOnlyList<string> args, TextWriter? errors = null, TextWriter? output = null, ProcessClock? entered = null)
    {
        entered ??= ProcessClock.Now();
        var built = Stopwatch.GetTimestamp();
        var parseResult = Parse(root, args);
        var parsed = Stopwatch.GetTimestamp();
        if (parseResult.Errors.Count > 0 && parseResult.Action is not System.CommandLine.Help.HelpAction)
        {
            errors ??= Console.Error;
            foreach (var error in parseResult.Errors)
            {
                await errors.WriteLineAsync($"repro: {error.Message}").ConfigureAwait(false);
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
        if (output is not null)
        {
            invocationConfiguration.Output = output;
        }

        if (errors is not null)
        {
            invocationConfiguration.Error = errors;
        }

        int exitCode;
        using (Timings.Measure($"command: {parseResult.CommandResult.Command.Name}"))
        {
            exitCode = await parseResult.InvokeAsync(invocationConfiguration).ConfigureAwait(false);
        }

        if (timed)
        {
            var beforeMain = entered.BeforeMain();
            var total = beforeMain + Stopwatch.GetElapsedTime(entered.Timestamp);
            await (errors ?? Console.Error).WriteAsync(TimingsReport.Render(Timings.Snapshot(), beforeMain, total)).ConfigureAwait(false);
        }

        return exitCode;
    }
}
