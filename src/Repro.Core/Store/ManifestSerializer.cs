using System.Text.Json;
using Repro.Core.Errors;
using Repro.Core.Runs;

namespace Repro.Core.Store;

/// <summary>Reads and writes <c>run.json</c>.</summary>
public static class ManifestSerializer
{
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
