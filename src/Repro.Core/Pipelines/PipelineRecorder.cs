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
/// next of those;</item>
/// <item>a reused step's run is saved without the index (its manifest is written as always, atomically) and indexed
/// with the others in one transaction at the same moments. A reader in between indexes any run the index lacks, as
/// it does for a cluster job's.</item>
/// </list>
/// Safe to call from the steps' threads (<c>-j</c>).
/// </summary>
internal sealed class PipelineRecorder
{
    private readonly PipelineStore _pipelines;
    private readonly RunStore _store;
    private readonly Lock _lock = new();
    private readonly List<RunManifest> _unindexed = [];
    private PipelineRecord _record;
    private bool _dirty;

    /// <summary>The recorder of the pipeline whose first record, <paramref name="saved"/>, is on disk.</summary>
    public PipelineRecorder(PipelineStore pipelines, RunStore store, PipelineRecord saved)
    {
        _pipelines = pipelines;
        _store = store;
        _record = saved;
    }

    /// <summary>Whether steps' runs may be saved without the index and handed to <see cref="IndexLater"/>.</summary>
    public bool DefersIndex => _store.WritesIndex;

    /// <summary>How many times the record was saved, for tests.</summary>
    public int Saves { get; private set; }

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

    /// <summary>A run saved without the index (its manifest as on disk): indexed with the next save.</summary>
    public void IndexLater(RunManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        lock (_lock)
        {
            _unindexed.Add(manifest);
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
        if (_unindexed.Count > 0)
        {
            // A problem with the index is not the pipeline's: readers rebuild it from the manifests.
            _store.Index([.. _unindexed]);
            _unindexed.Clear();
        }

        if (_dirty)
        {
            _pipelines.Save(_record);
            _dirty = false;
            Saves++;
        }
    }
}
