using Repro.Cli.Commands;

namespace Repro.Cli.Tests.Commands;

public sealed class CheckCommandTests
{
    [Fact]
    public void Parse_NothingGiven_ChecksTheCurrentDirectoryLeniently()
    {
        var (command, result) = CommandLine.ParseFor<CheckCommand>("check");

        Assert.Equal((Path.GetFullPath("."), null, false, false), (result.GetValue(command.Project)!.Location, result.GetValue(command.Version), result.GetValue(command.Strict), result.GetValue(command.Json)));
    }

    [Fact]
    public void Parse_EveryOption_IsRead()
    {
        var (command, result) = CommandLine.ParseFor<CheckCommand>("check", "https://example.invalid/org/repo.git#train", "-v", "v1", "--strict", "--json");

        var project = result.GetValue(command.Project)!;
        Assert.Equal(("https://example.invalid/org/repo.git", "train", "v1", true, true), (project.Location, project.Subdirectory, result.GetValue(command.Version), result.GetValue(command.Strict), result.GetValue(command.Json)));
    }

    [Fact]
    public void Parse_TwoDirectories_IsAnError()
    {
        Assert.NotEmpty(CommandLine.Parse("check", "a", "b").Errors);
    }
}
