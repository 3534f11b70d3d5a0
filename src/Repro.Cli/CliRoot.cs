using System.CommandLine;

namespace Repro.Cli;

/// <summary>Builds the command tree and runs it with repro's parsing and exit-code rules.</summary>
internal static class CliRoot
{
    /// <summary>Long enough for the run command to stop the child's process tree and still write the manifest.</summary>
    private static readonly TimeSpan TerminationTimeout = TimeSpan.FromSeconds(30);

    public static RootCommand Create()
    {
        var root = new RootCommand("repro: run ML experiments from MLproject files, record everything needed to re-create them, and verify that they do.");
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
            ProcessTerminationTimeout = TerminationTimeout,
            EnableDefaultExceptionHandler = false,
        };
        return await parseResult.InvokeAsync(invocationConfiguration).ConfigureAwait(false);
    }
}
