using Repro.Core.Capture.Data;
using Repro.Core.Store;

namespace Repro.Core.Execution;

/// <summary>
/// Prepare: opens the store (its hash cache and object store) and creates the run's folder, exclusively, so that
/// concurrent runs never share one, and takes its lock for as long as this process records the run. From here until the
/// run starts, a failure removes the folder again.
/// </summary>
public sealed class CreateRunFolderStage : IRunStage
{
    /// <inheritdoc />
    public Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var request = run.Request;
        run.Store = request.WritesIndex ? RunStore.Open(request.StoreDirectory) : RunStore.Open(request.StoreDirectory).ForJob();
        run.HashCache = HashCache.Open(run.Store.Root, run.Warn);
        run.Objects = new ObjectStore(run.Store.Root, request.ObjectSizeLimit);
        run.Fingerprinter = new Fingerprinter(new FingerprintOptions
        {
            Cache = run.HashCache,
            Rehash = request.Rehash,
            Progress = request.HashProgress,
            ObjectStore = run.Objects,
            ExpectedOutputs = request.Replay?.OutputDigests,
        });
        // A queued run (a cluster job's, a local sweep's point) is recorded in the folder made when it was queued.
        run.Folder = request.RecordedRun is { } queued ? run.Store.GetRunFolder(queued) : run.Store.CreateRun(DateTimeOffset.UtcNow);
        run.FolderLock = RunStore.LockRun(run.Folder);
        return Task.CompletedTask;
    }
}
