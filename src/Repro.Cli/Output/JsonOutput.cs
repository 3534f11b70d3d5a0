using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Repro.Cli.Output;

/// <summary>
/// JSON the CLI prints: the source-generated contracts, with an encoder that leaves '+', '&gt;', quotes and
/// non-ASCII text as they are. The output goes to terminals, files and jq, never into HTML, so the default
/// HTML-safe escaping would only make it harder to read.
/// </summary>
internal static class JsonOutput
{
    private static readonly ConcurrentDictionary<JsonSerializerOptions, JsonSerializerOptions> Relaxed = new();

    public static string Serialize<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        var options = Relaxed.GetOrAdd(typeInfo.Options, original => new JsonSerializerOptions(original)
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        return JsonSerializer.Serialize(value, (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T)));
    }
}
