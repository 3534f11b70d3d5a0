using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Repro.Core.Runs;

/// <summary>
/// Writes an enum value as its word: the <see cref="JsonStringEnumMemberNameAttribute"/> on the member, else the
/// member's name, exactly as <see cref="JsonStringEnumConverter{TEnum}"/> writes it; reads the word back (ordinal
/// first, then ignoring case) or a defined number.
/// </summary>
/// <remarks>
/// Why not <see cref="JsonStringEnumConverter{TEnum}"/> itself: its converter is System.Text.Json's internal generic
/// code instantiated over each of repro's enums, which ReadyToRun cannot precompile into repro's images, so every
/// command that reads or writes a manifest compiled about 150 methods with the JIT (a quarter of what
/// <c>repro show</c> compiled) and built each enum's name tables through generic reflection. This class is repro's
/// own generic code over repro's own enums, so ReadyToRun compiles it, and it reads the words with plain reflection.
/// </remarks>
/// <typeparam name="TEnum">An enum whose underlying type is <see cref="int"/>.</typeparam>
public sealed class ManifestEnumConverter<TEnum> : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    private static readonly (int Value, string Word, JsonEncodedText Encoded)[] Words = EncodeWords();

    /// <inheritdoc />
    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            foreach (var entry in Words)
            {
                if (reader.ValueTextEquals(entry.Encoded.EncodedUtf8Bytes))
                {
                    return FromInt(entry.Value);
                }
            }

            var text = reader.GetString();
            foreach (var entry in Words)
            {
                if (string.Equals(entry.Word, text, StringComparison.OrdinalIgnoreCase))
                {
                    return FromInt(entry.Value);
                }
            }

            throw new JsonException($"'{text}' is not one of {string.Join(", ", Words.Select(entry => entry.Word))}");
        }

        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var number) && Array.Exists(Words, entry => entry.Value == number))
        {
            return FromInt(number);
        }

        throw new JsonException($"expected one of {string.Join(", ", Words.Select(entry => entry.Word))}");
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var number = Unsafe.As<TEnum, int>(ref value);
        foreach (var entry in Words)
        {
            if (entry.Value == number)
            {
                writer.WriteStringValue(entry.Encoded);
                return;
            }
        }

        // As JsonStringEnumConverter does for a value no member names.
        writer.WriteNumberValue(number);
    }

    private static TEnum FromInt(int value) => Unsafe.As<int, TEnum>(ref value);

    private static (int, string, JsonEncodedText)[] EncodeWords()
    {
        var words = ManifestEnumWords<TEnum>.All;
        var encoded = new (int, string, JsonEncodedText)[words.Length];
        for (var i = 0; i < words.Length; i++)
        {
            encoded[i] = (words[i].Value, words[i].Word, JsonEncodedText.Encode(words[i].Word));
        }

        return encoded;
    }
}

/// <summary>
/// The words <see cref="ManifestEnumConverter{TEnum}"/> writes for an enum's members: the
/// <see cref="JsonStringEnumMemberNameAttribute"/> on the member, else the member's name.
/// </summary>
/// <remarks>
/// Apart from the converter so that naming a value (<see cref="ManifestNames"/>: every row of <c>repro list</c>)
/// needs neither the serializer nor its encoder: going through them made <c>repro list</c> build the manifest's whole
/// JSON context and the default encoder's tables to print a status.
/// </remarks>
/// <typeparam name="TEnum">An enum whose underlying type is <see cref="int"/>.</typeparam>
internal static class ManifestEnumWords<TEnum>
    where TEnum : struct, Enum
{
    /// <summary>Each member's number and word, in declaration order.</summary>
    public static readonly (int Value, string Word)[] All = Read();

    /// <summary>The word for <paramref name="value"/>; a value no member names, as its number (as the converter writes it).</summary>
    public static string Of(TEnum value)
    {
        var number = Unsafe.As<TEnum, int>(ref value);
        foreach (var entry in All)
        {
            if (entry.Value == number)
            {
                return entry.Word;
            }
        }

        return number.ToString(CultureInfo.InvariantCulture);
    }

    private static (int, string)[] Read()
    {
        if (Enum.GetUnderlyingType(typeof(TEnum)) != typeof(int))
        {
            throw new InvalidOperationException($"{typeof(TEnum).Name}: {nameof(ManifestEnumConverter<TEnum>)} takes enums over int only");
        }

        var fields = typeof(TEnum).GetFields(BindingFlags.Public | BindingFlags.Static);
        var words = new (int, string)[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            words[i] = ((int)fields[i].GetRawConstantValue()!, fields[i].GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? fields[i].Name);
        }

        return words;
    }
}
