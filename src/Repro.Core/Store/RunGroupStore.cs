using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Repro.Core.Errors;
using Repro.Core.FileSystem;
using Repro.Core.Runs;

namespace Repro.Core.Store;

/// <summary>
/// Records that group runs (a pipeline's steps, a sweep's points) in a store:
/// <c>&lt;store&gt;/&lt;folder&gt;/&lt;id&gt;/&lt;file&gt;</c>, one folder per record, each record written atomically. Ids
/// have the shape of run ids, so they sort by start time and a user names one as a run: full id, unique prefix or
/// <c>latest</c>. One layout for every kind of group, so <c>show</c>, <c>list</c> and <c>verify</c> treat them alike.
/// </summary>
/// <typeparam name="TRecord">The record written as JSON.</typeparam>
public abstract class RunGroupStore<TRecord>
    where TRecord : class
{
    private readonly string _fileName;
    private readonly string _noun;
    private JsonTypeInfo<TRecord>? _typeInfo;

    /// <summary>The groups of <paramref name="store"/> kept under <paramref name="folderName"/>.</summary>
    /// <param name="store">The run store.</param>
    /// <param name="folderName">The folder inside the store.</param>
    /// <param name="fileName">The record's file name inside a group's folder.</param>
    /// <param name="noun">What a group is called in messages ("pipeline", "sweep").</param>
    protected RunGroupStore(RunStore store, string folderName, string fileName, string noun)
    {
        ArgumentNullException.ThrowIfNull(store);
        Root = Path.Combine(store.Root, folderName);
        _fileName = fileName;
        _noun = noun;
    }

    /// <summary>The folder holding one folder per group.</summary>
    public string Root { get; }

    /// <summary>A group's folder (its record, and whatever else belongs to it, such as a job script).</summary>
    /// <exception cref="InputException"><paramref name="id"/> is not a well-formed id.</exception>
    public string FolderOf(string id) =>
        RunId.IsWellFormed(id) ? Path.Combine(Root, id) : throw new InputException($"'{id}' is not a {_noun} id");

    /// <summary>The record's file for a well-formed id.</summary>
    /// <exception cref="InputException"><paramref name="id"/> is not a well-formed id.</exception>
    public string PathOf(string id) => Path.Combine(FolderOf(id), _fileName);

    /// <summary>A new id; its folder is created exclusively.</summary>
    /// <exception cref="StoreException">No free folder could be made.</exception>
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

        throw new StoreException($"cannot allocate a {_noun} folder in {Root}");
    }

    /// <summary>Writes the record atomically.</summary>
    /// <exception cref="StoreException">The record could not be written.</exception>
    public void Save(TRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var path = PathOf(IdOf(record));
        try
        {
            AtomicFile.WriteAllBytes(path, Serialize(record));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"cannot write {path}: {exception.Message}", exception);
        }
    }

    /// <summary>
    /// Writes the record atomically, its bytes flushed to the disk by <paramref name="flush"/> rather than by a flush of
    /// their own (<see cref="AtomicFile.WriteAllBytes(string, ReadOnlySpan{byte}, Action{string}?)"/>): it never replaces
    /// the previous record before both it and whatever <paramref name="flush"/> made durable are on the disk.
    /// </summary>
    /// <param name="record">The record.</param>
    /// <param name="flush">Flushes the temporary file it is given to the disk, with whatever else it flushes.</param>
    /// <exception cref="StoreException">The record could not be written.</exception>
    internal void Save(TRecord record, Action<string> flush)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(flush);
        var path = PathOf(IdOf(record));
        try
        {
            AtomicFile.WriteAllBytes(path, Serialize(record), flush);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"cannot write {path}: {exception.Message}", exception);
        }
    }

    /// <summary>Reads a record.</summary>
    /// <exception cref="InputException">There is no such group.</exception>
    /// <exception cref="StoreException">The record is damaged or unreadable.</exception>
    public TRecord Load(string id)
    {
        var path = PathOf(id);
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), TypeInfo) ?? throw new StoreException($"{path}: not a {_noun} record");
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputException($"no {_noun} '{id}'", exception);
        }
        catch (JsonException exception)
        {
            throw new StoreException($"{path}: not a {_noun} record: {exception.Message}", exception);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"cannot read {path}: {exception.Message}", exception);
        }
    }

    /// <summary>Ids of every group with a record, oldest first.</summary>
    public IReadOnlyList<string> List()
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }

        var ids = Directory.EnumerateDirectories(Root).Select(Path.GetFileName).OfType<string>()
            .Where(id => RunId.IsWellFormed(id) && File.Exists(Path.Combine(Root, id, _fileName))).ToList();
        ids.Sort(StringComparer.Ordinal);
        return ids;
    }

    /// <summary>The group a user named: a full id, a unique prefix, or <c>latest</c>; null when none matches.</summary>
    /// <exception cref="InputException">The prefix matches several groups.</exception>
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
            _ => throw new InputException($"'{reference}' matches {matches.Count} {_noun}s: give more characters"),
        };
    }

    /// <summary>The id a record is saved under.</summary>
    protected abstract string IdOf(TRecord record);

    /// <summary>The record's file content: camelCase JSON as <see cref="ManifestJsonContext"/> writes it, with a final newline.</summary>
    /// <exception cref="JsonException">A property that may not be null is null.</exception>
    protected virtual byte[] Serialize(TRecord record) => [.. JsonSerializer.SerializeToUtf8Bytes(record, TypeInfo), (byte)'\n'];

    // Built at the first read or serializer write, not with the store: the metadata takes milliseconds of type loading
    // and JIT, which a pipeline that only writes its record (with a writer of its own) never needs.
    private JsonTypeInfo<TRecord> TypeInfo => _typeInfo ??=
        // Relaxed escaping keeps parameter values and paths readable in the record, as in run manifests.
        (JsonTypeInfo<TRecord>)new JsonSerializerOptions(ManifestJsonContext.Default.Options)
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }.GetTypeInfo(typeof(TRecord));
}
