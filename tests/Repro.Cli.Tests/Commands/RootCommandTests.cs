using Repro.Cli.Tests.Fixtures;

namespace Repro.Cli.Tests.Commands;

public sealed class RootCommandTests : ReproTestBase
{
    [Fact]
    public void Help_ListsEveryCommand()
    {
        var result = Repro.Run(Temp.Path, "--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var command in new[] { "run", "verify", "show", "list", "diff" })
        {
            Assert.Contains($"  {command} ", result.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Help_ForOneCommand_ListsItsOptions()
    {
        var result = Repro.Run(Temp.Path, "list", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--limit", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("--timings", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void CommandTree_FirstArgumentNamesACommand_HoldsOnlyThatCommandElseEveryOne()
    {
        Assert.Equal(["list"], CliRoot.Create(["list", "--json"]).Subcommands.Select(command => command.Name));
        Assert.Empty(CliRoot.Create(["--version"]).Subcommands);
        Assert.Equal(5, CliRoot.Create(["--timings", "list"]).Subcommands.Count);
        Assert.Equal(5, CliRoot.Create(["lst"]).Subcommands.Count);
        Assert.Equal(5, CliRoot.Create([]).Subcommands.Count);
    }

    [Fact]
    public void Version_PrintsTheInformationalVersion()
    {
        var result = Repro.Run(Temp.Path, "--version");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", result.Stdout);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("run", "--no-such-option")]
    [InlineData("verify")]
    [InlineData("diff", "onlyone")]
    public void BadCommandLine_ExitsTwoWithRepro_PrefixedLinesAndNoStackTrace(params string[] arguments)
    {
        var result = Repro.Run(Temp.Path, arguments);

        Assert.Equal(2, result.ExitCode);
        Assert.All(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.StartsWith("repro: ", line, StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }
}
