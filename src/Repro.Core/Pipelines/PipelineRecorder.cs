using Repro.Core.Diagnostics;
using Repro.Core.Errors;
using Repro.Core.FileSystem;
using Repro.Core.Runs;
using Repro.Core.Store;

namespace Repro.Core.Pipelines;

/// <summary>
/// Writes a running pipeline's record (<c>pipeline.json</c>) and the index rows of its reused steps' runs when they
/// matter rather than after every step. A reused step takes milliseconds, and saving the record after each one (an
/// atomic write with a flush to disk) plus two SQLite commits for its run cost more than the step itself. So:
/// <list type="bullet">
/// <item>the record is saved after a step that executed or did not finish, before any step's child starts (so a long
/// step leaves on disk the record of every step before it), and at the end; a reused step's outcome waits for the
/// next of those, and so does the record the pipeline starts with (a pipeline whose steps are all reused writes its
/// record once, at the end);</item>
/// <item>a reused step's files (its manifest, <c>params.json</c>, the outputs it restored) are written without a flush to
/// disk each (<see cref="Defer"/>) and made durable together at the same moments (<see cref="DurableWrites"/>: all
/// flushed, then the manifests renamed into place, then the renames flushed), so a manifest is never visible under its
/// final name before it is complete on disk, and the step's folder stays locked until then;</item>
/// <item>a reused step's run is indexed with the others in one transaction, between the renames and their flush. A
/// reader in between indexes any run the index lacks, as it does for a cluster job's.</item>
/// </list>
/// The record is saved after the runs it names are on disk: when reused steps' files wait, its bytes are flushed with
/// theirs and it is renamed into place after their renames are flushed. Safe to call from the steps' threads (<c>-j</c>).
/// </summary>
internal sealed class PipelineRecorder
{
    private readonly PipelineStore _pipelines;
    private readonly RunStore _store;
    private readonly Lock _lock = new();
    private readonly List<RunManifest> _unindexed = [];
    private readonly DurableWrites _writes = new();
    private readonly List<FileLock> _folderLocks = [];
    private PipelineRecord _record;
    private bool _dirty;

    /// <summary>The recorder of the pipeline whose first record is <paramref name="first"/>.</summary>
    /// <param name="pipelines">The store's pipeline records.</param>
    /// <param name="store">The run store.</param>
    /// <param name="first">The record as the pipeline starts.</param>
    /// <param name="onDisk">
    /// Whether <paramref name="first"/> is saved already; when not, it is saved with the first save that matters (before
    /// a step's child starts, after a step that executed or did not finish, at the end).
    /// </param>
    public PipelineRecorder(PipelineStore pipelines, RunStore store, PipelineRecord first, bool onDisk)
    {
        _pipelines = pipelines;
        _store = store;
        _record = first;
        _dirty = !onDisk;
    }

    /// <summary>Whether steps' runs may be saved without the index and handed to <see cref="Defer"/> to be indexed.</summary>
    public bool DefersIndex => _store.WritesIndex;

    /// <summary>How many times the record was saved, for tests.</summary>
    public int Saves { get; private set; }

    /// <summary>How the reused steps' files were flushed to disk, for tests and benchmarks: whole file systems, single files.</summary>
    public (int FileSystems, int Files) Flushes => (_writes.FileSystemFlushes, _writes.FileFlushes);

    /// <summary>The record as it now stands; saved at once when <paramref name="saveNow"/>, else with the next save.</summary>
    public void Update(PipelineRecord record, bool saveNow)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_lock)
        {
            _record = record;
            _dirty = true;
            if (saveNow)
            {
                FlushLocked();
            }
        }
    }

    /// <summary>
    /// A reused step's files, written but not flushed to disk (its manifest staged under a temporary name), made durable
    /// with the next save.
    /// </summary>
    /// <param name="writes">The step's files.</param>
    /// <param name="unindexed">Its run, saved without the index (the manifest as staged): indexed once it is in place; null when the store writes no index.</param>
    /// <param name="folderLock">The lock of its run's folder, held until then, so that no reader takes the folder (without a manifest yet) for a run abandoned before it started.</param>
    public void Defer(DurableWrites writes, RunManifest? unindexed, FileLock? folderLock)
    {
        ArgumentNullException.ThrowIfNull(writes);
        lock (_lock)
        {
            writes.MoveTo(_writes);
            if (unindexed is not null)
            {
                _unindexed.Add(unindexed);
            }

            if (folderLock is not null)
            {
                _folderLocks.Add(folderLock);
            }
        }
    }

    /// <summary>Saves the record if it changed since it was last saved, and indexes the runs waiting for it.</summary>
    public void Flush()
    {
        lock (_lock)
        {
            FlushLocked();
        }
    }

    private void FlushLocked()
    {
        try
        {
            if (_dirty && _writes.Count > 0)
            {
                // The record rides with the reused steps' files: its bytes flushed with theirs, renamed into place once
                // their renames are flushed too. One flush (an fsync of its own) fewer at the end of a reused pipeline.
                _pipelines.Save(_record, CommitLocked);
                _dirty = false;
                Saves++;
                return;
            }

            CommitLocked(null);
        }
        finally
        {
            // Their manifests are in place (or, after a failure, never will be): the folders are the readers' again.
            foreach (var folderLock in _folderLocks)
            {
                folderLock.Dispose();
            }

            _folderLocks.Clear();
        }

        if (_dirty)
        {
            _pipelines.Save(_record);
            _dirty = false;
            Saves++;
        }
    }

    // The reused steps' files made durable, with the record's temporary file when given (flushed, not renamed).
    private void CommitLocked(string? record)
    {
        try
        {
            using var timing = _writes.Count > 0 ? Timings.Measure("pipeline: reused steps' files made durable together") : default;
            if (record is not null)
            {
                _writes.Written(record);
            }

            _writes.Commit(IndexLocked);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"cannot write the records of the reused steps in {_store.RunsDirectory}: {exception.Message}", exception);
        }
    }

    // Once the reused runs' manifests are in place: their index rows, in one transaction.
    private void IndexLocked()
    {
        if (_unindexed.Count > 0)
        {
            // A problem with the index is not the pipeline's: readers rebuild it from the manifests.
            _store.Index([.. _unindexed]);
            _unindexed.Clear();
        }
    }
}
