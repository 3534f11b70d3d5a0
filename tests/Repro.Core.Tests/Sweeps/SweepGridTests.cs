using Repro.Core.Errors;
using Repro.Core.Runs;
using Repro.Core.Sweeps;

namespace Repro.Core.Tests.Sweeps;

public sealed class SweepGridTests
{
    [Theory]
    [InlineData("lr=0.1,0.01", "lr", new[] { "0.1", "0.01" })]
    [InlineData(@"layers=64\,64,128", "layers", new[] { "64,64", "128" })]
    [InlineData(@"path=C:\\data,x", "path", new[] { @"C:\data", "x" })]
    [InlineData("tag=", "tag", new[] { "" })]
    [InlineData("expr=a=b,c", "expr", new[] { "a=b", "c" })]
    public void Parse_CommasSeparateAndEscapesKeepThem(string text, string name, string[] values)
    {
        var axis = SweepGrid.Parse(text);

        Assert.Equal(name, axis.Name);
        Assert.Equal(values, axis.Values);
    }

    [Theory]
    [InlineData("lr", "--grid 'lr': expected NAME=VALUE1,VALUE2,…")]
    [InlineData("=1,2", "--grid '=1,2': expected NAME=VALUE1,VALUE2,…")]
    [InlineData(@"lr=1\2", "--grid lr: a backslash must be followed by ','")]
    [InlineData(@"lr=1\", "--grid lr: a backslash must be followed by ','")]
    public void Parse_Malformed_SaysWhatIsExpected(string text, string expected)
    {
        var error = Assert.Throws<InputException>(() => SweepGrid.Parse(text));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Points_CartesianProduct_FirstAxisSlowest()
    {
        var points = SweepGrid.Points([new SweepAxis("a", ["1", "2"]), new SweepAxis("b", ["x", "y", "z"])]);

        Assert.Equal(
            ["1x", "1y", "1z", "2x", "2y", "2z"],
            points.Select(point => point["a"] + point["b"]));
    }

    [Fact]
    public void Check_ParameterTwiceOrAlsoFixed_IsRefused()
    {
        Assert.Throws<InputException>(() => SweepGrid.Check([new SweepAxis("a", ["1"]), new SweepAxis("a", ["2"])], []));
        Assert.Throws<InputException>(() => SweepGrid.Check([new SweepAxis("a", ["1"])], ["a"]));
        Assert.Throws<InputException>(() => SweepGrid.Check([], []));
    }
}
