using System.Collections.Concurrent;
using Repro.Core.Errors;
using Repro.Core.FileSystem;
using Repro.Core.Runs;
using Repro.Core.Store;

namespace Repro.Core.Pipelines;

/// <summary>
/// Manifests of the runs a pipeline's steps will most likely reuse, read ahead on another thread: for each step, the
/// run its last finished step record reused (or was, when it executed), which is the run the run cache named for the
/// step's key then. The run-cache lookup of a step then takes the manifest from here (<see cref="Load"/>) when the run
/// it names is one of them and the manifest file's status (size, times, inode, device) is still the one it had when
/// read; otherwise it reads the file, as it always did. A manifest is replaced only by an atomic rename, which changes
/// that status, so a manifest taken from here is the one on disk. Safe to use from several threads.
/// </summary>
internal sealed class ManifestPrefetch
{
    private readonly RunStore _store;
    private readonly ConcurrentDictionary<string, (FileStatus Status, RunManifest Manifest)> _manifests = new(StringComparer.Ordinal);
    private int _taken;

    /// <summary>Prefetches from <paramref name="store"/>; empty until <see cref="Candidates"/> and <see cref="Fill"/>.</summary>
    public ManifestPrefetch(RunStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>How many manifests the run-cache lookups took from here, for tests.</summary>
    public int Taken => Volatile.Read(ref _taken);

    /// <summary>
    /// The run each of <paramref name="steps"/> most likely reuses: from the newest pipeline record in which the step
    /// finished, the run it reused, or its own run. Steps never finished have none. Unreadable records are skipped.
    /// </summary>
    public IReadOnlyDictionary<string, string> Candidates(IReadOnlyCollection<string> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var wanted = steps.ToHashSet(StringComparer.Ordinal);
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        var pipelines = new PipelineStore(_store);
        IReadOnlyList<string> ids;
        try
        {
            ids = pipelines.List();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or StoreException)
        {
            return found;
        }

        foreach (var id in ids.Reverse())
        {
            PipelineRecord record;
            try
            {
                record = pipelines.Load(id);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or StoreException or InputException)
            {
                continue;
            }

            foreach (var step in record.Steps.Where(step => step.Status == RunStatus.Finished && step.RunId is not null && wanted.Contains(step.Name) && !found.ContainsKey(step.Name)))
            {
                found[step.Name] = step.ReusedFrom ?? step.RunId!;
            }

            if (found.Count == wanted.Count)
            {
                break;
            }
        }

        return found;
    }

    /// <summary>
    /// Reads the manifest of <paramref name="runId"/>, kept with its file's status, and returns it; a run that cannot be
    /// read is left to the lookup (null).
    /// </summary>
    public RunManifest? Fill(string runId)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        try
        {
            var path = _store.GetRunFolder(runId).Manifest;
            if (FileStatus.Of(path, followLinks: false) is not { } before)
            {
                return null;
            }

            var manifest = _store.Load(runId);
            // Kept only if the file did not change while it was read.
            if (FileStatus.Of(path, followLinks: false) == before)
            {
                _manifests[runId] = (before, manifest);
            }

            return manifest;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or StoreException or InputException or ArgumentException)
        {
            // The lookup reads it itself and says what is wrong.
            return null;
        }
    }

    /// <summary>The manifest of <paramref name="runId"/>: the one read ahead if its file is unchanged, else read now (<see cref="RunStore.Load"/>).</summary>
    /// <exception cref="InputException">There is no such run.</exception>
    /// <exception cref="StoreException">The manifest cannot be read or parsed.</exception>
    public RunManifest Load(string runId)
    {
        if (_manifests.TryGetValue(runId, out var entry) && FileStatus.Of(_store.GetRunFolder(runId).Manifest, followLinks: false) == entry.Status)
        {
            Interlocked.Increment(ref _taken);
            return entry.Manifest;
        }

        return _store.Load(runId);
    }
}
