using Repro.Core.Json;

namespace Repro.Core.Tests.Json;

public sealed class LenientJsonParserTests
{
    [Fact]
    public void Parse_PythonNonFiniteLiterals_AreNumbers()
    {
        var tree = LenientJsonParser.Parse("[NaN, Infinity, -Infinity]");

        Assert.True(double.IsNaN(tree.Items[0].Number));
        Assert.Equal(double.PositiveInfinity, tree.Items[1].Number);
        Assert.Equal(double.NegativeInfinity, tree.Items[2].Number);
    }

    [Fact]
    public void Parse_NaNInsideAString_StaysAString()
    {
        var tree = LenientJsonParser.Parse("{\"v\": \"NaN\"}");

        Assert.Equal(JsonKind.String, tree.Members["v"].Kind);
    }

    [Fact]
    public void Parse_EscapesAndRepeatedKey_DecodeAndKeepTheLastValue()
    {
        var tree = LenientJsonParser.Parse("{\"k\": 1, \"u\": \"\\u00e9\\t\\\"\", \"k\": 2}");

        Assert.Equal(["k", "u"], tree.Keys);
        Assert.Equal("2", tree.Members["k"].Text);
        Assert.Equal("é\t\"", tree.Members["u"].Text);
    }

    [Theory]
    [InlineData("{\"a\": 1,}", 1, 9, "expected a quoted key")]
    [InlineData("[1 2]", 1, 4, "expected ',' or ']'")]
    [InlineData("{\n  \"a\": 01\n}", 2, 9, "expected ',' or '}'")]
    [InlineData("[1.]", 1, 4, "expected a digit after '.'")]
    [InlineData("\"open", 1, 6, "unterminated string")]
    [InlineData("{} {}", 1, 4, "unexpected text after the JSON value")]
    [InlineData("nan", 1, 1, "unexpected character 'n', expected a value")]
    public void Parse_InvalidJson_ReportsLineColumnAndWhat(string text, long line, long column, string message)
    {
        var error = Assert.Throws<JsonSyntaxException>(() => LenientJsonParser.Parse(text));

        Assert.Equal((line, column, message), (error.Line, error.Column, error.Message));
    }

    [Fact]
    public void Parse_DeepNesting_IsRejectedNotAStackOverflow()
    {
        var text = new string('[', 100_000) + new string(']', 100_000);

        Assert.Throws<JsonSyntaxException>(() => LenientJsonParser.Parse(text));
    }

    [Fact]
    public void ParseLines_SkipsBlankLinesAndNumbersErrorsByFileLine()
    {
        Assert.Equal(2, LenientJsonParser.ParseLines("{\"a\": 1}\n\n[2]\n").Count);
        var error = Assert.Throws<JsonSyntaxException>(() => LenientJsonParser.ParseLines("{}\n{}\n{oops}\n"));
        Assert.Equal(3, error.Line);
    }
}
