using System.Text.Json;
using System.Text.Json.Serialization;

namespace Repro.Core.Runs;

/// <summary>
/// A parameter's declared type (<see cref="ParameterRecord.Type"/>). MLflow accepts any word and treats an unknown one as
/// <c>string</c>, so the word is kept as written; <see cref="IsKnown"/> says whether repro checks values against it.
/// </summary>
[JsonConverter(typeof(ParameterTypeJsonConverter))]
public sealed record ParameterType
{
    /// <summary>Any text (the type of undeclared parameters and of parameters declared without one).</summary>
    public static readonly ParameterType String = new("string");

    /// <summary>A number as Python's <c>float()</c> reads it.</summary>
    public static readonly ParameterType Float = new("float");

    /// <summary>An integer.</summary>
    public static readonly ParameterType Int = new("int");

    /// <summary>A local file or directory: resolved to an absolute path and fingerprinted as an input.</summary>
    public static readonly ParameterType Path = new("path");

    /// <summary>A URI with a scheme.</summary>
    public static readonly ParameterType Uri = new("uri");

    private static readonly ParameterType[] Known = [String, Float, Int, Path, Uri];

    /// <summary>The types repro checks values against, in the order the documentation lists them.</summary>
    public static IReadOnlyList<ParameterType> KnownTypes => Known;

    /// <summary>The type as the MLproject file spells it.</summary>
    /// <param name="word">The type word; any word is accepted.</param>
    public ParameterType(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        Word = word;
    }

    /// <summary>The type word as written.</summary>
    public string Word { get; }

    /// <summary>Whether repro knows the word; any other word acts as <see cref="String"/>.</summary>
    public bool IsKnown => Known.Contains(this);

    /// <inheritdoc />
    public override string ToString() => Word;
}

/// <summary>Writes a <see cref="ParameterType"/> as its word.</summary>
public sealed class ParameterTypeJsonConverter : JsonConverter<ParameterType>
{
    /// <inheritdoc />
    public override ParameterType Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(reader.GetString() ?? throw new JsonException("a parameter type must be a string"));

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, ParameterType value, JsonSerializerOptions options) => writer.WriteStringValue(value.Word);
}
