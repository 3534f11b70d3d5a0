using System.Text.Json;
using System.Text.Json.Nodes;

namespace Repro.Sdk.Reporting;

/// <summary>
/// Reads and replaces a file holding one JSON object. A write goes to a temporary file in the same folder that is
/// then renamed over the target, so a reader (the runner, another component) never sees a partial file.
/// </summary>
internal static class JsonObjectFile
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true };

    /// <summary>The object in <paramref name="path"/>, or an empty one when the file does not exist.</summary>
    public static JsonObject Read(string path)
    {
        string text;
        try
        {
            if (!File.Exists(path))
            {
                return [];
            }

            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ReproSdkException($"Cannot read {path}: {e.Message}", e);
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject
                ?? throw new ReproSdkException($"{path} does not hold a JSON object.");
        }
        catch (JsonException e)
        {
            throw new ReproSdkException($"{path} is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/>, atomically.</summary>
    public static void Write(string path, JsonObject content)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(directory);
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            using (var writer = new Utf8JsonWriter(stream, WriterOptions))
            {
                content.WriteTo(writer);
                writer.Flush();
                stream.WriteByte((byte)'\n');
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }

            throw new ReproSdkException($"Cannot write {path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Copies <paramref name="source"/> into <paramref name="target"/>: objects merge key by key, anything else
    /// replaces; arrays under a key named in <paramref name="unionArrays"/> keep the target's items and append the
    /// source's items they lack.
    /// </summary>
    public static void MergeInto(JsonObject target, JsonObject source, IReadOnlySet<string> unionArrays)
    {
        foreach (var (key, value) in source)
        {
            var existing = target[key];
            if (existing is JsonObject targetObject && value is JsonObject sourceObject)
            {
                MergeInto(targetObject, sourceObject, unionArrays);
            }
            else if (existing is JsonArray targetArray && value is JsonArray sourceArray && unionArrays.Contains(key))
            {
                foreach (var item in sourceArray)
                {
                    if (!targetArray.Any(t => JsonNode.DeepEquals(t, item)))
                    {
                        targetArray.Add(item?.DeepClone());
                    }
                }
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }
}
