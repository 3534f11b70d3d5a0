using Repro.Cli.Commands;
using Repro.Core.Remotes;

namespace Repro.Cli.Tests.Commands;

public sealed class TransferCommandTests
{
    [Theory]
    [InlineData("push")]
    [InlineData("pull")]
    public void Parse_NeitherRunsNorAll_IsOneErrorSayingWhatToName(string verb)
    {
        Assert.Equal($"name the runs to {verb} (ids, unique prefixes or 'latest'), or pass --all", CommandLine.SingleError(verb));
    }

    [Theory]
    [InlineData("push")]
    [InlineData("pull")]
    public void Parse_RunsAndAll_IsOneError(string verb)
    {
        Assert.Equal("give run names or --all, not both", CommandLine.SingleError(verb, "latest", "--all"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("many")]
    public void Parse_BadJobs_IsOneErrorNamingTheOption(string value)
    {
        Assert.Equal($"--jobs must be a positive integer, not '{value}'", CommandLine.SingleError("push", "--all", "--jobs", value));
    }

    [Fact]
    public void Parse_RunsRemoteAndJobs_ReachTheCommand()
    {
        var (command, result) = CommandLine.ParseFor<PullCommand>("pull", "abc", "latest", "-r", "origin", "--jobs", "8");

        Assert.Equal(["abc", "latest"], result.GetValue(command.Runs)!);
        Assert.Equal("origin", result.GetValue(command.Remote));
        Assert.Equal(8, command.ParallelismOf(result));
    }

    [Fact]
    public void Parse_NoJobs_IsTheDefaultParallelism()
    {
        var (command, result) = CommandLine.ParseFor<PushCommand>("push", "--all");

        Assert.Equal(RemoteStorageFactory.DefaultParallelism, command.ParallelismOf(result));
        Assert.Null(result.GetValue(command.Remote));
    }
}
