using System.Collections.Concurrent;
using Repro.Core.FileSystem;

namespace Repro.Core.Capture.Data;

/// <summary>
/// Digests of input files looked up in the hash cache ahead of need, each with the status it was looked up for: a
/// caller that knows which inputs it will fingerprint later (the steps of a pipeline, once planned) fills it on another
/// thread, and a <see cref="Fingerprinter"/> given it (<see cref="FingerprintOptions.Prefetched"/>) takes a file's
/// digest from it instead of asking the cache, when the file's status, measured then, is still exactly the one looked
/// up. That is the hash cache's own rule (a digest holds for as long as the size, times, inode and device are
/// unchanged), so the answer is the one the cache would have given at that moment; a file changed in between (its
/// status differs) is looked up, or read, again. Only digests the cache vouched for are kept: nothing is read here.
/// Safe to use from several threads.
/// <para>
/// A prefetch that keeps listings (<see cref="KeepsListings"/>) also keeps what each spec listed, the files and the
/// status of each, for a fingerprint to take whole instead of listing the spec again (<see cref="TakeListing"/>):
/// the inputs as they were when they were listed, not at the fingerprint's turn. That is for a caller that knows
/// nothing it does in between writes them (the steps of a pipeline before any of them starts a child), and that
/// stops the listings (<see cref="StopListings"/>) before anything that could: a listing is kept only if it was
/// finished before that, and only if the cache vouched for every file it lists (taking it reads nothing).
/// </para>
/// </summary>
public sealed class DigestPrefetch
{
    private readonly HashCache _cache;
    // Values of a class, not a (status, digest) tuple: the tuple carried a 48-byte status copied in and out on every store
    // and lookup, and a sampled profile put about 30 ms of the read-ahead's CPU (10,000 files) in this dictionary.
    private readonly ConcurrentDictionary<string, Looked> _digests = new(StringComparer.Ordinal);
    private readonly Lock _listingsLock = new();
    // By project directory, then spec: dictionaries over reference types, whose code ReadyToRun has (a tuple key's is
    // compiled by the JIT, on the pipeline's first step).
    private readonly Dictionary<string, Dictionary<DataSpec, Resolution>> _listings = new(StringComparer.Ordinal);
    private bool _listingsStopped;
    private int _taken;
    private int _listingsTaken;

    /// <summary>A prefetch over <paramref name="cache"/>, empty until <see cref="Fill"/>.</summary>
    public DigestPrefetch(HashCache cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        _cache = cache;
    }

    /// <summary>How many files' digests were found by <see cref="Fill"/>.</summary>
    public int Count => _digests.Count;

    /// <summary>How many digests a fingerprinter took from here rather than from the cache, for tests.</summary>
    public int Taken => Volatile.Read(ref _taken);

    /// <summary>
    /// Whether <see cref="Fill"/> keeps each spec's listing for a fingerprint to take instead of listing it again,
    /// until <see cref="StopListings"/>. False: a fingerprint lists every spec itself, at its turn.
    /// </summary>
    public bool KeepsListings { get; init; }

    /// <summary>How many listings a fingerprinter took from here rather than listing the spec itself, for tests.</summary>
    public int ListingsTaken => Volatile.Read(ref _listingsTaken);

    /// <summary>
    /// Lists the files of <paramref name="specs"/> as a fingerprint would, with their status, and keeps the digests the
    /// hash cache holds for them. A spec that matches nothing, or that a fingerprint would refuse, is left for the
    /// fingerprint to report.
    /// </summary>
    /// <returns>How many digests were found.</returns>
    public int Fill(string projectDirectory, IReadOnlyList<DataSpec> specs)
    {
        ArgumentException.ThrowIfNullOrEmpty(projectDirectory);
        ArgumentNullException.ThrowIfNull(specs);
        if (!Directory.Exists(projectDirectory))
        {
            return 0;
        }

        var resolver = new SpecResolver(projectDirectory);
        var files = new List<CacheKey>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var listings = KeepsListings ? new List<Resolution>(specs.Count) : null;
        foreach (var spec in specs)
        {
            Resolution resolution;
            try
            {
                resolution = resolver.Resolve(spec);
            }
            catch (Errors.InputException)
            {
                // The step's own fingerprint reports it, with its location, when its turn comes.
                continue;
            }

            if (resolution.MissingMessage is null)
            {
                listings?.Add(resolution);
            }

            foreach (var file in resolution.Files)
            {
                if (file.ContentPath is { } path && file.Status is { } status && !_digests.ContainsKey(path) && seen.Add(path))
                {
                    files.Add(new CacheKey(path, status));
                }
            }
        }

        var found = _cache.TryGetAll(files);
        var count = 0;
        for (var i = 0; i < files.Count; i++)
        {
            if (found[i] is { } sha256)
            {
                _digests[files[i].Path] = new Looked(files[i].Status, sha256);
                count++;
            }
        }

        if (listings is not null)
        {
            lock (_listingsLock)
            {
                // Stopped while the specs were being listed: what they list may already be out of date.
                if (!_listingsStopped)
                {
                    if (!_listings.TryGetValue(projectDirectory, out var bySpec))
                    {
                        bySpec = [];
                        _listings[projectDirectory] = bySpec;
                    }

                    foreach (var listing in listings)
                    {
                        if (AllVouchedFor(listing))
                        {
                            bySpec[listing.Spec] = listing;
                        }
                    }
                }
            }
        }

        return count;
    }

    // Whether the cache vouched for every file of the listing, as listed: a fingerprint that takes it then reads no file,
    // so nothing it records mixes a listed status with bytes read later.
    private bool AllVouchedFor(Resolution listing)
    {
        foreach (var file in listing.Files)
        {
            if (file.ContentPath is { } path && (file.Status is not { } status || !_digests.TryGetValue(path, out var entry) || entry.Status != status))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The listing <see cref="Fill"/> kept for <paramref name="spec"/> in <paramref name="projectDirectory"/> (the
    /// same strings), once: null if none was kept, it was taken already, or the listings were stopped.
    /// </summary>
    internal Resolution? TakeListing(string projectDirectory, DataSpec spec)
    {
        lock (_listingsLock)
        {
            if (!_listings.TryGetValue(projectDirectory, out var bySpec) || !bySpec.Remove(spec, out var listing))
            {
                return null;
            }

            _listingsTaken++;
            return listing;
        }
    }

    /// <summary>
    /// Drops every listing kept and keeps none from now on, including one whose specs are being listed now: call it
    /// before anything may write the inputs (a step's child starts). The digests stay, each taken only for the status
    /// it was looked up for.
    /// </summary>
    public void StopListings()
    {
        lock (_listingsLock)
        {
            _listingsStopped = true;
            _listings.Clear();
        }
    }

    /// <summary>The digest looked up for the file at <paramref name="absolutePath"/> if its status is still <paramref name="status"/>.</summary>
    internal bool TryTake(string absolutePath, FileStatus status, out string sha256)
    {
        if (_digests.TryGetValue(absolutePath, out var entry) && entry.Status == status)
        {
            Interlocked.Increment(ref _taken);
            sha256 = entry.Sha256;
            return true;
        }

        sha256 = string.Empty;
        return false;
    }

    // A digest the cache vouched for, with the status it was looked up for.
    private sealed record Looked(FileStatus Status, string Sha256);
}
