using System.Text.Json;
using System.Text.Json.Serialization;
using Repro.Core.Store;

namespace Repro.Core.Tests.Store;

public sealed partial class RunIndexJsonTests
{
    public static TheoryData<IDictionary<string, double>> MetricSets => new()
    {
        new Dictionary<string, double>(),
        new SortedDictionary<string, double>(StringComparer.Ordinal),
        new SortedDictionary<string, double>(StringComparer.Ordinal) { ["b"] = 2, ["a"] = 1 },
        new Dictionary<string, double> { ["loss"] = 0.1 + 0.2, ["accuracy"] = 1, ["tiny"] = 5e-324, ["big"] = double.MaxValue, ["negative"] = -0.0 },
        new Dictionary<string, double> { ["nan"] = double.NaN, ["up"] = double.PositiveInfinity, ["down"] = double.NegativeInfinity },
        new Dictionary<string, double> { ["ünïcode \"quoted\" <tag> & 'apostrophe'\n"] = 3 },
    };

    public static TheoryData<IDictionary<string, string>> ParameterSets => new()
    {
        new Dictionary<string, string>(),
        new SortedDictionary<string, string>(StringComparer.Ordinal),
        new SortedDictionary<string, string>(StringComparer.Ordinal) { ["b"] = "2", ["a"] = "1" },
        new Dictionary<string, string> { ["alpha"] = "0.5", ["path"] = "data/in put.csv" },
        new Dictionary<string, string> { ["ünïcode"] = "\"quoted\" <tag> & 'apostrophe' \\ \t\u0001 😀" },
    };

    [Theory]
    [MemberData(nameof(MetricSets))]
    public void WriteMetrics_AnyValues_IsWhatTheSerializerWroteAndReadsBack(IDictionary<string, double> metrics)
    {
        var json = RunIndexJson.Write((IReadOnlyDictionary<string, double>)metrics);

        Assert.Equal(JsonSerializer.Serialize((IReadOnlyDictionary<string, double>)metrics, ReferenceContext.Default.IReadOnlyDictionaryStringDouble), json);
        Assert.Equal(metrics, RunIndexJson.ReadMetrics(json));
    }

    [Theory]
    [MemberData(nameof(ParameterSets))]
    public void WriteParameters_AnyText_IsWhatTheSerializerWroteAndReadsBack(IDictionary<string, string> parameters)
    {
        var json = RunIndexJson.Write((IReadOnlyDictionary<string, string>)parameters);

        Assert.Equal(JsonSerializer.Serialize((IReadOnlyDictionary<string, string>)parameters, ReferenceContext.Default.IReadOnlyDictionaryStringString), json);
        Assert.Equal(parameters, RunIndexJson.ReadParameters(json));
    }

    [Fact]
    public void Read_WhatTheSerializerAccepts_GivesTheSameValues()
    {
        const string metrics = """ { "a" : 1e3, "b": -2.5E-1, "a": 7, "c": "NaN" } """;
        const string parameters = """{"x":"1","y":"\u00e9\n","x":"2"}""";

        Assert.Equal(JsonSerializer.Deserialize(metrics, ReferenceContext.Default.IReadOnlyDictionaryStringDouble), RunIndexJson.ReadMetrics(metrics));
        Assert.Equal(JsonSerializer.Deserialize(parameters, ReferenceContext.Default.IReadOnlyDictionaryStringString), RunIndexJson.ReadParameters(parameters));
        Assert.Empty(RunIndexJson.ReadMetrics("null"));
        Assert.Empty(RunIndexJson.ReadParameters("null"));
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("{\"a\": true}")]
    [InlineData("{\"a\": \"fast\"}")]
    [InlineData("{\"a\": 1")]
    [InlineData("")]
    public void ReadMetrics_NotAnObjectOfNumbers_IsAJsonError(string json)
    {
        Assert.ThrowsAny<JsonException>(() => RunIndexJson.ReadMetrics(json));
    }

    // How the index wrote these columns before: the serializer, source-generated, named floating-point literals allowed.
    [JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
    [JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
    [JsonSerializable(typeof(IReadOnlyDictionary<string, double>))]
    private sealed partial class ReferenceContext : JsonSerializerContext;
}
