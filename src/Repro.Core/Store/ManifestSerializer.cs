using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Repro.Core.Errors;
using Repro.Core.Runs;

namespace Repro.Core.Store;

/// <summary>Reads and writes <c>run.json</c>.</summary>
public static class ManifestSerializer
{
    // Manifests are read by people auditing a run: paths, '+' in versions and non-ASCII names stay legible.
    // The relaxed encoder is safe here because the JSON is never embedded in HTML or script.
    private static readonly JsonTypeInfo<RunManifest> TypeInfo = (JsonTypeInfo<RunManifest>)new JsonSerializerOptions(ManifestJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    }.GetTypeInfo(typeof(RunManifest));

    /// <summary>
    /// Builds the serializer's metadata for every type a manifest holds, which the first <see cref="Serialize"/>
    /// would otherwise do on the spot. Expensive the first time (System.Text.Json compiles its generic metadata code
    /// for each value-typed property), a no-op afterwards: call it on a thread that would otherwise sit idle, such as
    /// while a run's capture waits for git.
    /// </summary>
    public static void Prepare()
    {
        if (Interlocked.Exchange(ref _preparing, 1) == 0)
        {
            PrepareAll(TypeInfo.Options);
        }
    }

    /// <summary>Whether <see cref="Prepare"/> was called already in this process (each call after the first does nothing).</summary>
    public static bool Prepared => Volatile.Read(ref _preparing) != 0;

    // Set by the first Prepare: a pipeline's steps each reach the capture stage, which would start it again.
    private static int _preparing;

    /// <summary>
    /// Builds the metadata <see cref="Deserialize"/> needs, as <see cref="Prepare"/> does for writing. Types are
    /// prepared innermost first, so that a thread reading a manifest meanwhile (which prepares them outermost first)
    /// meets types already done instead of waiting on the same ones.
    /// </summary>
    public static void PrepareReading() => PrepareAll(ManifestJsonContext.Default.Options, innermostFirst: true);

    private static void PrepareAll(JsonSerializerOptions options, bool innermostFirst = false)
    {
        var types = typeof(ManifestJsonContext).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.PropertyType.IsGenericType && property.PropertyType.GetGenericTypeDefinition() == typeof(JsonTypeInfo<>))
            .Select(property => property.PropertyType.GetGenericArguments()[0])
            .ToList();

        // The generator declares a type's properties after the type itself.
        if (innermostFirst)
        {
            types.Reverse();
        }

        foreach (var type in types)
        {
            options.GetTypeInfo(type);
        }
    }

    /// <summary>The manifest as UTF-8 JSON bytes, with a final newline.</summary>
    public static byte[] Serialize(RunManifest manifest)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(manifest, TypeInfo);
        var withNewline = new byte[json.Length + 1];
        json.CopyTo(withNewline, 0);
        withNewline[^1] = (byte)'\n';
        return withNewline;
    }

    /// <summary>Parses a manifest; <paramref name="displayPath"/> names the file in errors.</summary>
    /// <exception cref="StoreException">The file is not a manifest this version of repro can read.</exception>
    public static RunManifest Deserialize(ReadOnlySpan<byte> json, string displayPath)
    {
        RunManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(json, ManifestJsonContext.Default.RunManifest);
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
