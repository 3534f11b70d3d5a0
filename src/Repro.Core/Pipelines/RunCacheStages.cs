using System.Security.Cryptography;
using System.Text;
using Repro.Core.Capture.Data;
using Repro.Core.Capture.Environment;
using Repro.Core.Capture.Git;
using Repro.Core.Diagnostics;
using Repro.Core.Execution;
using Repro.Core.FileSystem;
using Repro.Core.Runs;
using Repro.Core.Store;

namespace Repro.Core.Pipelines;

/// <summary>What the run-cache stages of one pipeline step learn and hand on.</summary>
internal sealed class StepCache
{
    /// <summary>Whether the step must execute whatever the cache holds (--force, --force-step).</summary>
    public bool Force { get; init; }

    /// <summary>The step's key, once captured.</summary>
    public RunCacheKey? Key { get; set; }

    /// <summary>The earlier run being reused, if any.</summary>
    public RunManifest? Reused { get; set; }

    /// <summary>Why the step executes or is reused.</summary>
    public string Reason { get; set; } = string.Empty;

    /// <summary>The code and environment captures the pipeline's steps share; each step captures its own when null.</summary>
    public PipelineCaptures? Captures { get; init; }

    /// <summary>Writes the pipeline's record and the reused runs' index rows; null outside <c>repro pipeline</c>.</summary>
    public PipelineRecorder? Recorder { get; init; }

    /// <summary>The MLproject loads the pipeline's steps share; each step loads its own when null.</summary>
    public ProjectLoads? Projects { get; init; }

    /// <summary>
    /// A reused step's files, written without a flush each (its manifest and <c>params.json</c> staged, its restored
    /// outputs in place): handed to <see cref="Recorder"/>, which makes them durable with the other reused steps'.
    /// </summary>
    public DurableWrites Writes { get; } = new();

    // Whether the step's run started (a manifest is or will be staged), and whether its files went to the recorder.
    private bool _started;
    private bool _handedOver;

    // The step's inputs, fingerprinted by the capture stage and copied into the object store by the lookup stage, once
    // it knows whether an earlier run kept them already. The lookup runs before the start, and a run that fails before
    // its start records nothing, so no manifest ever names inputs not yet copied.
    private PendingInputs? _pendingInputs;

    // How many inputs the pipeline's steps had taken as listed ahead when this step's capture began: more at its lookup
    // means this step took some (PipelineCaptures.PrefetchedListingsTaken).
    private int _listingsTakenBefore;

    /// <summary>The stages of a pipeline step: <see cref="RunStages.Default"/> with the run cache's stages in their places.</summary>
    public IReadOnlyList<IRunStage> Stages()
    {
        var stages = new List<IRunStage>();
        foreach (var stage in RunStages.Default)
        {
            if (stage is StartStage)
            {
                stages.Add(new LookupStage(this));
            }

            if (stage is RecordStage)
            {
                stages.Add(new ReusedWarningsStage(this));
            }

            stages.Add(stage switch
            {
                // params.json waits for the lookup: durable at once for a child to read, or staged with the step's record.
                PrepareRunFilesStage when Recorder is not null => new PrepareRunFilesStage(writesParameters: false),
                CaptureStage when Captures is { } captures => new CaptureStage(new StepCaptureSource(captures, this)),
                CreateRunFolderStage when Captures is { } captures => new CreateRunFolderStage(captures.Fingerprinter),
                PreparePythonHookStage when Captures is { } captures => new PreparePythonHookStage(captures.PythonHook),
                ResolveProjectStage when Projects is { } projects => new ResolveProjectStage(projects.Load),
                _ => stage,
            });
            if (stage is StartStage)
            {
                stages.Add(new MarkStage(this));
            }
        }

        stages.Add(new RememberStage(this));
        return stages;
    }

    /// <summary>
    /// After the step's run returned or threw: files of a run that started and were not handed to the recorder yet (repro
    /// failed while recording a reused step) go to it now, to be committed with the record of how the pipeline ended;
    /// those of a run that never started are deleted (its folder went with it).
    /// </summary>
    public void Settle()
    {
        if (_handedOver)
        {
            return;
        }

        if (_started && Recorder is { } recorder)
        {
            recorder.Defer(Writes, null, null);
        }
        else
        {
            Writes.Discard();
        }

        _handedOver = true;
    }

    // The step's files, with its run (to index) and its folder's lock, to the recorder.
    private void HandOver(RunContext run)
    {
        if (Recorder is not { } recorder || _handedOver)
        {
            return;
        }

        var folderLock = run.FolderLock;
        run.FolderLock = null;
        recorder.Defer(Writes, !run.Store.WritesIndex && recorder.DefersIndex ? run.Manifest : null, folderLock);
        _handedOver = true;
    }

    /// <summary>The digest of an entry's <c>code</c> paths: their fingerprints' sorted <c>spec NUL digest LF</c> lines.</summary>
    public static async Task<string?> CodeDigestAsync(RunContext run, CancellationToken cancellationToken)
    {
        if (run.Command.EntryPoint?.Code is not { } code)
        {
            return null;
        }

        var records = await run.Fingerprinter.FingerprintInputsAsync(run.ProjectDirectory, [.. code.Select(DataSpec.Input)], cancellationToken).ConfigureAwait(false);
        var text = string.Concat(records.Select(record => $"{record.Spec}\0{record.Digest}\n"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    // Before the start: the key, and whether an earlier run with it can be restored instead of executing.
    private sealed class LookupStage(StepCache cache) : IRunStage
    {
        private (RunManifest? Reused, string Reason) Find(RunContext run, RunCacheKey key) =>
            cache.Force ? (null, "forced") : new RunCache(run.Store).Find(key, cache.Captures?.Manifests is { } manifests ? manifests.Load : null);

        public async Task RunAsync(RunContext run, CancellationToken cancellationToken)
        {
            var code = await CodeDigestAsync(run, cancellationToken).ConfigureAwait(false);
            var key = RunCacheKey.Of(run, code);
            var (reused, reason) = Find(run, key);
            if (reused is null && cache.Captures is { } pipelineCaptures)
            {
                // A child starts, and may write what later steps read: they list their inputs at their turn from now on.
                pipelineCaptures.StopListings();
                if (pipelineCaptures.PrefetchedListingsTaken != cache._listingsTakenBefore)
                {
                    // This step took inputs (or code) as the pipeline listed them before the steps ahead of it ran. Its
                    // child reads them now: fingerprinted again, as they are, and the key with them.
                    var fresh = await run.Fingerprinter.FingerprintInputsStoringLaterAsync(run.ProjectDirectory, run.InputSpecs, cancellationToken).ConfigureAwait(false);
                    cache._pendingInputs = fresh;
                    run.Inputs = fresh.Unstored;
                    code = await CodeDigestAsync(run, cancellationToken).ConfigureAwait(false);
                    key = RunCacheKey.Of(run, code);
                    (reused, reason) = Find(run, key);
                }
            }

            cache.Key = key;
            cache.Reason = reason;
            if (cache._pendingInputs is { } pending)
            {
                using (Timings.Measure(reused is null ? "lookup: keep the inputs" : "lookup: keep the inputs the reused run did not"))
                {
                    run.Inputs = pending.Store(reused is null ? null : KeptObjects(run.Store, reused));
                }

                cache._pendingInputs = null;
            }

            if (reused is null)
            {
                // A child starts and reads params.json; the record of the steps before it goes to disk first.
                if (cache.Recorder is { } recorder)
                {
                    AtomicFile.WriteAllBytes(run.Folder.Parameters, PrepareRunFilesStage.ParametersJson(run.Command.Parameters));
                    recorder.Flush();
                }

                return;
            }

            cache.Reused = reused;

            // No child starts, and the restore takes milliseconds: the record stage's manifest is the run's first.
            run.SavesRunningManifest = false;
            if (cache.Recorder is not null)
            {
                // Written now, durable with the pipeline's other reused steps' files, and indexed with their runs in one
                // transaction (see PipelineRecorder).
                cache.Writes.Stage(run.Folder.Parameters, PrepareRunFilesStage.ParametersJson(run.Command.Parameters));
                run.Store = run.Store.Deferring(cache.Writes);
            }

            if (key.Parts["seed"] == RunCacheKey.FreeSeed)
            {
                // The seed was free: the record says the seed that produced the outputs being restored.
                run.Seed = reused.Seed;
            }

            run.Backend = new RestoreBackend(run.Store, reused, run.ProjectDirectory, run.MetricsFile.Path, run.Fingerprinter)
            {
                Restored = cache.Captures is { } captures ? captures.Restored : null,
                DeferredFlush = cache.Recorder is not null ? cache.Writes : null,
            };
        }
    }

    /// <summary>
    /// The objects <paramref name="reused"/> proves are in the store, so that its reusing step need not look for its own
    /// inputs there (one stat per input file): the digests of the files it recorded as kept. repro never deletes an
    /// object, the run-cache entry that named the run was written when the run finished in this store, and its outputs'
    /// objects were just found by <see cref="RunCache.Find(RunCacheKey)"/>. A run pulled from a remote proves nothing (its objects may
    /// have stayed behind): null, every input is looked for, as a run of its own would.
    /// </summary>
    internal static IReadOnlySet<string>? KeptObjects(RunStore store, RunManifest reused)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(reused);
        if (File.Exists(Path.Combine(store.GetRunDirectory(reused.RunId), RunFolder.PulledMarkerFileName)))
        {
            return null;
        }

        var kept = new HashSet<string>(StringComparer.Ordinal);
        AddKept(kept, reused.Inputs);
        AddKept(kept, reused.Outputs);
        return kept;
    }

    private static void AddKept(HashSet<string> kept, IReadOnlyList<DataRecord> records)
    {
        foreach (var record in records)
        {
            foreach (var file in record.Files)
            {
                if (file.Stored && file.Sha256 is { } sha256)
                {
                    kept.Add(sha256);
                }
            }
        }
    }

    // The capture source of a pipeline step: the pipeline's shared captures of code and environment, and the inputs
    // fingerprinted with their copies into the store left to the lookup stage.
    private sealed class StepCaptureSource(PipelineCaptures captures, StepCache cache) : ICaptureSource
    {
        public bool AnswersWithoutBlocking(RunContext run) => captures.HasCaptured(run);

        public Task<GitCaptureResult> CaptureGitAsync(RunContext run, bool withListing, CancellationToken cancellationToken) =>
            captures.CaptureGitAsync(run, withListing, cancellationToken);

        public Task<GitCaptureResult> CaptureGitAsync(RunContext run, TaskCompletionSource<WorkingTreeListing?> listing, CancellationToken cancellationToken) =>
            ((ICaptureSource)captures).CaptureGitAsync(run, listing, cancellationToken);

        public Task<EnvironmentCaptureResult> CaptureEnvironmentAsync(RunContext run, Task<WorkingTreeListing?>? listing, CancellationToken cancellationToken) =>
            captures.CaptureEnvironmentAsync(run, listing, cancellationToken);

        public async Task<IReadOnlyList<DataRecord>> CaptureInputsAsync(RunContext run, CancellationToken cancellationToken)
        {
            cache._listingsTakenBefore = captures.PrefetchedListingsTaken;
            var pending = await run.Fingerprinter.FingerprintInputsStoringLaterAsync(run.ProjectDirectory, run.InputSpecs, cancellationToken).ConfigureAwait(false);
            cache._pendingInputs = pending;
            return pending.Unstored;
        }
    }

    // The key and the reused run go into the manifest the record stage saves (and the one saved if repro fails before
    // then): a RUNNING manifest does without them, so each manifest of a step is written once.
    private sealed class MarkStage(StepCache cache) : IRunStage
    {
        public Task RunAsync(RunContext run, CancellationToken cancellationToken)
        {
            run.Manifest = run.Manifest with { RunCacheKey = cache.Key?.Digest, ReusedFrom = cache.Reused?.RunId };
            cache._started = true;
            return Task.CompletedTask;
        }
    }

    // Restored outputs that were already identical in the workspace are left untouched, so their age says nothing.
    private sealed class ReusedWarningsStage(StepCache cache) : IRunStage
    {
        public Task RunAsync(RunContext run, CancellationToken cancellationToken)
        {
            if (cache.Reused is not null)
            {
                run.Warnings.RemoveAll(warning => warning.StartsWith("output ", StringComparison.Ordinal) && warning.Contains(" was not written by this run", StringComparison.Ordinal));
            }

            return Task.CompletedTask;
        }
    }

    private sealed class RememberStage(StepCache cache) : IRunStage
    {
        public Task RunAsync(RunContext run, CancellationToken cancellationToken)
        {
            if (cache.Key is { } key && cache.Reused is null && run.Manifest.Status == RunStatus.Finished)
            {
                new RunCache(run.Store).Remember(key, run.Manifest.RunId);
            }

            if (cache.Reused is not null)
            {
                cache.HandOver(run);
            }

            return Task.CompletedTask;
        }
    }
}
