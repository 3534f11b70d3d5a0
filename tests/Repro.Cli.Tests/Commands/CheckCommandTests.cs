using Repro.Cli.Commands;

namespace Repro.Cli.Tests.Commands;

public sealed class CheckCommandTests
{
    [Fact]
    public void Parse_NothingGiven_ChecksTheCurrentDirectoryLeniently()
    {
        var (command, result) = CommandLine.ParseFor<CheckCommand>("check");

        Assert.Equal((".", false, false), (result.GetValue(command.ProjectDirectory), result.GetValue(command.Strict), result.GetValue(command.Json)));
    }

    [Fact]
    public void Parse_EveryOption_IsRead()
    {
        var (command, result) = CommandLine.ParseFor<CheckCommand>("check", "project", "--strict", "--json");

        Assert.Equal(("project", true, true), (result.GetValue(command.ProjectDirectory), result.GetValue(command.Strict), result.GetValue(command.Json)));
    }

    [Fact]
    public void Parse_TwoDirectories_IsAnError()
    {
        Assert.NotEmpty(CommandLine.Parse("check", "a", "b").Errors);
    }
}
