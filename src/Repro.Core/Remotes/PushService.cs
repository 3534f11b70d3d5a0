using System.Collections.Concurrent;
using Repro.Core.Capture.Data;
using Repro.Core.Errors;
using Repro.Core.Runs;
using Repro.Core.Store;

namespace Repro.Core.Remotes;

/// <summary>
/// <c>repro push</c>: sends runs to a remote, with the objects they reference, sending only what the remote lacks.
/// </summary>
/// <remarks>
/// Objects go first, then each run's folder, and its <c>run.json</c> last: a run whose manifest is on the remote is
/// complete there. Every file is written whole or not at all, so an interrupted push leaves only whole files, and
/// running it again lists the remote once more and sends the rest. A file already on the remote with the same size is
/// not sent again (objects are named by their content; run files never change after the run).
/// </remarks>
public static class PushService
{
    /// <summary>Pushes <paramref name="runIds"/> (resolved ids in <paramref name="store"/>) to <paramref name="remote"/>.</summary>
    /// <exception cref="StoreException">The remote cannot be reached or written, or a local object is damaged.</exception>
    public static async Task<TransferResult> PushAsync(
        RunStore store,
        IRemoteStorage remote,
        IReadOnlyList<string> runIds,
        int parallelism,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(runIds);
        var objects = new ObjectStore(store.Root);
        var warnings = new List<string>();
        var manifests = new List<RunManifest>();
        var outcomes = new Dictionary<string, RunTransferOutcome>(StringComparer.Ordinal);
        foreach (var runId in runIds.Distinct(StringComparer.Ordinal))
        {
            var manifest = store.Load(runId);
            if (manifest.Status == RunStatus.Running)
            {
                warnings.Add($"run {runId} has not ended (RUNNING): not pushed");
                outcomes[runId] = RunTransferOutcome.SkippedRunning;
                continue;
            }

            manifests.Add(manifest);
        }

        var remoteObjects = ParseObjects(await remote.ListAsync(RemoteLayout.ObjectsPrefix, cancellationToken).ConfigureAwait(false));
        var remoteRunFiles = manifests.Count > 0
            ? await remote.ListAsync(RemoteLayout.RunsPrefix, cancellationToken).ConfigureAwait(false)
            : new Dictionary<string, long>();

        // What each run needs sent, objects first.
        var objectsToSend = new Dictionary<string, (long Size, string RunId)>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var alreadyThere = 0;
        var unavailable = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var manifest in manifests)
        {
            foreach (var reference in RunReferences.Of(manifest))
            {
                if (!seen.Add(reference.Sha256))
                {
                    continue;
                }

                var size = objects.SizeOf(reference.Sha256);
                if (size is null)
                {
                    if (reference.Stored)
                    {
                        warnings.Add($"run {manifest.RunId}: {reference.Path} was stored, but object {reference.Sha256} is not in the local store");
                        unavailable[manifest.RunId] = unavailable.GetValueOrDefault(manifest.RunId) + 1;
                    }

                    continue;
                }

                if (remoteObjects.TryGetValue(reference.Sha256, out var remoteSize) && remoteSize == size)
                {
                    alreadyThere++;
                    continue;
                }

                objectsToSend[reference.Sha256] = (size.Value, manifest.RunId);
            }
        }

        var runFiles = new List<(string Key, string Path, string RunId)>();
        var manifestFiles = new List<(string Key, string Path, string RunId)>();
        foreach (var manifest in manifests)
        {
            var directory = store.GetRunDirectory(manifest.RunId);
            foreach (var (relative, path, size) in RunFolderFiles(directory))
            {
                var key = RemoteLayout.RunFileKey(manifest.RunId, relative);
                if (remoteRunFiles.TryGetValue(key, out var remoteSize) && remoteSize == size)
                {
                    continue;
                }

                (relative == RunFolder.ManifestFileName ? manifestFiles : runFiles).Add((key, path, manifest.RunId));
            }
        }

        var sentPerRun = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var touched = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        long bytes = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(objectsToSend, options, async (entry, token) =>
        {
            await remote.PutFileAsync(RemoteLayout.ObjectKey(entry.Key), objects.ObjectPath(entry.Key), entry.Key, token).ConfigureAwait(false);
            Interlocked.Add(ref bytes, entry.Value.Size);
            sentPerRun.AddOrUpdate(entry.Value.RunId, 1, (_, count) => count + 1);
            touched[entry.Value.RunId] = true;
        }).ConfigureAwait(false);

        foreach (var batch in new[] { runFiles, manifestFiles })
        {
            await Parallel.ForEachAsync(batch, options, async (file, token) =>
            {
                await remote.PutFileAsync(file.Key, file.Path, sha256: null, token).ConfigureAwait(false);
                touched[file.RunId] = true;
            }).ConfigureAwait(false);
        }

        var runs = runIds.Distinct(StringComparer.Ordinal).Select(runId => new RunTransfer(
            runId,
            outcomes.TryGetValue(runId, out var skipped) ? skipped : touched.ContainsKey(runId) ? RunTransferOutcome.Pushed : RunTransferOutcome.UpToDate,
            sentPerRun.GetValueOrDefault(runId),
            unavailable.GetValueOrDefault(runId))).ToList();
        return new TransferResult(remote.Display, runs, objectsToSend.Count, bytes, alreadyThere, runFiles.Count + manifestFiles.Count, warnings);
    }

    /// <summary>The objects a remote holds, by digest, from a listing of <see cref="RemoteLayout.ObjectsPrefix"/>.</summary>
    internal static Dictionary<string, long> ParseObjects(IReadOnlyDictionary<string, long> listing)
    {
        var parsed = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, size) in listing)
        {
            if (RemoteLayout.TryParseObjectKey(key, out var sha256))
            {
                parsed[sha256] = size;
            }
        }

        return parsed;
    }

    /// <summary>
    /// The files of a run's folder that belong on a remote: everything but hidden files (temporary files) and the
    /// local-only pulled marker.
    /// </summary>
    private static IEnumerable<(string Relative, string Path, long Size)> RunFolderFiles(string directory)
    {
        var files = new DirectoryInfo(directory).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 });
        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(directory, file.FullName).Replace(Path.DirectorySeparatorChar, '/');
            if (file.LinkTarget is not null || !RemoteLayout.IsPlainRelativePath(relative) || relative == RunFolder.PulledMarkerFileName)
            {
                continue;
            }

            yield return (relative, file.FullName, file.Length);
        }
    }
}
