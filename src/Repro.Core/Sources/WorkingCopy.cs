using System.Security.Cryptography;
using Repro.Core.Errors;

namespace Repro.Core.Sources;

/// <summary>
/// A run's own copy of a cached checkout: the files of the commit (submodules included), without any <c>.git</c>, in a
/// fresh folder. Entry points write outputs relative to the project, so each run of a cached commit works in a copy
/// of its own: concurrent runs of one commit never clobber each other, and the checkout in the cache stays exactly as
/// committed for later runs and for <c>repro verify</c>.
/// </summary>
/// <remarks>
/// Files are copied with <see cref="File.Copy(string, string)"/>, which on Linux asks the file system for a
/// copy-on-write clone first (<c>FICLONE</c>: Btrfs, XFS, bcachefs) and otherwise copies in the kernel
/// (<c>copy_file_range</c>), keeping each file's permissions. Symbolic links are copied as links. Hard links would be
/// cheaper but would let a run that rewrites a file in place change the cache.
/// </remarks>
public static class WorkingCopy
{
    private const string GitEntry = ".git";

    /// <summary>Copies <paramref name="checkoutRoot"/> into a new folder under <paramref name="parentFolder"/>.</summary>
    /// <param name="checkoutRoot">The cached checkout (its root, not the project subdirectory).</param>
    /// <param name="parentFolder">Where the copy is made; created when missing.</param>
    /// <param name="cancellationToken">Stops copying; the partial copy is removed.</param>
    /// <param name="prefix">Starts the new folder's name, whose rest is the time and a random part.</param>
    /// <returns>The new folder, absolute.</returns>
    /// <exception cref="StoreException">The copy cannot be written.</exception>
    public static string Create(string checkoutRoot, string parentFolder, CancellationToken cancellationToken, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(checkoutRoot);
        ArgumentNullException.ThrowIfNull(parentFolder);
        string folder;
        try
        {
            Directory.CreateDirectory(parentFolder);
            folder = Path.Combine(Path.GetFullPath(parentFolder), prefix + DateTimeOffset.UtcNow.ToString("yyyyMMdd'T'HHmmss", System.Globalization.CultureInfo.InvariantCulture) + "-" + RandomNumberGenerator.GetHexString(8, lowercase: true));
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"cannot create a working copy in {parentFolder}: {e.Message}", e);
        }

        try
        {
            CopyFolder(new DirectoryInfo(checkoutRoot), folder, cancellationToken);
            return folder;
        }
        catch (Exception e)
        {
            Delete(folder);
            if (e is IOException or UnauthorizedAccessException)
            {
                throw new StoreException($"cannot copy {checkoutRoot} into {folder}: {e.Message}", e);
            }

            throw;
        }
    }

    /// <summary>Removes a working copy; quietly leaves what cannot be removed.</summary>
    /// <param name="folder">The folder <see cref="Create"/> returned.</param>
    public static void Delete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The error that made the copy unnecessary is the one to report.
        }
    }

    private static void CopyFolder(DirectoryInfo source, string destination, CancellationToken cancellationToken)
    {
        foreach (var entry in source.EnumerateFileSystemInfos())
        {
            cancellationToken.ThrowIfCancellationRequested();

            // The checkout's git folder and each submodule's .git file belong to the cache, not to the run.
            if (entry.Name == GitEntry)
            {
                continue;
            }

            var target = Path.Combine(destination, entry.Name);
            if (entry.LinkTarget is { } link)
            {
                if (entry is DirectoryInfo)
                {
                    Directory.CreateSymbolicLink(target, link);
                }
                else
                {
                    File.CreateSymbolicLink(target, link);
                }
            }
            else if (entry is DirectoryInfo directory)
            {
                Directory.CreateDirectory(target);
                CopyFolder(directory, target, cancellationToken);
            }
            else
            {
                File.Copy(entry.FullName, target);
            }
        }
    }
}
