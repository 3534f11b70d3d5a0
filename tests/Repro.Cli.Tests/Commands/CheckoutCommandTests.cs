using Repro.Cli.Commands;

namespace Repro.Cli.Tests.Commands;

public sealed class CheckoutCommandTests
{
    [Fact]
    public void Parse_NoRun_IsAnError()
    {
        Assert.NotEmpty(CommandLine.Parse("checkout").Errors);
    }

    [Fact]
    public void Parse_RunOnly_SelectsBothKindsWithoutForce()
    {
        var (command, result) = CommandLine.ParseFor<CheckoutCommand>("checkout", "latest");

        Assert.Equal("latest", result.GetValue(command.Run));
        Assert.Empty(result.GetValue(command.Paths)!);
        Assert.Equal((false, false, false), (result.GetValue(command.Inputs), result.GetValue(command.Outputs), result.GetValue(command.Force)));
    }

    [Fact]
    public void Parse_PathsAndSwitches_ReachTheCommand()
    {
        var (command, result) = CommandLine.ParseFor<CheckoutCommand>(
            "checkout", "20240102", "data/x.csv", "out", "--inputs", "--force", "--project", "p", "--json", "--store", "s");

        Assert.Equal(["data/x.csv", "out"], result.GetValue(command.Paths)!);
        Assert.True(result.GetValue(command.Inputs));
        Assert.False(result.GetValue(command.Outputs));
        Assert.True(result.GetValue(command.Force));
        Assert.Equal(("p", "s"), (result.GetValue(command.Project), result.GetValue(command.Store)));
    }
}
