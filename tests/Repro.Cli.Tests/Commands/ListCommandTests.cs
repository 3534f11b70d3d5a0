using Repro.Cli.Commands;
using Repro.Core.Runs;
using Repro.Core.Store;

namespace Repro.Cli.Tests.Commands;

public sealed class ListCommandTests
{
    [Theory]
    [InlineData("--status", "DONE")]
    [InlineData("--status", "1")]
    [InlineData("--status", "Finished ")]
    [InlineData("--limit", "0")]
    [InlineData("--limit", "ten")]
    public void Parse_BadFilter_IsOneErrorNamingTheOption(string option, string value)
    {
        Assert.StartsWith($"{option} must be", CommandLine.SingleError("list", option, value), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FINISHED", RunStatus.Finished)]
    [InlineData("failed", RunStatus.Failed)]
    [InlineData("Killed", RunStatus.Killed)]
    [InlineData("running", RunStatus.Running)]
    public void Parse_Status_IsTheManifestsWordInAnyCase(string text, RunStatus expected)
    {
        var (command, result) = CommandLine.ParseFor<ListCommand>("list", "--status", text);

        Assert.Equal(expected, command.QueryOf(result).Status);
    }

    [Fact]
    public void Parse_Filters_ReachTheQuery()
    {
        var (command, result) = CommandLine.ParseFor<ListCommand>("list", "-e", "train", "--experiment-name", "x", "--limit", "5");

        Assert.Equal(new RunQuery("train", null, "x", 5), command.QueryOf(result));
    }
}
