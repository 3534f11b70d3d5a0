using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Repro.Core.Capture.Data;
using Repro.Core.Errors;
using Repro.Core.Runs;
using Repro.Core.Store;

namespace Repro.Core.Remotes;

/// <summary>
/// <c>repro pull</c>: brings runs from a remote (so <c>repro list</c> shows them, marked as pulled) with the objects
/// they reference, and fetches single objects for <c>repro checkout</c>.
/// </summary>
/// <remarks>
/// Whatever is downloaded is checked before it enters the store: an object must hash to its name, a run's logs and
/// patch to the digests its manifest records, and the manifest must parse and carry the id of its folder. A run's
/// folder is assembled under a temporary name and renamed into place after its objects are in, so a run appears whole
/// or not at all; a run already in the local store is never overwritten.
/// </remarks>
public static class PullService
{
    /// <summary>
    /// Pulls the runs named by <paramref name="references"/> (ids, unique prefixes or <c>latest</c>), or every run of the remote with
    /// <paramref name="all"/>.
    /// </summary>
    /// <exception cref="InputException">A reference names no run, or several, on the remote.</exception>
    /// <exception cref="StoreException">The remote cannot be reached, or something downloaded is not what it should be.</exception>
    public static async Task<TransferResult> PullAsync(
        RunStore store,
        IRemoteStorage remote,
        IReadOnlyList<string> references,
        bool all,
        RemoteDefinition definition,
        int parallelism,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(references);
        ArgumentNullException.ThrowIfNull(definition);
        var listing = await remote.ListAsync(RemoteLayout.RunsPrefix, cancellationToken).ConfigureAwait(false);
        var remoteRuns = GroupRuns(listing);
        var selected = all ? remoteRuns.Keys.Order(StringComparer.Ordinal).ToList() : Resolve(references, remoteRuns.Keys, remote.Display);

        // Manifests first: they say which objects to fetch.
        var manifests = new Dictionary<string, (RunManifest Manifest, byte[]? Bytes)>(StringComparer.Ordinal);
        foreach (var runId in selected)
        {
            if (File.Exists(Path.Combine(store.GetRunDirectory(runId), RunFolder.ManifestFileName)))
            {
                manifests[runId] = (store.Load(runId), null);
                continue;
            }

            var bytes = await DownloadBytesAsync(remote, RemoteLayout.RunFileKey(runId, RunFolder.ManifestFileName), cancellationToken).ConfigureAwait(false);
            var manifest = ManifestSerializer.Deserialize(bytes, $"{remote.Display}: {RemoteLayout.RunFileKey(runId, RunFolder.ManifestFileName)}");
            if (manifest.RunId != runId)
            {
                throw new StoreException($"{remote.Display}: {RemoteLayout.RunFileKey(runId, RunFolder.ManifestFileName)} is the manifest of run {manifest.RunId}, not {runId}: nothing was pulled");
            }

            manifests[runId] = (manifest, bytes);
        }

        var objects = new ObjectStore(store.Root);
        var warnings = new List<string>();
        var wanted = new Dictionary<string, string>(StringComparer.Ordinal);
        var unavailable = new Dictionary<string, int>(StringComparer.Ordinal);
        var alreadyHere = 0;
        var remoteObjects = new Dictionary<string, long>(StringComparer.Ordinal);
        var needed = selected.SelectMany(id => RunReferences.Of(manifests[id].Manifest).Select(reference => (RunId: id, Reference: reference))).ToList();
        if (needed.Any(n => !objects.Contains(n.Reference.Sha256)))
        {
            remoteObjects = PushService.ParseObjects(await remote.ListAsync(RemoteLayout.ObjectsPrefix, cancellationToken).ConfigureAwait(false));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (runId, reference) in needed)
        {
            if (!seen.Add(reference.Sha256))
            {
                continue;
            }

            if (objects.Contains(reference.Sha256))
            {
                alreadyHere++;
            }
            else if (remoteObjects.ContainsKey(reference.Sha256))
            {
                wanted[reference.Sha256] = runId;
            }
            else if (reference.Stored)
            {
                warnings.Add($"run {runId}: {reference.Path} was stored, but object {reference.Sha256} is on neither the local store nor {remote.Display}");
                unavailable[runId] = unavailable.GetValueOrDefault(runId) + 1;
            }
        }

        var fetchedPerRun = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        long bytesFetched = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(wanted, options, async (entry, token) =>
        {
            var size = remoteObjects[entry.Key];
            await ReceiveAsync(objects, remote, entry.Key, size, token).ConfigureAwait(false);
            Interlocked.Add(ref bytesFetched, size);
            fetchedPerRun.AddOrUpdate(entry.Value, 1, (_, count) => count + 1);
        }).ConfigureAwait(false);

        var filesFetched = 0;
        var pulled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var runId in selected.Where(id => manifests[id].Bytes is not null))
        {
            filesFetched += await MaterialiseRunAsync(store, remote, runId, manifests[runId].Manifest, manifests[runId].Bytes!, remoteRuns[runId], definition, cancellationToken).ConfigureAwait(false);
            pulled.Add(runId);
        }

        if (pulled.Count > 0)
        {
            using var index = RunIndex.Open(store);
            index.Synchronize();
        }

        var runs = selected.Select(runId => new RunTransfer(
            runId,
            pulled.Contains(runId) || fetchedPerRun.ContainsKey(runId) ? RunTransferOutcome.Pulled : RunTransferOutcome.UpToDate,
            fetchedPerRun.GetValueOrDefault(runId),
            unavailable.GetValueOrDefault(runId))).ToList();
        return new TransferResult(remote.Display, runs, wanted.Count, bytesFetched, alreadyHere, filesFetched, warnings);
    }

    /// <summary>
    /// Fetches objects the local store lacks from <paramref name="remote"/>, each checked against its name before it
    /// enters the store. Returns the digests the remote does not have either.
    /// </summary>
    /// <exception cref="StoreException">The remote cannot be reached, or a download is damaged.</exception>
    public static async Task<IReadOnlyList<string>> FetchObjectsAsync(
        ObjectStore objects,
        IRemoteStorage remote,
        IReadOnlyCollection<string> sha256s,
        int parallelism,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objects);
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(sha256s);
        var missing = new ConcurrentBag<string>();
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(sha256s.Distinct(StringComparer.Ordinal).Where(sha => !objects.Contains(sha)), options, async (sha256, token) =>
        {
            var size = await remote.SizeOfAsync(RemoteLayout.ObjectKey(sha256), token).ConfigureAwait(false);
            if (size is null)
            {
                missing.Add(sha256);
                return;
            }

            await ReceiveAsync(objects, remote, sha256, size.Value, token).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return missing.Order(StringComparer.Ordinal).ToList();
    }

    private static Task ReceiveAsync(ObjectStore objects, IRemoteStorage remote, string sha256, long size, CancellationToken cancellationToken)
    {
        var key = RemoteLayout.ObjectKey(sha256);
        return remote.LocalPathOf(key) is { } path
            ? Task.Run(() => objects.ReceiveFile(sha256, size, path, remote.Display), cancellationToken)
            : objects.ReceiveAsync(sha256, size, remote.Display, (stream, token) => remote.GetAsync(key, stream, token), cancellationToken);
    }

    /// <summary>Run ids on the remote that have a manifest, each with its folder's files (relative path to size).</summary>
    private static Dictionary<string, Dictionary<string, long>> GroupRuns(IReadOnlyDictionary<string, long> listing)
    {
        var runs = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        foreach (var (key, size) in listing)
        {
            if (!RemoteLayout.TryParseRunFileKey(key, out var runId, out var relative) || relative == RunFolder.PulledMarkerFileName)
            {
                continue;
            }

            if (!runs.TryGetValue(runId, out var files))
            {
                runs[runId] = files = new Dictionary<string, long>(StringComparer.Ordinal);
            }

            files[relative] = size;
        }

        foreach (var incomplete in runs.Where(run => !run.Value.ContainsKey(RunFolder.ManifestFileName)).Select(run => run.Key).ToList())
        {
            // No manifest yet: a push of this run was interrupted, or is under way.
            runs.Remove(incomplete);
        }

        return runs;
    }

    private static List<string> Resolve(IReadOnlyList<string> references, IEnumerable<string> remoteIds, string remote)
    {
        if (references.Count == 0)
        {
            throw new InputException("name the runs to pull (ids, unique prefixes or 'latest'), or pass --all");
        }

        var ids = remoteIds.Order(StringComparer.Ordinal).ToList();
        var selected = new List<string>();
        foreach (var reference in references)
        {
            var text = reference.Trim();
            string runId;
            if (text == "latest")
            {
                runId = ids.Count > 0 ? ids[^1] : throw new InputException($"{remote} holds no runs");
            }
            else if (!RunId.IsReferenceText(text))
            {
                throw new InputException($"'{reference}' does not name a run: give a run id, a unique prefix of one, or 'latest'");
            }
            else
            {
                var matches = ids.Where(id => id.StartsWith(text, StringComparison.Ordinal)).ToList();
                runId = matches.Count switch
                {
                    1 => matches[0],
                    0 => throw new InputException($"no run matches '{reference}' on {remote}"),
                    _ => throw new InputException($"'{reference}' matches {matches.Count} runs on {remote}: give more characters"),
                };
            }

            if (!selected.Contains(runId, StringComparer.Ordinal))
            {
                selected.Add(runId);
            }
        }

        return selected;
    }

    private static async Task<byte[]> DownloadBytesAsync(IRemoteStorage remote, string key, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await remote.GetAsync(key, buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    /// <summary>Downloads a run's folder under a temporary name, checks it, marks it pulled and renames it into place.</summary>
    /// <returns>How many files were downloaded (the manifest included).</returns>
    private static async Task<int> MaterialiseRunAsync(
        RunStore store,
        IRemoteStorage remote,
        string runId,
        RunManifest manifest,
        byte[] manifestBytes,
        IReadOnlyDictionary<string, long> files,
        RemoteDefinition definition,
        CancellationToken cancellationToken)
    {
        var recorded = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in new[] { manifest.Execution?.Stdout, manifest.Execution?.Stderr, manifest.Git.Patch })
        {
            if (file is not null)
            {
                recorded[file.File] = file.Sha256;
            }
        }

        var target = store.GetRunDirectory(runId);
        var temporary = Path.Combine(store.RunsDirectory, $".pull-{runId}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(temporary);
            var count = 1;
            foreach (var relative in files.Keys.Where(file => file != RunFolder.ManifestFileName).Order(StringComparer.Ordinal))
            {
                var path = Path.Combine(temporary, relative.Replace('/', Path.DirectorySeparatorChar));
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                string actual;
                await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
                await using (var hashing = new HashingWriteStream(file))
                {
                    await remote.GetAsync(RemoteLayout.RunFileKey(runId, relative), hashing, cancellationToken).ConfigureAwait(false);
                    (actual, _) = hashing.Finish();
                }

                if (recorded.TryGetValue(relative, out var expected) && expected != actual)
                {
                    throw new StoreException($"{remote.Display}: {RemoteLayout.RunFileKey(runId, relative)} is damaged: it hashes to {actual}, the manifest records {expected}; run {runId} was not pulled");
                }

                count++;
            }

            await File.WriteAllBytesAsync(Path.Combine(temporary, RunFolder.PulledMarkerFileName), PulledMarker(definition), cancellationToken).ConfigureAwait(false);
            await File.WriteAllBytesAsync(Path.Combine(temporary, RunFolder.ManifestFileName), manifestBytes, cancellationToken).ConfigureAwait(false);
            if (Directory.Exists(target))
            {
                // Pulled by another process meanwhile, or a local folder without a manifest: leave what is there alone.
                Directory.Delete(temporary, recursive: true);
                return 0;
            }

            Directory.Move(temporary, target);
            return count;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDeleteDirectory(temporary);
            throw new StoreException($"cannot write run {runId} into {store.RunsDirectory}: {e.Message}", e);
        }
        catch
        {
            TryDeleteDirectory(temporary);
            throw;
        }
    }

    /// <summary>Where a pulled run came from: the remote's name and URL (which never carries a credential) and when.</summary>
    private static byte[] PulledMarker(RemoteDefinition definition)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("remote", definition.Name);
            writer.WriteString("url", definition.Location.Url);
            writer.WriteString("pulledAt", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The failure being reported matters more; a hidden folder is never read as a run.
        }
    }
}
