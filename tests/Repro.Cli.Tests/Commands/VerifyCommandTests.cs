using Repro.Cli.Commands;

namespace Repro.Cli.Tests.Commands;

public sealed class VerifyCommandTests
{
    [Theory]
    [InlineData("--rtol", "-1")]
    [InlineData("--atol", "nan")]
    [InlineData("--atol", "Infinity")]
    [InlineData("--rtol", "abc")]
    public void Parse_BadTolerance_IsOneErrorNamingTheOption(string option, string value)
    {
        Assert.Equal($"{option} must be a non-negative number, not '{value}'", CommandLine.SingleError("verify", "latest", option, value));
    }

    [Fact]
    public void Parse_NoRun_IsAnError()
    {
        Assert.NotEmpty(CommandLine.Parse("verify").Errors);
    }

    [Fact]
    public void Parse_Tolerances_AreReadAsInvariantNumbers()
    {
        var (command, result) = CommandLine.ParseFor<VerifyCommand>("verify", "latest", "--rtol", "1e-6", "--atol", "0.5");

        var tolerance = command.ToleranceOf(result);

        Assert.Equal((1e-6, 0.5), (tolerance.Rtol, tolerance.Atol));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true, "--strict")]
    public void Parse_Strict_IsOffUnlessGiven(bool expected, params string[] options)
    {
        var (command, result) = CommandLine.ParseFor<VerifyCommand>(["verify", "latest", .. options]);

        Assert.Equal(expected, result.GetValue(command.Strict));
    }

    [Fact]
    public void Parse_NoTolerance_IsExact()
    {
        var (command, result) = CommandLine.ParseFor<VerifyCommand>("verify", "latest");

        Assert.Equal((0d, 0d), (command.ToleranceOf(result).Rtol, command.ToleranceOf(result).Atol));
    }
}
