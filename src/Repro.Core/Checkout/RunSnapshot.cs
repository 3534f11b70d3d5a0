using Repro.Core.Capture.Data;
using Repro.Core.FileSystem;
using Repro.Core.Runs;

namespace Repro.Core.Checkout;

/// <summary>
/// A recorded run's code and inputs, materialised away from the user's working tree: the recorded commit with its
/// patch, the untracked files it recorded (checked against their hashes), and the inputs git does not hold. What
/// <c>repro verify</c> re-runs in, and what a cluster job runs in (<c>--backend slurm</c>): both run exactly the
/// recorded state, whatever the working tree holds by then.
/// </summary>
public static class RunSnapshot
{
    /// <summary>Materialises the recorded state of <paramref name="run"/> in a new folder under <paramref name="parentDirectory"/>.</summary>
    /// <param name="run">The run's manifest; its project directory and repository root name where untracked files and inputs are read.</param>
    /// <param name="runDirectory">The run folder, holding <c>code.patch</c>.</param>
    /// <param name="parentDirectory">Where the folder is created; the system temporary folder when null.</param>
    /// <param name="restore">Inputs written from the object store instead of copied from the project (checked against their digests).</param>
    /// <param name="objects">The store's object store.</param>
    /// <param name="cancellationToken">Stops writing; the folder is removed.</param>
    /// <returns>The checkout; dispose it to delete the folder.</returns>
    /// <exception cref="Errors.InputException">The run recorded no commit, the commit is gone, or an untracked file differs from its record.</exception>
    /// <exception cref="Errors.StoreException">The folder could not be written, or the stored patch is damaged.</exception>
    /// <exception cref="Errors.GitException">The patch does not apply.</exception>
    public static async Task<CodeCheckout> MaterializeAsync(
        RunManifest run, string runDirectory, string? parentDirectory, IReadOnlyList<RestoredInput> restore, ObjectStore objects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(restore);
        ArgumentNullException.ThrowIfNull(objects);
        var checkout = await CodeCheckout.MaterializeAsync(run.Git, runDirectory, parentDirectory: parentDirectory, cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            // A submodule's untracked files are recorded relative to the superproject, like its own.
            var untracked = run.Git.Untracked.Concat(run.Git.Submodules.SelectMany(submodule => submodule.Untracked)).ToList();
            if (untracked.Count > 0)
            {
                await checkout.CopyUntrackedAsync(run.Git.RepositoryRoot!, untracked, cancellationToken).ConfigureAwait(false);
            }

            await BringInputsOutsideGitAsync(run, checkout.Root, restore, objects, cancellationToken).ConfigureAwait(false);
            return checkout;
        }
        catch
        {
            checkout.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Inputs that git does not hold (ignored data, outputs of an earlier step, a <c>path</c> parameter naming a file
    /// elsewhere in the repository) are copied into the checkout at the same place relative to the repository root.
    /// Inputs in <paramref name="restore"/> are written from the object store instead (checked against their digests
    /// on the way). Inputs outside the repository are read where they are.
    /// </summary>
    public static async Task BringInputsOutsideGitAsync(RunManifest run, string checkoutRoot, IReadOnlyList<RestoredInput> restore, ObjectStore objects, CancellationToken cancellationToken)
    {
        var fromStore = restore.ToDictionary(input => input.Path, input => input.Sha256, StringComparer.Ordinal);
        foreach (var file in run.Inputs.SelectMany(record => record.Files))
        {
            var source = Path.GetFullPath(PathText.FromRecorded(file.Path), run.Project.Directory);
            if (file.Sha256 is null || file.LinkTarget is not null || run.Git.RepositoryRoot is not { } root || !PathContainment.IsInside(root, source))
            {
                continue;
            }

            var destination = Path.Combine(checkoutRoot, Path.GetRelativePath(root, source));
            if (fromStore.TryGetValue(file.Path, out var sha256))
            {
                NativeFiles.CreateDirectories(Path.GetDirectoryName(destination)!);
                NativeFiles.DeleteFile(destination);
                objects.CopyOut(sha256, destination);
                continue;
            }

            if (NativeFiles.Status(destination, followLinks: true) is { Kind: FileKind.Regular } existing && existing.Size == file.Size
                && string.Equals(await FileHasher.HashFileAsync(destination, cancellationToken).ConfigureAwait(false), file.Sha256, StringComparison.Ordinal))
            {
                continue;
            }

            NativeFiles.CreateDirectories(Path.GetDirectoryName(destination)!);
            NativeFiles.CopyFile(source, destination);
        }
    }
}
