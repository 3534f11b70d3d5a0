using System.Text.Json;
using System.Text.Json.Serialization;

namespace Repro.Core.Runs;

/// <summary>
/// Where a fingerprinted input or output was declared (<see cref="DataRecord.Origin"/>): the entry point's
/// <c>inputs</c> or <c>outputs</c>, or a <c>path</c> parameter. Written as <c>inputs</c>, <c>outputs</c> or
/// <c>parameter:NAME</c>.
/// </summary>
[JsonConverter(typeof(DataOriginJsonConverter))]
public sealed record DataOrigin
{
    private const string InputsText = "inputs";
    private const string OutputsText = "outputs";
    private const string ParameterPrefix = "parameter:";

    private DataOrigin(bool isOutput, string? parameterName)
    {
        IsOutput = isOutput;
        ParameterName = parameterName;
    }

    /// <summary>The entry point's <c>inputs:</c>.</summary>
    public static DataOrigin Inputs { get; } = new(isOutput: false, parameterName: null);

    /// <summary>The entry point's <c>outputs:</c>.</summary>
    public static DataOrigin Outputs { get; } = new(isOutput: true, parameterName: null);

    /// <summary>Whether this is an output (fingerprinted after the child exits).</summary>
    public bool IsOutput { get; }

    /// <summary>The parameter's name when this is a <c>path</c> parameter; otherwise null.</summary>
    public string? ParameterName { get; }

    /// <summary>The <c>path</c> parameter <paramref name="name"/>.</summary>
    public static DataOrigin Parameter(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new DataOrigin(isOutput: false, name);
    }

    /// <summary>Reads the manifest's text form.</summary>
    public static bool TryParse(string text, out DataOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(text);
        origin = text switch
        {
            InputsText => Inputs,
            OutputsText => Outputs,
            _ when text.StartsWith(ParameterPrefix, StringComparison.Ordinal) && text.Length > ParameterPrefix.Length => Parameter(text[ParameterPrefix.Length..]),
            _ => null!,
        };
        return origin is not null;
    }

    /// <summary>The manifest's text form: <c>inputs</c>, <c>outputs</c> or <c>parameter:NAME</c>.</summary>
    public override string ToString() => ParameterName is { } name ? ParameterPrefix + name : IsOutput ? OutputsText : InputsText;
}

/// <summary>Writes a <see cref="DataOrigin"/> in its text form.</summary>
public sealed class DataOriginJsonConverter : JsonConverter<DataOrigin>
{
    /// <inheritdoc />
    public override DataOrigin Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return text is not null && DataOrigin.TryParse(text, out var origin)
            ? origin
            : throw new JsonException($"'{text}' is not a data origin (inputs, outputs or parameter:NAME)");
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DataOrigin value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
