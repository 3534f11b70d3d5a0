using Repro.Core.Capture.Data;
using Repro.Core.Store;

namespace Repro.Core.Execution;

/// <summary>
/// Prepare: opens the store (its object store, and its hash cache on first use) and creates the run's folder, exclusively, so that
/// concurrent runs never share one, and takes its lock for as long as this process records the run. From here until the
/// run starts, a failure removes the folder again.
/// </summary>
public sealed class CreateRunFolderStage : IRunStage
{
    // How long a queued run waits for its folder's lock: a program started here holds it only until its exec.
    private static readonly TimeSpan QueuedRunPatience = TimeSpan.FromSeconds(2);

    // Where the fingerprinter comes from when several runs of one call share it (a pipeline's steps, with one hash
    // cache connection between them); null: the run opens the hash cache and makes its own.
    private readonly Func<RunContext, Fingerprinter>? _sharedFingerprinter;

    /// <summary>The stage of a run that opens the hash cache itself.</summary>
    public CreateRunFolderStage()
    {
    }

    /// <summary>The stage of a run whose fingerprinter (and hash cache, which the run then does not close) is shared.</summary>
    internal CreateRunFolderStage(Func<RunContext, Fingerprinter> sharedFingerprinter) => _sharedFingerprinter = sharedFingerprinter;

    /// <inheritdoc />
    public Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var request = run.Request;
        run.Store = request.WritesIndex ? RunStore.Open(request.StoreDirectory) : RunStore.Open(request.StoreDirectory).ForJob();
        run.Objects = new ObjectStore(run.Store.Root, request.ObjectSizeLimit);
        if (_sharedFingerprinter is not null)
        {
            run.Fingerprinter = _sharedFingerprinter(run);
        }
        else
        {
            // Opened only when something is hashed: a run without data never touches the SQLite file.
            run.HashCache = HashCache.OpenOnFirstUse(run.Store.Root, run.Warn);
            run.Fingerprinter = new Fingerprinter(new FingerprintOptions
            {
                Cache = run.HashCache,
                Rehash = request.Rehash,
                Progress = request.HashProgress,
                ObjectStore = run.Objects,
                ExpectedOutputs = request.Replay?.OutputDigests,
            });
        }

        // A queued run (a cluster job's, a local sweep's point) is recorded in the folder made when it was queued.
        run.Folder = request.RecordedRun is { } queued ? run.Store.GetRunFolder(queued) : run.Store.CreateRun(DateTimeOffset.UtcNow);
        // A queued run's folder was locked and released by whoever queued it, maybe this very process a moment ago.
        run.FolderLock = RunStore.LockRun(run.Folder, request.RecordedRun is null ? TimeSpan.Zero : QueuedRunPatience);
        return Task.CompletedTask;
    }
}
