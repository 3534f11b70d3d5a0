using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Repro.Core.Store;

/// <summary>
/// The index's <c>parameters</c> and <c>metrics</c> columns: JSON objects of name to text and of name to number, read
/// and written as <see cref="JsonSerializer"/> does with <see cref="JsonNumberHandling.AllowNamedFloatingPointLiterals"/>,
/// which wrote them before (the same bytes; NaN and infinities as the strings <c>"NaN"</c>, <c>"Infinity"</c>,
/// <c>"-Infinity"</c>; a repeated name, the last value).
/// </summary>
/// <remarks>
/// Written by hand with <see cref="Utf8JsonWriter"/> and <see cref="Utf8JsonReader"/>: the serializer's dictionary
/// converter is generic over <c>double</c>, code that ReadyToRun leaves to the JIT, about fifteen methods compiled at
/// every <c>repro list</c> and every run's index record.
/// </remarks>
internal static class RunIndexJson
{
    // No parameters and no metrics make the common row (a run's RUNNING row has no metrics yet), and the summary holds
    // them in sorted dictionaries: enumerating one through the interface is generic code over key-value pairs that the
    // ReadyToRun image lacks, so the JIT compiled it at every run. An empty object is written as the writer writes it.
    private const string EmptyObject = "{}";

    /// <summary>The JSON text of <paramref name="parameters"/>.</summary>
    public static string Write(IReadOnlyDictionary<string, string> parameters) => parameters.Count == 0 ? EmptyObject : WriteObject(writer =>
    {
        foreach (var (name, value) in parameters)
        {
            writer.WriteString(name, value);
        }
    });

    /// <summary>The JSON text of <paramref name="metrics"/>.</summary>
    public static string Write(IReadOnlyDictionary<string, double> metrics) => metrics.Count == 0 ? EmptyObject : WriteObject(writer =>
    {
        foreach (var (name, value) in metrics)
        {
            if (double.IsFinite(value))
            {
                writer.WriteNumber(name, value);
            }
            else
            {
                writer.WriteString(name, double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
            }
        }
    });

    /// <summary>The parameters in <paramref name="json"/> (<c>null</c>: none).</summary>
    /// <exception cref="JsonException">Not a JSON object of strings.</exception>
    public static Dictionary<string, string> ReadParameters(string json)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        if (StartObject(ref reader))
        {
            while (NextName(ref reader) is { } name)
            {
                parameters[name] = reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new JsonException($"parameter '{name}' is not a string");
            }
        }

        return parameters;
    }

    /// <summary>The metrics in <paramref name="json"/> (<c>null</c>: none).</summary>
    /// <exception cref="JsonException">Not a JSON object of numbers.</exception>
    public static Dictionary<string, double> ReadMetrics(string json)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        if (StartObject(ref reader))
        {
            while (NextName(ref reader) is { } name)
            {
                metrics[name] = reader.TokenType switch
                {
                    JsonTokenType.Number => reader.GetDouble(),
                    JsonTokenType.String => reader.GetString() switch
                    {
                        "NaN" => double.NaN,
                        "Infinity" => double.PositiveInfinity,
                        "-Infinity" => double.NegativeInfinity,
                        _ => throw new JsonException($"metric '{name}' is not a number"),
                    },
                    _ => throw new JsonException($"metric '{name}' is not a number"),
                };
            }
        }

        return metrics;
    }

    // A JSON object, its properties written by writeProperties, as text.
    private static string WriteObject(Action<Utf8JsonWriter> writeProperties)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    // True at the start of an object, false for null.
    private static bool StartObject(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("empty JSON");
        }

        return reader.TokenType switch
        {
            JsonTokenType.StartObject => true,
            JsonTokenType.Null => false,
            _ => throw new JsonException("not a JSON object"),
        };
    }

    // The next property's name, with the reader on its value; null at the object's end.
    private static string? NextName(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType == JsonTokenType.EndObject)
        {
            return null;
        }

        var name = reader.GetString()!;
        if (!reader.Read())
        {
            throw new JsonException("truncated JSON");
        }

        return name;
    }
}
