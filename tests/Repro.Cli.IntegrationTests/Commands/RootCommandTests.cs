using Repro.Cli.IntegrationTests.Fixtures;

namespace Repro.Cli.IntegrationTests.Commands;

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
