namespace Repro.Cli.Tests;

public sealed class CliRootTests
{
    [Theory]
    [InlineData("frobnicate")]
    [InlineData("run", "-e")]
    [InlineData("list", "--no-such-option")]
    [InlineData("verify")]
    [InlineData("diff", "onlyone")]
    [InlineData("show", "a", "b")]
    [InlineData("check", "a", "b")]
    [InlineData("checkout")]
    [InlineData("remote", "add", "origin")]
    [InlineData("push")]
    public async Task Invoke_BadCommandLine_ExitsTwoWithReproPrefixedLinesAndRunsNothing(params string[] args)
    {
        using var errors = new StringWriter();

        var exitCode = await CliRoot.InvokeAsync(CliRoot.Create(), args, errors);

        Assert.Equal(ExitCodes.BadInput, exitCode);
        var lines = errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.StartsWith("repro: ", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invoke_Help_ListsEveryCommand()
    {
        using var output = new StringWriter();

        var exitCode = await CliRoot.InvokeAsync(CliRoot.Create(), ["--help"], output: output);

        Assert.Equal(ExitCodes.Success, exitCode);
        foreach (var command in new[] { "run", "verify", "show", "list", "diff", "check", "checkout", "remote", "push", "pull" })
        {
            Assert.Contains($"  {command} ", output.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Invoke_HelpForOneCommand_ListsItsOptionsAndTimings()
    {
        using var output = new StringWriter();

        var exitCode = await CliRoot.InvokeAsync(CliRoot.Create(["list", "--help"]), ["list", "--help"], output: output);

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Contains("--limit", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("--timings", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Create_FirstArgumentNamesACommand_HoldsOnlyThatCommandElseEveryOne()
    {
        var every = CliRoot.Create().Subcommands.Count;

        Assert.Equal(["list"], CliRoot.Create(["list", "--json"]).Subcommands.Select(command => command.Name));
        Assert.Empty(CliRoot.Create(["--version"]).Subcommands);
        Assert.Equal(every, CliRoot.Create(["--timings", "list"]).Subcommands.Count);
        Assert.Equal(every, CliRoot.Create(["lst"]).Subcommands.Count);
        Assert.Equal(every, CliRoot.Create([]).Subcommands.Count);
    }
}
