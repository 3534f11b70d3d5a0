using System.CommandLine;

namespace Repro.Cli.Tests;

/// <summary>Parses command lines in-process, exactly as <c>repro</c> does, with nothing run.</summary>
internal static class CommandLine
{
    public static ParseResult Parse(params string[] args) => CliRoot.Parse(CliRoot.Create(), args);

    /// <summary>The one error a command line gives.</summary>
    public static string SingleError(params string[] args) => Assert.Single(Parse(args).Errors).Message;

    /// <summary>The command <paramref name="args"/> names, with the parse result, for reading values.</summary>
    public static (T Command, ParseResult Result) ParseFor<T>(params string[] args)
        where T : Command
    {
        var result = Parse(args);
        Assert.Empty(result.Errors);
        return ((T)result.CommandResult.Command, result);
    }
}
