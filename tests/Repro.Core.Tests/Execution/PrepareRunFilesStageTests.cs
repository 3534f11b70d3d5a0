using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Repro.Core.Execution;
using Repro.Core.Runs;

namespace Repro.Core.Tests.Execution;

/// <summary>
/// <c>params.json</c> as written now against the way it was written before: a <see cref="JsonObject"/> of the
/// parameters serialized through <see cref="ManifestJsonContext"/>.
/// </summary>
public sealed class PrepareRunFilesStageTests
{
    private const string Awkward = "q\"b\\s/ \u0000\u0001\t\n\r\u001f\u007f <>&'+` é ß 中文 \ud83d\ude00 \u2028\u2029\ufeff";

    [Fact]
    public void ParametersJson_NoParameters_IsWhatTheSerializerWrote() => AssertSameBytes([]);

    [Fact]
    public void ParametersJson_TypicalParameters_IsWhatTheSerializerWrote() => AssertSameBytes(
    [
        Parameter("alpha", "0.1"),
        Parameter("epochs", "10"),
        Parameter("data", "/home/ada/bike-sharing/data"),
        Parameter("empty", string.Empty),
    ]);

    [Fact]
    public void ParametersJson_AwkwardNamesAndValues_AreWhatTheSerializerWrote() => AssertSameBytes(
    [
        Parameter(Awkward, Awkward),
        Parameter("é", "a+b <c> & 'd'"),
        Parameter("Alpha", "upper"),
        Parameter("alpha", "lower"),
    ]);

    [Fact]
    public void ParametersJson_NameGivenTwice_KeepsItsFirstPlaceAndLastValueAsTheSerializerDid() => AssertSameBytes(
    [
        Parameter("a", "1"),
        Parameter("b", "2"),
        Parameter("a", "3"),
        Parameter("c", "4"),
        Parameter("a", "5"),
    ]);

    [Fact]
    public void ParametersJson_NullValue_IsWhatTheSerializerWrote() => AssertSameBytes([Parameter("a", null!)]);

    private static ParameterRecord Parameter(string name, string value) => new(name, ParameterType.String, ParameterSource.User, value, value);

    private static void AssertSameBytes(IReadOnlyList<ParameterRecord> parameters)
    {
        var node = new JsonObject();
        foreach (var parameter in parameters)
        {
            node[parameter.Name] = parameter.Value;
        }

        var expected = JsonSerializer.SerializeToUtf8Bytes(node, ManifestJsonContext.Default.JsonObject);
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(PrepareRunFilesStage.ParametersJson(parameters)));
        Assert.Equal(expected, PrepareRunFilesStage.ParametersJson(parameters));
    }
}
