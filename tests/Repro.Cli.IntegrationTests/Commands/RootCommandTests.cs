using Repro.Cli.IntegrationTests.Fixtures;

namespace Repro.Cli.IntegrationTests.Commands;

public sealed class RootCommandTests : ReproTestBase
{
    [Fact]
    public void Version_PrintsTheInformationalVersion()
    {
        var result = Repro.Run(Temp.Path, "--version");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", result.Stdout);
    }

    [Fact]
    public void BadCommandLine_ExitsTwoWithRepro_PrefixedLinesAndNoStackTrace()
    {
        // Every parse error is tested in-process (Repro.Cli.Tests); this is the exit code and stream a user sees.
        var result = Repro.Run(Temp.Path, "run", "--no-such-option");

        Assert.Equal(2, result.ExitCode);
        Assert.All(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.StartsWith("repro: ", line, StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }
}
