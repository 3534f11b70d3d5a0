using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Repro.Core.Errors;
using Repro.Core.FileSystem;
using Repro.Core.Runs;
using Repro.Core.Store;

namespace Repro.Core.Sweeps;

/// <summary>Sweep records in a store: <c>&lt;store&gt;/sweeps/&lt;id&gt;/sweep.json</c>, each written atomically, laid out as pipelines are.</summary>
public sealed class SweepStore
{
    /// <summary>The folder inside the store.</summary>
    public const string FolderName = "sweeps";

    /// <summary>The record's file name inside a sweep's folder.</summary>
    public const string FileName = "sweep.json";

    private static readonly JsonTypeInfo<SweepRecord> TypeInfo = (JsonTypeInfo<SweepRecord>)new JsonSerializerOptions(ManifestJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    }.GetTypeInfo(typeof(SweepRecord));

    /// <summary>The sweeps of <paramref name="store"/>.</summary>
    public SweepStore(RunStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        Root = Path.Combine(store.Root, FolderName);
    }

    /// <summary>The folder holding one folder per sweep.</summary>
    public string Root { get; }

    /// <summary>A sweep's folder (its record, and for Slurm the job script and Slurm's output).</summary>
    /// <exception cref="InputException"><paramref name="sweepId"/> is not a sweep id.</exception>
    public string FolderOf(string sweepId) =>
        RunId.IsWellFormed(sweepId) ? Path.Combine(Root, sweepId) : throw new InputException($"'{sweepId}' is not a sweep id");

    /// <summary>The record's file.</summary>
    public string PathOf(string sweepId) => Path.Combine(FolderOf(sweepId), FileName);

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

        throw new StoreException($"cannot allocate a sweep folder in {Root}");
    }

    /// <summary>Writes the record atomically.</summary>
    public void Save(SweepRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var path = PathOf(record.SweepId);
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
    public SweepRecord Load(string sweepId)
    {
        var path = PathOf(sweepId);
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), TypeInfo) ?? throw new StoreException($"{path}: not a sweep record");
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputException($"no sweep '{sweepId}'", exception);
        }
        catch (JsonException exception)
        {
            throw new StoreException($"{path}: not a sweep record: {exception.Message}", exception);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"cannot read {path}: {exception.Message}", exception);
        }
    }

    /// <summary>Ids of every sweep with a record, oldest first.</summary>
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

    /// <summary>The sweep a user named: a full id or a unique prefix; null when none matches.</summary>
    /// <exception cref="InputException">The prefix matches several sweeps.</exception>
    public string? TryResolve(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var text = reference.Trim();
        if (!RunId.IsReferenceText(text))
        {
            return null;
        }

        var matches = List().Where(id => id.StartsWith(text, StringComparison.Ordinal)).ToList();
        return matches.Count switch
        {
            0 => null,
            1 => matches[0],
            _ => throw new InputException($"'{reference}' matches {matches.Count} sweeps: give more characters"),
        };
    }
}
