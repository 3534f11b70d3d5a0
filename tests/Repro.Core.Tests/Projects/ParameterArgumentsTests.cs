using Repro.Core.Errors;
using Repro.Core.Projects;

namespace Repro.Core.Tests.Projects;

public sealed class ParameterArgumentsTests
{
    [Fact]
    public void Parse_Tokens_SplitsAtFirstEqualsKeepingOrder()
    {
        var pairs = ParameterArguments.Parse(["b=2", "a=x=y", "c="]);

        Assert.Equal(
            [new("b", "2"), new("a", "x=y"), new("c", string.Empty)],
            pairs);
    }

    [Fact]
    public void Parse_NoTokens_GivesEmptyList() => Assert.Empty(ParameterArguments.Parse([]));

    [Fact]
    public void Parse_ValueWithSpacesAndQuotes_KeepsItVerbatim()
    {
        var pairs = ParameterArguments.Parse(["name=friend; echo 'hi'"]);

        Assert.Equal("friend; echo 'hi'", Assert.Single(pairs).Value);
    }

    [Fact]
    public void Parse_TokenWithoutEquals_FailsNamingToken()
    {
        var error = Assert.Throws<InputException>(() => ParameterArguments.Parse(["alpha"]));

        Assert.Contains("'alpha'", error.Message, StringComparison.Ordinal);
        Assert.Contains("KEY=VALUE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EmptyKey_FailsNamingToken()
    {
        var error = Assert.Throws<InputException>(() => ParameterArguments.Parse(["=0.5"]));

        Assert.Contains("'=0.5'", error.Message, StringComparison.Ordinal);
        Assert.Contains("empty parameter name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RepeatedKey_FailsNamingKey()
    {
        var error = Assert.Throws<InputException>(() => ParameterArguments.Parse(["alpha=1", "beta=2", "alpha=3"]));

        Assert.Contains("'alpha'", error.Message, StringComparison.Ordinal);
        Assert.Contains("more than once", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_KeysDifferingInCase_AreDistinct()
    {
        var pairs = ParameterArguments.Parse(["Alpha=1", "alpha=2"]);

        Assert.Equal(["Alpha", "alpha"], pairs.Select(pair => pair.Key));
    }
}
