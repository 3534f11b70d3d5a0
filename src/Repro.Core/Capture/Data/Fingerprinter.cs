using Repro.Core.Errors;
using Repro.Core.FileSystem;
using Repro.Core.Runs;

namespace Repro.Core.Capture.Data;

/// <summary>
/// Fingerprints a run's data: the declared inputs and <c>path</c> parameters before the child starts, the declared
/// outputs after it exits. Every file gets its path, size and SHA-256; a directory or glob also gets one digest
/// over its files (<see cref="DataDigest"/>). Unchanged files are answered by the <see cref="HashCache"/> without
/// being read; the rest are hashed in parallel by <see cref="FileHasher"/>.
/// </summary>
/// <remarks>
/// Paths are recorded relative to the project with forward slashes; a <c>path</c> parameter outside the project is
/// recorded with absolute paths. Symbolic links are recorded with their target and followed only when they resolve
/// inside the project (or, for a parameter outside it, inside the parameter's own target); other links get no
/// digest. FIFOs, sockets and devices are refused with an <see cref="InputException"/>.
/// </remarks>
public sealed class Fingerprinter
{
    private readonly FingerprintOptions _options;
    private readonly HashEngineOptions _engine;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (FileStatus Status, string Sha256)> _vouched = new(StringComparer.Ordinal);

    /// <summary>A fingerprinter with the given cache, progress and object store.</summary>
    public Fingerprinter(FingerprintOptions? options = null)
        : this(options ?? new FingerprintOptions(), new HashEngineOptions())
    {
    }

    /// <summary>A fingerprinter with engine settings chosen by tests and benchmarks.</summary>
    internal Fingerprinter(FingerprintOptions options, HashEngineOptions engine)
    {
        _options = options;
        _engine = engine with { Progress = options.Progress };
    }

    /// <summary>
    /// Records that the file at <paramref name="absolutePath"/> holds content with <paramref name="sha256"/> for as long
    /// as its status is exactly <paramref name="status"/> (size, times, inode, device): this fingerprinter then takes
    /// the digest without reading the file. For files repro has just written from a checked object (a reused pipeline
    /// step's restored outputs), whose content is known; the hash cache cannot vouch for them yet, because their times
    /// are too recent for it.
    /// </summary>
    public void Vouch(string absolutePath, FileStatus status, string sha256)
    {
        ArgumentException.ThrowIfNullOrEmpty(absolutePath);
        ArgumentException.ThrowIfNullOrEmpty(sha256);
        _vouched[absolutePath] = (status, sha256);
    }

    /// <summary>
    /// Checks, without touching the disk, that every declared entry is a non-empty path inside the project. Call it
    /// for the outputs before the child starts, so a bad declaration fails before anything runs.
    /// </summary>
    /// <exception cref="InputException">An entry is empty, absolute outside the project or escapes it with <c>..</c>.</exception>
    public static void CheckDeclared(string projectDirectory, IReadOnlyList<DataSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        var resolver = new SpecResolver(projectDirectory);
        foreach (var spec in specs.Where(s => s.ParameterName is null))
        {
            resolver.CheckDeclared(spec);
        }
    }

    /// <summary>
    /// Fingerprints inputs and <c>path</c> parameters, one record per spec in the order given, and copies their files
    /// inside the project into the object store when one is configured (before the child starts, so the copy is what
    /// the run read). Files outside the project and specs declared <c>store: false</c> are fingerprinted only.
    /// </summary>
    /// <exception cref="InputException">
    /// An input is missing, a glob matches nothing (the message names every one), an entry escapes the project,
    /// a special file is met, or a file cannot be read.
    /// </exception>
    public async Task<IReadOnlyList<DataRecord>> FingerprintInputsAsync(
        string projectDirectory,
        IReadOnlyList<DataSpec> specs,
        CancellationToken cancellationToken)
    {
        var resolutions = Resolve(projectDirectory, specs);
        var missing = resolutions.Where(r => r.MissingMessage is not null).Select(r => r.MissingMessage).ToList();
        if (missing.Count > 0)
        {
            throw new InputException(MessageList.Join(missing!, separator: "; "));
        }

        var digests = await HashAsync(resolutions, cancellationToken);
        var stored = Store(resolutions, digests);
        return resolutions.Select(r => ToRecord(r, digests, stored)).ToList();
    }

    /// <summary>
    /// Fingerprints declared outputs, one record per existing output in the order given, and copies their files
    /// into the object store when one is configured. Missing outputs are returned, not thrown: the caller decides
    /// the run's status.
    /// </summary>
    /// <exception cref="InputException">An entry escapes the project, a special file is met, or a file cannot be read.</exception>
    public async Task<OutputFingerprints> FingerprintOutputsAsync(
        string projectDirectory,
        IReadOnlyList<DataSpec> specs,
        CancellationToken cancellationToken)
    {
        var resolutions = Resolve(projectDirectory, specs);
        var found = resolutions.Where(r => r.MissingMessage is null).ToList();
        var digests = await HashAsync(found, cancellationToken);
        var stored = Store(found, digests);
        return new OutputFingerprints(
            found.Select(r => ToRecord(r, digests, stored)).ToList(),
            resolutions.Where(r => r.MissingMessage is not null).Select(r => new MissingData(r.Spec, r.MissingMessage!)).ToList());
    }

    private static List<Resolution> Resolve(string projectDirectory, IReadOnlyList<DataSpec> specs)
    {
        ArgumentException.ThrowIfNullOrEmpty(projectDirectory);
        ArgumentNullException.ThrowIfNull(specs);
        var resolver = new SpecResolver(projectDirectory);
        return specs.Select(resolver.Resolve).ToList();
    }

    /// <summary>
    /// Digest, size and trusted status of every content file, by content path: from the cache when it still holds,
    /// read otherwise.
    /// </summary>
    private async Task<Dictionary<string, Digest>> HashAsync(
        IReadOnlyList<Resolution> resolutions,
        CancellationToken cancellationToken)
    {
        // A file reached through several specs or links is read once.
        var files = new Dictionary<string, ResolvedFile>(StringComparer.Ordinal);
        foreach (var file in resolutions.SelectMany(r => r.Files).Where(f => f.ContentPath is not null))
        {
            files.TryAdd(file.ContentPath!, file);
        }

        var listed = files.Values.ToList();
        var started = DateTimeOffset.UtcNow;
        var digests = new Dictionary<string, Digest>(StringComparer.Ordinal);
        if (listed.Count == 0)
        {
            // Nothing to read: not even a cache transaction (the first one costs a no-op run tens of milliseconds).
            return digests;
        }

        var cache = _options.Cache;
        var cached = cache is not null && !_options.Rehash
            ? cache.TryGetAll(listed.Select(f => new CacheKey(f.ContentPath!, f.Status!.Value)).ToList())
            : new string?[listed.Count];

        var toHash = new List<HashJob>();
        for (var i = 0; i < listed.Count; i++)
        {
            var file = listed[i];
            if (cached[i] is { } sha256)
            {
                digests[file.ContentPath!] = new Digest(sha256, file.Status!.Value.Size, file.Status);
            }
            else if (!_options.Rehash && _vouched.TryGetValue(file.ContentPath!, out var vouched) && vouched.Status == file.Status!.Value)
            {
                digests[file.ContentPath!] = new Digest(vouched.Sha256, vouched.Status.Size, null);
            }
            else
            {
                toHash.Add(new HashJob(file.ContentPath!, file.RecordPath, file.Status!.Value.Size));
            }
        }

        var outcomes = await FileHasher.HashAllAsync(toHash, _engine, cancellationToken);
        // Only a measurement the hash cache would keep proves the content later, from the status alone.
        var trustedBefore = NativeFiles.ToUnixNs(started.UtcDateTime - HashCache.DefaultRacyMargin);
        for (var i = 0; i < toHash.Count; i++)
        {
            var status = outcomes[i].Status;
            var trusted = status.ModifiedNs < trustedBefore && status.ChangedNs < trustedBefore ? status : (FileStatus?)null;
            digests[toHash[i].Path] = new Digest(outcomes[i].Sha256, status.Size, trusted);
        }

        cache?.PutAll(toHash.Select((job, i) => new CacheEntry(job.Path, outcomes[i].Status, outcomes[i].Sha256)).ToList(), started);
        return digests;
    }

    /// <summary>
    /// Copies the files of the specs to keep into the object store, several at once (a copy mostly waits for the disk,
    /// and each object is flushed before it is renamed into place); returns the content paths now stored. A file is
    /// kept when its spec is not declared <c>store: false</c>, it lies inside the project (its record path is relative)
    /// and it is within the store's size limit.
    /// </summary>
    private HashSet<string> Store(IReadOnlyList<Resolution> resolutions, Dictionary<string, Digest> digests)
    {
        var stored = new HashSet<string>(StringComparer.Ordinal);
        if (_options.ObjectStore is not { } objects)
        {
            return stored;
        }

        var paths = resolutions.Where(r => r.Spec.Store).SelectMany(r => r.Files)
            .Where(f => !Path.IsPathRooted(f.RecordPath))
            .Select(f => f.ContentPath).OfType<string>().Distinct(StringComparer.Ordinal)
            .Where(path => digests[path].Size <= objects.MaxFileBytes)
            .ToList();

        // One copy per digest: files with the same content are one object.
        var firstBySha = paths.GroupBy(path => digests[path].Sha256, StringComparer.Ordinal).Select(group => group.First()).ToList();
        var present = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        try
        {
            Parallel.ForEach(
                firstBySha,
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(4, System.Environment.ProcessorCount) },
                path =>
                {
                    var (sha256, _, trusted) = digests[path];
                    present[sha256] = objects.TryPut(path, sha256, trusted);
                });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // Report the store's own one-line error, as a sequential loop would.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
            throw;
        }

        stored.UnionWith(paths.Where(path => present.GetValueOrDefault(digests[path].Sha256)));
        return stored;
    }

    private static DataRecord ToRecord(Resolution resolution, Dictionary<string, Digest> digests, HashSet<string> stored)
    {
        var files = resolution.Files.Select(f =>
        {
            if (f.ContentPath is null)
            {
                return new FileRecord(f.RecordPath, 0, null) { LinkTarget = f.LinkTarget };
            }

            var (sha256, size, _) = digests[f.ContentPath];
            return new FileRecord(f.RecordPath, size, sha256)
            {
                LinkTarget = f.LinkTarget,
                Stored = resolution.Spec.Store && !Path.IsPathRooted(f.RecordPath) && stored.Contains(f.ContentPath),
            };
        }).ToList();

        var digest = resolution.Kind == DataKind.File && files[0].Sha256 is { } single ? single : DataDigest.Of(files);
        return new DataRecord(resolution.Spec.Spec, resolution.Kind, resolution.Spec.Origin, digest, files)
        {
            Store = resolution.Spec.Store ? null : false,
        };
    }

    /// <summary>A file's digest and size, and its status when the digest may be trusted from the status alone.</summary>
    private readonly record struct Digest(string Sha256, long Size, FileStatus? Trusted);
}
