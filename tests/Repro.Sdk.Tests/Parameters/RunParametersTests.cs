namespace Repro.Sdk.Tests.Parameters;

public sealed class RunParametersTests
{
    private static Repro.Sdk.Parameters.RunParameters Parameters(params (string Name, string Value)[] values) =>
        ReproRun.CreateStandalone(1, null, values.ToDictionary(v => v.Name, v => v.Value), _ => null, "/work/project", TextWriter.Null).Parameters;

    [Fact]
    public void TypedAccessors_InvariantText_Parse()
    {
        var parameters = Parameters(("epochs", "12"), ("rows", "-9000000000"), ("lr", "1e-3"), ("alpha", "0.5"), ("name", "run a"));

        Assert.Equal(12, parameters.GetInt32("epochs"));
        Assert.Equal(-9_000_000_000L, parameters.GetInt64("rows"));
        Assert.Equal(0.001, parameters.GetDouble("lr"));
        Assert.Equal(0.5, parameters.GetDouble("alpha"));
        Assert.Equal("run a", parameters.GetString("name"));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("False", false)]
    [InlineData("TRUE", true)]
    [InlineData("1", true)]
    [InlineData("0", false)]
    public void GetBoolean_AcceptedSpelling_Parses(string text, bool expected) =>
        Assert.Equal(expected, Parameters(("flag", text)).GetBoolean("flag"));

    [Theory]
    [InlineData("yes")]
    [InlineData("")]
    public void GetBoolean_OtherText_NamesParameterAndValue(string text)
    {
        var error = Assert.Throws<ReproSdkException>(() => Parameters(("flag", text)).GetBoolean("flag"));

        Assert.Contains($"Parameter 'flag' is '{text}', not a boolean", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0,5")]
    [InlineData("1,000")]
    [InlineData("abc")]
    public void GetDouble_NonInvariantText_IsRejected(string text) =>
        Assert.Throws<ReproSdkException>(() => Parameters(("lr", text)).GetDouble("lr"));

    [Fact]
    public void GetInt32_OutOfRange_IsRejected()
    {
        var error = Assert.Throws<ReproSdkException>(() => Parameters(("epochs", "3000000000")).GetInt32("epochs"));

        Assert.Equal("Parameter 'epochs' is '3000000000', not a 32-bit integer (standalone run).", error.Message);
    }

    [Fact]
    public void GetString_Missing_NamesTheParameterAndTheKnownOnes()
    {
        var error = Assert.Throws<ReproSdkException>(() => Parameters(("b", "1"), ("a", "2")).GetString("epochs"));

        Assert.Equal("Parameter 'epochs' was not passed to this run (standalone run; parameters: a, b).", error.Message);
    }

    [Fact]
    public void Defaults_MissingParameter_AreReturned()
    {
        var parameters = Parameters();

        Assert.Equal(5, parameters.GetInt32("epochs", 5));
        Assert.Equal(7L, parameters.GetInt64("rows", 7));
        Assert.Equal(0.1, parameters.GetDouble("lr", 0.1));
        Assert.True(parameters.GetBoolean("flag", true));
        Assert.Equal("x", parameters.GetString("name", "x"));
        Assert.False(parameters.Contains("epochs"));
    }

    [Fact]
    public void Defaults_PresentParameter_AreIgnored() =>
        Assert.Equal(12, Parameters(("epochs", "12")).GetInt32("epochs", 5));

    [Fact]
    public void GetPath_RelativeValue_ResolvesAgainstTheStartingDirectory()
    {
        var parameters = Parameters(("data", "data/train.csv"), ("out", "/tmp/out"));

        Assert.Equal("/work/project/data/train.csv", parameters.GetPath("data"));
        Assert.Equal("/tmp/out", parameters.GetPath("out"));
        Assert.Equal("/work/project/model.zip", parameters.GetPath("model", "model.zip"));
    }
}
