using Repro.Core.Checkout;
using Repro.Core.Errors;
using Repro.Core.Execution;
using Repro.Core.Runs;

namespace Repro.Core.Scheduling;

/// <summary>
/// The last stage of a run submitted to a cluster, in place of start and execute: the child's environment is decided
/// as for a local run, the recorded code and inputs are materialised (as verify does, <see cref="RunSnapshot"/>) in the
/// run's job folder on the shared file system, and the QUEUED manifest is saved. From here the run exists; the job
/// runs exactly that snapshot, whatever happens to the working tree meanwhile.
/// </summary>
/// <remarks>
/// A project URI was resolved by <see cref="ResolveProjectStage"/> to the cached checkout at its commit, recorded as a
/// local run records it (the code of the cached checkout, the run's own working copy as its project): the snapshot is
/// materialised from the cached repository at that commit, so the node needs neither the cache nor the network, and
/// outputs come back into the working copy, as a local run of the URI leaves them.
/// </remarks>
public sealed class QueueStage : IRunStage
{
    /// <summary>The folder of a run's job (its snapshot in <c>code/</c>) inside the store.</summary>
    public static string JobFolder(string storeRoot, string runId) => Path.Combine(storeRoot, JobsFolderName, runId);

    /// <summary>The store's folder of cluster jobs.</summary>
    public const string JobsFolderName = "jobs";

    /// <summary>The snapshot's folder inside a run's job folder.</summary>
    public const string SnapshotFolderName = "code";

    /// <inheritdoc />
    public async Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        run.ChildEnvironment = StartStage.BuildChildEnvironment(run);
        var queued = StartStage.InitialManifest(run, RunStatus.Queued) with
        {
            Execution = null,
            Python = run.Python ?? new PythonRecord(run.AutoSeed.On, null, []),
        };
        if (queued.Git.State != GitState.Repository || queued.Git.Commit is null)
        {
            throw new InputException($"--backend slurm runs the recorded commit in a snapshot, but {run.ProjectDirectory} is not in a git repository with a commit (git state '{queued.Git.State.Name()}')");
        }

        var jobFolder = JobFolder(run.Store.Root, run.Folder.RunId);
        var snapshot = Path.Combine(jobFolder, SnapshotFolderName);
        try
        {
            // Every input whose content the store holds is written from the store: the snapshot holds what was hashed.
            var objects = run.Objects!;
            var restore = queued.Inputs.SelectMany(record => record.Files)
                .Where(file => file.Sha256 is not null && file.LinkTarget is null && objects.Contains(file.Sha256))
                .DistinctBy(file => file.Path, StringComparer.Ordinal)
                .Select(file => new RestoredInput(file.Path, file.Sha256!, "store"))
                .ToList();
            using (var checkout = await RunSnapshot.MaterializeAsync(queued, run.Folder.Path, jobFolder, restore, objects, cancellationToken).ConfigureAwait(false))
            {
                // The checkout deletes its folder when disposed: the job's copy is moved out of its reach first.
                Directory.Move(checkout.Root, snapshot);
            }

            run.Start(queued);
        }
        catch
        {
            TryDelete(jobFolder);
            throw;
        }
    }

    /// <summary>Removes a job folder; a failure to remove it is not the failure to report.</summary>
    internal static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The store's jobs folder keeps it; nothing reads it.
        }
    }
}
