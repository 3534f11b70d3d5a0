using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Repro.Core.Errors;
using Repro.Core.Runs;

namespace Repro.Core.Store;

/// <summary>Reads and writes <c>run.json</c>.</summary>
public static class ManifestSerializer
{
    /// <summary>
    /// Builds the metadata <see cref="Deserialize"/> needs, which the first read would otherwise build on the spot.
    /// Types are prepared innermost first, so that a thread reading a manifest meanwhile (which prepares them outermost
    /// first) meets types already done instead of waiting on the same ones.
    /// </summary>
    public static void PrepareReading()
    {
        var options = ManifestJsonContext.Default.Options;
        var types = typeof(ManifestJsonContext).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.PropertyType.IsGenericType && property.PropertyType.GetGenericTypeDefinition() == typeof(JsonTypeInfo<>))
            .Select(property => property.PropertyType.GetGenericArguments()[0])
            .ToList();

        // The generator declares a type's properties after the type itself.
        types.Reverse();

        foreach (var type in types)
        {
            options.GetTypeInfo(type);
        }
    }

    /// <summary>
    /// The manifest as UTF-8 JSON bytes, with a final newline. Manifests are read by people auditing a run: paths, '+'
    /// in versions and non-ASCII names stay legible (the relaxed encoder, safe because the JSON is never embedded in
    /// HTML or script).
    /// </summary>
    public static byte[] Serialize(RunManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return ManifestWriter.Write(manifest);
    }

    /// <summary>Parses a manifest; <paramref name="displayPath"/> names the file in errors.</summary>
    /// <exception cref="StoreException">The file is not a manifest this version of repro can read.</exception>
    public static RunManifest Deserialize(ReadOnlySpan<byte> json, string displayPath)
    {
        // The serializer reads whatever the hand-written reader is not certain of, with its own result or error.
        var manifest = ManifestReader.TryRead(json);
        try
        {
            manifest ??= JsonSerializer.Deserialize(json, ManifestJsonContext.Default.RunManifest);
        }
        catch (JsonException exception)
        {
            var where = exception.LineNumber is { } line ? $"{displayPath}:{line + 1}:{(exception.BytePositionInLine ?? 0) + 1}" : displayPath;
            throw new StoreException($"{where}: not a valid run manifest: {FirstLine(exception.Message)}", exception);
        }

        if (manifest is null)
        {
            throw new StoreException($"{displayPath}: not a valid run manifest: the file holds null");
        }

        if (manifest.SchemaVersion > RunManifest.CurrentSchemaVersion)
        {
            throw new StoreException($"{displayPath}: manifest schema version {manifest.SchemaVersion} is newer than this repro understands ({RunManifest.CurrentSchemaVersion}); upgrade repro");
        }

        return manifest;
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
