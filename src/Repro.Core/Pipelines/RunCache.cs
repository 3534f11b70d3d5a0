using System.Text.Json;
using System.Text.Json.Nodes;
using Repro.Core.Capture.Data;
using Repro.Core.Errors;
using Repro.Core.FileSystem;
using Repro.Core.Runs;
using Repro.Core.Store;

namespace Repro.Core.Pipelines;

/// <summary>
/// The run cache of a store: <c>&lt;store&gt;/run-cache/&lt;key digest&gt;</c> holds the id of the last successful run
/// with that key and the key's parts (JSON) (<see cref="RunCacheKey"/>). An entry is only a pointer: the run's manifest and the object store
/// decide whether the run can be reused.
/// </summary>
public sealed class RunCache
{
    /// <summary>The folder inside the store.</summary>
    public const string FolderName = "run-cache";

    private readonly RunStore _store;

    /// <summary>The run cache of <paramref name="store"/>.</summary>
    public RunCache(RunStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>
    /// The successful run recorded under <paramref name="key"/> whose outputs (and metrics file) the object store holds
    /// in full, or null with the reason there is none.
    /// </summary>
    public (RunManifest? Run, string Reason) Find(RunCacheKey key) => Find(key, null);

    /// <summary>As <see cref="Find(RunCacheKey)"/>, reading the run's manifest through <paramref name="load"/> (a manifest read ahead) when given.</summary>
    internal (RunManifest? Run, string Reason) Find(RunCacheKey key, Func<string, RunManifest>? load)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (ReadEntry(key.Digest) is not { } cached)
        {
            return (null, "no earlier successful run has the same code, data, parameters and environment");
        }

        var runId = cached.RunId;

        RunManifest manifest;
        try
        {
            manifest = load is not null ? load(runId) : _store.Load(runId);
        }
        catch (InputException)
        {
            return (null, $"the earlier run {runId} is no longer in the store");
        }

        if (manifest.Status != RunStatus.Finished)
        {
            return (null, $"the earlier run {runId} did not finish");
        }

        var objects = new ObjectStore(_store.Root);
        var missing = manifest.Outputs.SelectMany(record => record.Files)
            .FirstOrDefault(file => file.Sha256 is not { } sha || !file.Stored || !objects.Contains(sha));
        if (missing is not null)
        {
            return (null, $"the store holds no copy of output {missing.Path} of the earlier run {runId}");
        }

        if (manifest.Metrics is { Sha256: { } metricsSha } && !objects.Contains(metricsSha) && !File.Exists(MetricsInRunFolder(manifest)))
        {
            return (null, $"the store holds no copy of the metrics of the earlier run {runId}");
        }

        return (manifest, $"run {runId} has the same key");
    }

    /// <summary>The run and the key's parts remembered under <paramref name="digest"/>, or null when there is none.</summary>
    public (string RunId, RunCacheKey Key)? ReadEntry(string digest)
    {
        var entry = EntryPath(digest);
        try
        {
            var node = JsonNode.Parse(File.ReadAllBytes(entry))?.AsObject();
            var parts = node?["parts"]?.AsObject().ToDictionary(part => part.Key, part => (string?)part.Value ?? string.Empty, StringComparer.Ordinal);
            return node?["runId"]?.GetValue<string>() is { } runId && parts is not null ? (runId, new RunCacheKey(new SortedDictionary<string, string>(parts, StringComparer.Ordinal))) : null;
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            throw new StoreException($"{entry}: not a run-cache entry: {exception.Message}", exception);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"cannot read {entry}: {exception.Message}", exception);
        }
    }

    /// <summary>Remembers <paramref name="runId"/> as the run for <paramref name="key"/>, with the key's parts, atomically.</summary>
    public void Remember(RunCacheKey key, string runId)
    {
        ArgumentNullException.ThrowIfNull(key);
        var entry = EntryPath(key.Digest);
        var parts = new JsonObject();
        foreach (var (name, value) in key.Parts)
        {
            parts[name] = value;
        }

        var node = new JsonObject { ["runId"] = runId, ["parts"] = parts };
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(entry)!);
            AtomicFile.WriteAllBytes(entry, JsonSerializer.SerializeToUtf8Bytes(node, ManifestJsonContext.Default.JsonObject));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"cannot write {entry}: {exception.Message}", exception);
        }
    }

    /// <summary>Where a run wrote its metrics when repro chose the file: in its run folder.</summary>
    internal string MetricsInRunFolder(RunManifest manifest) =>
        _store.GetRunFolder(manifest.RunId).DefaultMetrics;

    private string EntryPath(string digest) =>
        ObjectStore.IsSha256(digest)
            ? Path.Combine(_store.Root, FolderName, digest[..2], digest[2..])
            : throw new ArgumentException($"'{digest}' is not a run-cache key", nameof(digest));
}
