using Repro.Core.Diagnostics;
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
    private int _confirmed;
    private int _copied;
    private int _storeLookups;

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

    /// <summary>Files (outputs, and inputs just written) recorded from their expected digest, hashed and not copied, so far.</summary>
    internal int ConfirmedFromExpectation => Volatile.Read(ref _confirmed);

    /// <summary>Files (outputs, and inputs just written) copied into the object store to be hashed there, so far.</summary>
    internal int CopiedByContent => Volatile.Read(ref _copied);

    /// <summary>Objects looked for in (and, when missing, copied into) the object store after hashing, so far.</summary>
    internal int StoreLookups => Volatile.Read(ref _storeLookups);

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
        CancellationToken cancellationToken) =>
        (await FingerprintInputsStoringLaterAsync(projectDirectory, specs, cancellationToken).ConfigureAwait(false)).Store(null);

    /// <summary>
    /// Fingerprints inputs as <see cref="FingerprintInputsAsync"/> does, but leaves copying them into the object store
    /// to <see cref="PendingInputs.Store"/>, for a caller that may learn in between that some of the objects are there
    /// already (a reused pipeline step: the earlier run it reuses kept the same inputs) and so need not be looked for.
    /// Inputs just written are still copied as they are hashed (their one read).
    /// </summary>
    /// <exception cref="InputException">As <see cref="FingerprintInputsAsync"/>.</exception>
    public async Task<PendingInputs> FingerprintInputsStoringLaterAsync(
        string projectDirectory,
        IReadOnlyList<DataSpec> specs,
        CancellationToken cancellationToken)
    {
        var resolutions = ResolveInputs(projectDirectory, specs);
        var missing = resolutions.Where(r => r.MissingMessage is not null).Select(r => r.MissingMessage).ToList();
        if (missing.Count > 0)
        {
            throw new InputException(MessageList.Join(missing!, separator: "; "));
        }

        // An input written moments ago (inside the hash cache's racy margin) would be read twice: hashed, and then its
        // store copy read back, since its status cannot prove the copy has the bytes hashed. It goes the outputs' way
        // instead: copied by the kernel (a clone where the file system can), and the copy hashed, once. Older inputs
        // are hashed (or vouched for by the cache) and then copied on the strength of their status, without a read.
        var copyIn = _options.ObjectStore is { } objects
            ? JustWritten(Storable(resolutions), DateTimeOffset.UtcNow)
                .Where(f => f.Status!.Value.Size <= objects.MaxFileBytes).Select(f => f.ContentPath!).ToHashSet(StringComparer.Ordinal)
            : null;
        var digests = await HashAsync(resolutions, copyIn is { Count: > 0 } ? copyIn : null, DataSide.Inputs, cancellationToken);
        return new PendingInputs(
            () => resolutions.Select(r => ToRecord(r, digests, [])).ToList(),
            (unstored, knownStored) =>
            {
                var stored = Store(resolutions, digests, knownStored);
                var records = new List<DataRecord>(resolutions.Count);
                for (var index = 0; index < resolutions.Count; index++)
                {
                    // Whether a file is kept changes no digest: a record made already lends its own.
                    records.Add(ToRecord(resolutions[index], digests, stored, unstored?[index].Digest));
                }

                return records;
            });
    }

    /// <summary>
    /// Fingerprints declared outputs, one record per existing output in the order given, and copies their files
    /// into the object store when one is configured. Missing outputs are returned, not thrown: the caller decides
    /// the run's status.
    /// </summary>
    /// <remarks>
    /// An output to keep whose digest the cache does not know (one just written) is read once: it is copied into the
    /// store by the kernel, the copy is hashed, and that digest is both its fingerprint and its object's name (see
    /// <see cref="ObjectStore.PutContent"/>). Outputs not kept (<c>store: false</c>, over the size limit, no store)
    /// are hashed only.
    /// </remarks>
    /// <exception cref="InputException">An entry escapes the project, a special file is met, or a file cannot be read.</exception>
    public async Task<OutputFingerprints> FingerprintOutputsAsync(
        string projectDirectory,
        IReadOnlyList<DataSpec> specs,
        CancellationToken cancellationToken)
    {
        var resolutions = Resolve(projectDirectory, specs);
        var found = resolutions.Where(r => r.MissingMessage is null).ToList();
        var copyIn = _options.ObjectStore is { } objects
            ? Storable(found).Where(f => f.Status!.Value.Size <= objects.MaxFileBytes).Select(f => f.ContentPath!).ToHashSet(StringComparer.Ordinal)
            : null;
        var digests = await HashAsync(found, copyIn, DataSide.Outputs, cancellationToken);
        var stored = Store(found, digests);
        return new OutputFingerprints(
            found.Select(r => ToRecord(r, digests, stored)).ToList(),
            resolutions.Where(r => r.MissingMessage is not null).Select(r => new MissingData(r.Spec, r.MissingMessage!)).ToList());
    }

    private static IEnumerable<ResolvedFile> JustWritten(IEnumerable<ResolvedFile> files, DateTimeOffset now)
    {
        var trustedBefore = TrustedBefore(now);
        return files.Where(f => f.Status is { } status && !IsTrustworthy(status, trustedBefore));
    }

    // A status proves content only when its times were already outside the hash cache's racy margin when hashing began.
    private static long TrustedBefore(DateTimeOffset started) => NativeFiles.ToUnixNs(started.UtcDateTime - HashCache.DefaultRacyMargin);

    private static bool IsTrustworthy(FileStatus status, long trustedBefore) => status.ModifiedNs < trustedBefore && status.ChangedNs < trustedBefore;

    // Each input spec's listing: the one a prefetch that keeps listings holds for it (DigestPrefetch.TakeListing), or
    // the spec listed now.
    private List<Resolution> ResolveInputs(string projectDirectory, IReadOnlyList<DataSpec> specs)
    {
        if (_options.Rehash || _options.Prefetched is not { KeepsListings: true } prefetched)
        {
            return Resolve(projectDirectory, specs);
        }

        SpecResolver? resolver = null;
        var resolutions = new List<Resolution>(specs.Count);
        foreach (var spec in specs)
        {
            resolutions.Add(prefetched.TakeListing(projectDirectory, spec) ?? (resolver ??= new SpecResolver(projectDirectory)).Resolve(spec));
        }

        return resolutions;
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
    /// read otherwise. Files in <paramref name="copyIn"/> that must be read are copied into the object store and
    /// their copies hashed instead (one read each, not a hash and then a copy read back).
    /// </summary>
    private async Task<Dictionary<string, Digest>> HashAsync(
        IReadOnlyList<Resolution> resolutions,
        IReadOnlySet<string>? copyIn,
        DataSide kind,
        CancellationToken cancellationToken)
    {
        // A file reached through several specs or links is read once: the first file listed for a content path stands
        // for it. One pass, without LINQ: a reused pipeline step passes each of its inputs through here.
        var started = DateTimeOffset.UtcNow;
        // Sized for every file up front: growing a table to a step's 500 inputs resized and rehashed it seven times.
        var files = 0;
        foreach (var resolution in resolutions)
        {
            files += resolution.Files.Count;
        }

        var digests = new Dictionary<string, Digest>(files, StringComparer.Ordinal);
        var listed = new List<ResolvedFile>();
        var listedPaths = new HashSet<string>(StringComparer.Ordinal);
        // Looked up in the cache ahead, on another thread, for the status each file still has.
        var prefetched = kind == DataSide.Inputs && !_options.Rehash ? _options.Prefetched : null;
        foreach (var resolution in resolutions)
        {
            foreach (var file in resolution.Files)
            {
                if (file.ContentPath is not { } path || digests.ContainsKey(path) || listedPaths.Contains(path))
                {
                    continue;
                }

                if (prefetched is not null && prefetched.TryTake(path, file.Status!.Value, out var sha256))
                {
                    digests[path] = new Digest(sha256, file.Status.Value.Size, file.Status);
                }
                else
                {
                    listedPaths.Add(path);
                    listed.Add(file);
                }
            }
        }

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
        var toCopy = new List<HashJob>();
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
            else if (copyIn is not null && copyIn.Contains(file.ContentPath!))
            {
                toCopy.Add(new HashJob(file.ContentPath!, file.RecordPath, file.Status!.Value.Size));
            }
            else
            {
                toHash.Add(new HashJob(file.ContentPath!, file.RecordPath, file.Status!.Value.Size));
            }
        }

        var cacheEntries = new List<CacheEntry>();
        if (toCopy.Count > 0)
        {
            toCopy = await ConfirmExpectedAsync(toCopy, digests, cacheEntries, kind, cancellationToken);
        }

        ContentPut[] copied;
        using (toCopy.Count > 0 ? Timings.Measure(kind == DataSide.Inputs ? "inputs: copy into the store" : "outputs: copy into the store") : default)
        {
            copied = await CopyInAsync(toCopy, cancellationToken);
        }

        for (var i = 0; i < toCopy.Count; i++)
        {
            if (copied[i] is { Sha256: { } sha256 } put)
            {
                // Already in the store: nothing left to prove from the status.
                digests[toCopy[i].Path] = new Digest(sha256, put.Size, null);
                cacheEntries.Add(new CacheEntry(toCopy[i].Path, put.Status, sha256));
            }
            else
            {
                // It grew past the size limit since it was listed: fingerprinted only.
                toHash.Add(toCopy[i]);
            }
        }

        var outcomes = await FileHasher.HashAllAsync(toHash, _engine, cancellationToken);
        // Only a measurement the hash cache would keep proves the content later, from the status alone.
        var trustedBefore = TrustedBefore(started);
        for (var i = 0; i < toHash.Count; i++)
        {
            var status = outcomes[i].Status;
            var trusted = IsTrustworthy(status, trustedBefore) ? status : (FileStatus?)null;
            digests[toHash[i].Path] = new Digest(outcomes[i].Sha256, status.Size, trusted);
        }

        cacheEntries.AddRange(toHash.Select((job, i) => new CacheEntry(job.Path, outcomes[i].Status, outcomes[i].Sha256)));
        cache?.PutAll(cacheEntries, started);
        if (copyIn is not null && _options.ExpectedOutputs is null)
        {
            // Next run's guesses: the outputs just measured, fresh or not (not a verify's, whose checkout is thrown away).
            cache?.RememberAll(cacheEntries.Where(entry => copyIn.Contains(entry.Path)).ToList());
        }

        return digests;
    }

    /// <summary>
    /// The outputs to keep whose expected digest (<see cref="FingerprintOptions.ExpectedOutputs"/>, else the hash
    /// cache's last digest at the path) names an object the store holds with the file's size are hashed, with no
    /// copy: a match is their digest (the object is already there), and only the others are returned, to be copied
    /// into the store and hashed there. A deterministic re-run (a verify above all) so reads its outputs once and
    /// writes nothing; a wrong guess costs one more read.
    /// </summary>
    private async Task<List<HashJob>> ConfirmExpectedAsync(
        List<HashJob> jobs,
        Dictionary<string, Digest> digests,
        List<CacheEntry> cacheEntries,
        DataSide kind,
        CancellationToken cancellationToken)
    {
        var objects = _options.ObjectStore!;
        // A verify's recorded digests are its outputs'; inputs are guessed from the cache alone.
        var recorded = kind == DataSide.Outputs ? _options.ExpectedOutputs : null;
        var guesses = recorded is null && _options.Cache is { } cache
            ? cache.TryGuessAll(jobs.Select(job => job.Path).ToList())
            : null;
        var toCheck = new List<(HashJob Job, string Expected)>();
        var rest = new List<HashJob>();
        for (var i = 0; i < jobs.Count; i++)
        {
            var job = jobs[i];
            var expected = recorded is { } known
                ? known.GetValueOrDefault(job.DisplayPath)
                : guesses?[i];
            if (ObjectStore.IsSha256(expected) && objects.SizeOf(expected!) == job.ExpectedSize)
            {
                toCheck.Add((job, expected!));
            }
            else
            {
                rest.Add(job);
            }
        }

        if (toCheck.Count == 0)
        {
            return rest;
        }

        using var timing = Timings.Measure(kind == DataSide.Inputs ? "inputs: check expected digests" : "outputs: check expected digests");
        var outcomes = await FileHasher.HashAllAsync(toCheck.Select(check => check.Job).ToList(), _engine, cancellationToken);
        for (var i = 0; i < toCheck.Count; i++)
        {
            var (job, expected) = toCheck[i];
            if (outcomes[i].Sha256 == expected)
            {
                // The object with these bytes is stored already: nothing to copy, and nothing left to prove from the status.
                digests[job.Path] = new Digest(expected, outcomes[i].Status.Size, null);
                cacheEntries.Add(new CacheEntry(job.Path, outcomes[i].Status, expected));
                Interlocked.Increment(ref _confirmed);
            }
            else
            {
                rest.Add(job);
            }
        }

        return rest;
    }

    /// <summary>
    /// Copies each file into the object store and hashes the copy (<see cref="ObjectStore.PutContent"/>), several at
    /// once, largest first: a copy alternates between hashing and waiting for the disk. A file that changes during
    /// its copy is copied again, as a file that changes while it is hashed is hashed again. Results are in job order;
    /// one without a digest grew past the store's size limit.
    /// </summary>
    /// <exception cref="InputException">A file cannot be read, or kept changing.</exception>
    private async Task<ContentPut[]> CopyInAsync(List<HashJob> jobs, CancellationToken cancellationToken)
    {
        var results = new ContentPut[jobs.Count];
        if (jobs.Count == 0)
        {
            return results;
        }

        var objects = _options.ObjectStore!;
        var counter = new FileHasher.ProgressCounter(jobs.Sum(j => j.ExpectedSize), jobs.Count);
        await using (var reporter = FileHasher.ProgressReporter.Start(counter, _engine))
        {
            var order = Enumerable.Range(0, jobs.Count).OrderByDescending(i => jobs[i].ExpectedSize).ToArray();
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(4, System.Environment.ProcessorCount) };
            try
            {
                // On a thread of its own: the copies block their threads on the disk and must not wait for the pool.
                await Task.Factory.StartNew(
                    () => Parallel.ForEach(order, parallel, (index, state) =>
                    {
                        if (!state.ShouldExitCurrentIteration)
                        {
                            results[index] = CopyIn(objects, jobs[index], counter, cancellationToken);
                        }
                    }),
                    CancellationToken.None,
                    TaskCreationOptions.LongRunning,
                    TaskScheduler.Default).ConfigureAwait(false);
            }
            catch (AggregateException e) when (e.InnerExceptions.Count > 0)
            {
                // Report the first real failure as a sequential loop would; cancellation only when that is all there is.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(
                    e.InnerExceptions.FirstOrDefault(inner => inner is not OperationCanceledException) ?? e.InnerExceptions[0]);
                throw;
            }

            reporter?.Complete();
        }

        return results;
    }

    private ContentPut CopyIn(ObjectStore objects, HashJob job, FileHasher.ProgressCounter counter, CancellationToken cancellationToken)
    {
        const int Attempts = 3;
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long hashed = 0;
            ContentPut put;
            using (var handle = Open(job))
            {
                put = objects.PutContent(handle, job.DisplayPath, bytes => { hashed += bytes; counter.Add(bytes); }, cancellationToken);
            }

            Interlocked.Increment(ref _copied);

            if (put.Outcome != PutOutcome.Changed)
            {
                counter.FileDone(job.ExpectedSize - put.Size);
                return put;
            }

            counter.Retract(hashed);
        }

        throw new InputException($"{job.DisplayPath} kept changing while it was being hashed; stop whatever writes to it and run again");
    }

    private Microsoft.Win32.SafeHandles.SafeFileHandle Open(HashJob job) => _engine.OpenJob(job);

    /// <summary>
    /// The files of the specs to keep in the object store: the spec is not declared <c>store: false</c> and the file
    /// has content and lies inside the project (its record path is relative).
    /// </summary>
    private static IEnumerable<ResolvedFile> Storable(IReadOnlyList<Resolution> resolutions) =>
        resolutions.Where(r => r.Spec.Store).SelectMany(r => r.Files)
            .Where(f => f.ContentPath is not null && !Path.IsPathRooted(f.RecordPath));

    /// <summary>
    /// Copies the files of the specs to keep into the object store, several at once (a copy mostly waits for the disk,
    /// and each object is flushed before it is renamed into place); returns the content paths now stored. A file is
    /// kept when its spec is not declared <c>store: false</c>, it lies inside the project (its record path is relative)
    /// and it is within the store's size limit.
    /// </summary>
    private HashSet<string> Store(IReadOnlyList<Resolution> resolutions, Dictionary<string, Digest> digests, IReadOnlySet<string>? knownStored = null)
    {
        var stored = new HashSet<string>(StringComparer.Ordinal);
        if (_options.ObjectStore is not { } objects)
        {
            return stored;
        }

        // Loops rather than LINQ's Distinct and GroupBy: a reused pipeline step passes every input file through here.
        // A file whose object the caller knows is stored is kept at once; the others are looked for, one per digest
        // (files with the same content are one object).
        var pending = new List<string>();
        foreach (var resolution in resolutions)
        {
            if (!resolution.Spec.Store)
            {
                continue;
            }

            foreach (var file in resolution.Files)
            {
                if (file.ContentPath is not { } path || Path.IsPathRooted(file.RecordPath))
                {
                    continue;
                }

                var digest = digests[path];
                if (digest.Size > objects.MaxFileBytes)
                {
                    continue;
                }

                if (knownStored is not null && knownStored.Contains(digest.Sha256))
                {
                    stored.Add(path);
                }
                else
                {
                    pending.Add(path);
                }
            }
        }

        var present = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var firstBySha = new List<string>();
        var seenDigests = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in pending)
        {
            if (seenDigests.Add(digests[path].Sha256))
            {
                firstBySha.Add(path);
            }
        }

        Interlocked.Add(ref _storeLookups, firstBySha.Count);
        if (firstBySha.Count > 0)
        {
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
        }

        foreach (var path in pending)
        {
            if (present.GetValueOrDefault(digests[path].Sha256))
            {
                stored.Add(path);
            }
        }

        return stored;
    }

    private static DataRecord ToRecord(Resolution resolution, Dictionary<string, Digest> digests, HashSet<string> stored, string? knownDigest = null)
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

        var digest = knownDigest ?? (resolution.Kind == DataKind.File && files[0].Sha256 is { } single ? single : DataDigest.Of(files));
        return new DataRecord(resolution.Spec.Spec, resolution.Kind, resolution.Spec.Origin, digest, files)
        {
            Store = resolution.Spec.Store ? null : false,
        };
    }

    /// <summary>A file's digest and size, and its status when the digest may be trusted from the status alone.</summary>
    private readonly record struct Digest(string Sha256, long Size, FileStatus? Trusted);

    // Which side of the run a fingerprint is for.
    private enum DataSide
    {
        Inputs,
        Outputs,
    }
}
