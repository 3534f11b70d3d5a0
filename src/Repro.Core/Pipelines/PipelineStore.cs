using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Repro.Core.Errors;
using Repro.Core.FileSystem;
using Repro.Core.Runs;
using Repro.Core.Store;

namespace Repro.Core.Pipelines;

/// <summary>Pipeline records in a store: <c>&lt;store&gt;/pipelines/&lt;id&gt;/pipeline.json</c>, each written atomically.</summary>
public sealed class PipelineStore
{
    /// <summary>The folder inside the store.</summary>
    public const string FolderName = "pipelines";

    /// <summary>The record's file name inside a pipeline's folder.</summary>
    public const string FileName = "pipeline.json";

    private static readonly JsonTypeInfo<PipelineRecord> TypeInfo = (JsonTypeInfo<PipelineRecord>)new JsonSerializerOptions(ManifestJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    }.GetTypeInfo(typeof(PipelineRecord));

    /// <summary>The pipelines of <paramref name="store"/>.</summary>
    public PipelineStore(RunStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        Root = Path.Combine(store.Root, FolderName);
    }

    /// <summary>The folder holding one folder per pipeline.</summary>
    public string Root { get; }

    /// <summary>The record's file for a well-formed id.</summary>
    /// <exception cref="InputException"><paramref name="pipelineId"/> is not a pipeline id.</exception>
    public string PathOf(string pipelineId) =>
        RunId.IsWellFormed(pipelineId) ? Path.Combine(Root, pipelineId, FileName) : throw new InputException($"'{pipelineId}' is not a pipeline id");

    /// <summary>A new id; its folder is created exclusively.</summary>
    public string Create(DateTimeOffset startedAt)
    {
        Directory.CreateDirectory(Root);
        for (var attempt = 0; attempt < 16; attempt++)
        {
            var id = RunId.New(startedAt);
            var folder = Path.Combine(Root, id);
            if (!Directory.Exists(folder))
            {
                Directory.CreateDirectory(folder);
                return id;
            }
        }

        throw new StoreException($"cannot allocate a pipeline folder in {Root}");
    }

    /// <summary>Writes the record atomically.</summary>
    public void Save(PipelineRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var path = PathOf(record.PipelineId);
        try
        {
            AtomicFile.WriteAllBytes(path, [.. JsonSerializer.SerializeToUtf8Bytes(record, TypeInfo), (byte)'\n']);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"cannot write {path}: {exception.Message}", exception);
        }
    }

    /// <summary>Reads a record.</summary>
    public PipelineRecord Load(string pipelineId)
    {
        var path = PathOf(pipelineId);
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), TypeInfo) ?? throw new StoreException($"{path}: not a pipeline record");
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputException($"no pipeline '{pipelineId}'", exception);
        }
        catch (JsonException exception)
        {
            throw new StoreException($"{path}: not a pipeline record: {exception.Message}", exception);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"cannot read {path}: {exception.Message}", exception);
        }
    }

    /// <summary>Ids of every pipeline with a record, oldest first.</summary>
    public IReadOnlyList<string> List()
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }

        var ids = Directory.EnumerateDirectories(Root).Select(Path.GetFileName).OfType<string>()
            .Where(id => RunId.IsWellFormed(id) && File.Exists(Path.Combine(Root, id, FileName))).ToList();
        ids.Sort(StringComparer.Ordinal);
        return ids;
    }

    /// <summary>The pipeline a user named: a full id, a unique prefix, or <c>latest</c>; null when none matches.</summary>
    /// <exception cref="InputException">The prefix matches several pipelines.</exception>
    public string? TryResolve(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var text = reference.Trim();
        var ids = List();
        if (text == "latest")
        {
            return ids.Count > 0 ? ids[^1] : null;
        }

        if (!RunId.IsReferenceText(text))
        {
            return null;
        }

        var matches = ids.Where(id => id.StartsWith(text, StringComparison.Ordinal)).ToList();
        return matches.Count switch
        {
            0 => null,
            1 => matches[0],
            _ => throw new InputException($"'{reference}' matches {matches.Count} pipelines: give more characters"),
        };
    }
}
