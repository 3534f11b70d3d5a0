using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Repro.Core.Runs;
using Repro.Core.Verification.Differences;

namespace Repro.Core.Tests.Runs;

public sealed class ManifestEnumConverterTests
{
    [Fact]
    public void Write_EveryMemberOfEveryManifestEnum_IsTheWordJsonStringEnumConverterWrites()
    {
        AssertSameWords<RunStatus>();
        AssertSameWords<Verdict>();
        AssertSameWords<GitState>();
        AssertSameWords<SeedSource>();
        AssertSameWords<ParameterSource>();
        AssertSameWords<ComparerName>();
        AssertSameWords<ComparisonOutcome>();
        AssertSameWords<VariableSetter>();
        AssertSameWords<EntryPointKind>();
        AssertSameWords<DataKind>();
        AssertSameWords<DiffSection>();
        AssertSameWords<DifferenceRole>();
        AssertSameWords<DifferenceChange>();
    }

    [Theory]
    [InlineData("\"FINISHED\"", RunStatus.Finished)]
    [InlineData("\"finished\"", RunStatus.Finished)]
    [InlineData("1", RunStatus.Finished)]
    public void Read_WordAnyCaseOrDefinedNumber_GivesTheMember(string json, RunStatus expected)
    {
        Assert.Equal(expected, JsonSerializer.Deserialize<RunStatus>(json, Options(new ManifestEnumConverter<RunStatus>())));
    }

    [Theory]
    [InlineData("\"DONE\"")]
    [InlineData("42")]
    [InlineData("true")]
    public void Read_UnknownWordOrNumber_FailsAsJson(string json)
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<RunStatus>(json, Options(new ManifestEnumConverter<RunStatus>())));
    }

    private static void AssertSameWords<TEnum>()
        where TEnum : struct, Enum
    {
        var ours = Options(new ManifestEnumConverter<TEnum>());
        var reference = Options(new JsonStringEnumConverter<TEnum>());
        foreach (var value in Enum.GetValues<TEnum>())
        {
            var written = JsonSerializer.Serialize(value, ours);
            Assert.Equal(JsonSerializer.Serialize(value, reference), written);
            Assert.Equal(value, JsonSerializer.Deserialize<TEnum>(written, ours));
        }
    }

    private static JsonSerializerOptions Options(JsonConverter converter) =>
        new() { Converters = { converter }, TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
}
