using LibGit2Sharp;
using Repro.Core.FileSystem;
using Repro.Core.Runs;

namespace Repro.Core.Capture.Git;

/// <summary>
/// Records the repository's submodules: path, URL, the commit checked out in each, and each one's own changes (a patch
/// in the run folder and its untracked files), read the same way as the superproject's.
/// </summary>
/// <remarks>
/// The superproject's patch shows a submodule only as a commit id (with <c>-dirty</c>); verify needs the commit and the
/// changes inside, so each initialised submodule is read as a working tree of its own. Submodules of submodules are not
/// followed: they are named in a warning.
/// </remarks>
internal static class SubmoduleCapture
{
    /// <summary>The run-folder file holding the patch of the submodule at <paramref name="index"/> (in path order).</summary>
    public static string PatchFileName(int index) => $"submodule-{index}.patch";

    /// <summary>Reads every submodule of <paramref name="repository"/>, in path order.</summary>
    public static async Task<(List<SubmoduleRecord> Records, List<string> Warnings)> CaptureAsync(
        Repository repository, string root, string runDirectory, GitExecutable? git, CancellationToken cancellationToken)
    {
        var records = new List<SubmoduleRecord>();
        var warnings = new List<string>();
        List<Submodule> submodules;
        try
        {
            submodules = [.. repository.Submodules.OrderBy(submodule => submodule.Path, StringComparer.Ordinal)];
        }
        catch (LibGit2SharpException e)
        {
            // A malformed .gitmodules: git itself carries on, and so does the run, without submodule records.
            warnings.Add($"the submodules of {root} could not be read ({e.Message}): they are not recorded, and verify checks them out as empty folders");
            return (records, warnings);
        }

        for (var index = 0; index < submodules.Count; index++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var submodule = submodules[index];
            var record = new SubmoduleRecord
            {
                Path = submodule.Path,
                Url = submodule.Url is { Length: > 0 } url ? RemoteUrl.RemoveCredentials(url) : null,
                Commit = submodule.WorkDirCommitId?.Sha,
            };
            var workingTree = Path.Combine(root, submodule.Path);
            if (record.Commit is null || !Directory.Exists(workingTree))
            {
                warnings.Add($"submodule {submodule.Path} is not initialised: the run saw an empty folder, and verify re-creates one");
                records.Add(record with { Commit = null });
                continue;
            }

            var patchFile = Path.Combine(runDirectory, PatchFileName(index));
            WorkingTreeChanges changes;
            try
            {
                if (git is not null)
                {
                    changes = await GitCliWorkingTreeReader.StartAsync(git, workingTree, patchFile, excludedPrefix: null, cancellationToken);
                }
                else
                {
                    using var inner = new Repository(workingTree);
                    changes = await LibGit2WorkingTreeReader.ReadAsync(inner, workingTree, patchFile, excludedPrefix: null, cancellationToken);
                }
            }
            catch
            {
                File.Delete(patchFile);
                throw;
            }

            warnings.AddRange(changes.Warnings);
            if (HasSubmodules(workingTree))
            {
                warnings.Add($"submodule {submodule.Path} has submodules of its own: they are not recorded, and verify checks them out as empty folders");
            }

            records.Add(record with
            {
                Dirty = changes.Dirty,
                Patch = changes.Patch,
                Untracked = [.. changes.Untracked.Select(file => file with { Path = PathText.ToRecorded(submodule.Path + "/" + PathText.FromRecorded(file.Path)) })],
            });
        }

        return (records, warnings);
    }

    private static bool HasSubmodules(string workingTree) => File.Exists(Path.Combine(workingTree, ".gitmodules"));
}
