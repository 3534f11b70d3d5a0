using Repro.Core.Capture.Data;
using Repro.Core.Store;

namespace Repro.Core.Execution;

/// <summary>
/// Prepare: opens the store (its hash cache and object store) and creates the run's folder, exclusively, so that
/// concurrent runs never share one. From here until the run starts, a failure removes the folder again.
/// </summary>
public sealed class CreateRunFolderStage : IRunStage
{
    /// <inheritdoc />
    public Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var request = run.Request;
        run.Store = RunStore.Open(request.StoreDirectory);
        run.HashCache = HashCache.Open(run.Store.Root);
        run.Objects = new ObjectStore(run.Store.Root, request.ObjectSizeLimit);
        run.Fingerprinter = new Fingerprinter(new FingerprintOptions
        {
            Cache = run.HashCache,
            Rehash = request.Rehash,
            Progress = request.HashProgress,
            ObjectStore = run.Objects,
        });
        run.Folder = run.Store.CreateRun(DateTimeOffset.UtcNow);
        return Task.CompletedTask;
    }
}
