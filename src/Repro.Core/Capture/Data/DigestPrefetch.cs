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
/// </summary>
public sealed class DigestPrefetch
{
    private readonly HashCache _cache;
    private readonly ConcurrentDictionary<string, (FileStatus Status, string Sha256)> _digests = new(StringComparer.Ordinal);
    private int _taken;

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
                _digests[files[i].Path] = (files[i].Status, sha256);
                count++;
            }
        }

        return count;
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
}
