using LibGit2Sharp;
using Repro.Core.FileSystem;
using Repro.Core.Runs;

namespace Repro.Core.Capture.Git;

/// <summary>
/// Records the repository's submodules, nested ones included: path, URL, the commit checked out in each, and each
/// one's own changes (a patch in the run folder and its untracked files), read the same way as the superproject's.
/// </summary>
/// <remarks>
/// The superproject's patch shows a submodule only as a commit id (with <c>-dirty</c>); verify needs the commit and the
/// changes inside, so each initialised submodule is read as a working tree of its own, and its own submodules after
/// it. The records form one list, depth first, each parent before its children, with paths from the superproject's
/// root, so a reader that checks them out in order always finds the parent's folder already written.
/// </remarks>
internal static class SubmoduleCapture
{
    /// <summary>How deep submodules of submodules are followed; git's own recursion has no limit, but a cycle of URLs would.</summary>
    private const int MaxDepth = 16;

    /// <summary>The run-folder file holding the patch of the submodule at <paramref name="index"/> (in record order).</summary>
    public static string PatchFileName(int index) => $"submodule-{index}.patch";

    /// <summary>Reads every submodule of <paramref name="repository"/>, recursively, depth first in path order.</summary>
    public static async Task<(List<SubmoduleRecord> Records, List<string> Warnings)> CaptureAsync(
        Repository repository, string root, string runDirectory, GitExecutable? git, CancellationToken cancellationToken)
    {
        var records = new List<SubmoduleRecord>();
        var warnings = new List<string>();
        await CaptureLevelAsync(repository, root, prefix: "", depth: 0, runDirectory, git, records, warnings, cancellationToken);
        return (records, warnings);
    }

    private static async Task CaptureLevelAsync(
        Repository repository,
        string root,
        string prefix,
        int depth,
        string runDirectory,
        GitExecutable? git,
        List<SubmoduleRecord> records,
        List<string> warnings,
        CancellationToken cancellationToken)
    {
        List<Submodule> submodules;
        try
        {
            submodules = [.. repository.Submodules.OrderBy(submodule => submodule.Path, StringComparer.Ordinal)];
        }
        catch (LibGit2SharpException e)
        {
            // A malformed .gitmodules: git itself carries on, and so does the run, without submodule records.
            warnings.Add($"the submodules of {root} could not be read ({e.Message}): they are not recorded, and verify checks them out as empty folders");
            return;
        }

        foreach (var submodule in submodules)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = prefix + submodule.Path;
            var record = new SubmoduleRecord
            {
                Path = path,
                Url = submodule.Url is { Length: > 0 } url ? RemoteUrl.RemoveCredentials(url) : null,
                Commit = submodule.WorkDirCommitId?.Sha,
            };
            var workingTree = Path.Combine(root, submodule.Path);
            if (record.Commit is null || !Directory.Exists(workingTree))
            {
                warnings.Add($"submodule {path} is not initialised: the run saw an empty folder, and verify re-creates one");
                records.Add(record with { Commit = null });
                continue;
            }

            var patchFile = Path.Combine(runDirectory, PatchFileName(records.Count));
            WorkingTreeChanges changes;
            using var inner = new Repository(workingTree);
            try
            {
                changes = git is not null
                    ? await GitCliWorkingTreeReader.StartAsync(git, workingTree, patchFile, excludedPrefix: null, listProjectPath: null, cancellationToken)
                    : await LibGit2WorkingTreeReader.ReadAsync(inner, workingTree, patchFile, excludedPrefix: null, cancellationToken);
            }
            catch
            {
                File.Delete(patchFile);
                throw;
            }

            var index = records.Count;
            records.Add(record with
            {
                Dirty = changes.Dirty,
                Patch = changes.Patch,
                Untracked = [.. changes.Untracked.Select(file => file with { Path = PathText.ToRecorded(path + "/" + PathText.FromRecorded(file.Path)) })],
            });

            if (depth + 1 >= MaxDepth)
            {
                warnings.AddRange(changes.Warnings);
                warnings.Add($"submodule {path} is nested {MaxDepth} deep: its own submodules are not recorded, and verify checks them out as empty folders");
                continue;
            }

            var before = records.Count;
            await CaptureLevelAsync(inner, workingTree, path + "/", depth + 1, runDirectory, git, records, warnings, cancellationToken);

            // A nested submodule that is recorded is checked out by verify at its commit with its own patch, so the
            // parent's "only its commit id is recorded" warning does not apply to it; a dirty one makes its parent dirty.
            var children = records.Skip(before).Where(child => child.Commit is not null && IsInside(child.Path, path)).ToList();
            var recorded = children.Select(child => LibGit2WorkingTreeReader.SubmoduleWarning(workingTree, child.Path[(path.Length + 1)..]))
                .ToHashSet(StringComparer.Ordinal);
            warnings.AddRange(changes.Warnings.Where(warning => !recorded.Contains(warning)));
            if (children.Any(child => child.Dirty) && !records[index].Dirty)
            {
                records[index] = records[index] with { Dirty = true };
            }
        }
    }

    private static bool IsInside(string path, string parent) => path.StartsWith(parent + "/", StringComparison.Ordinal);
}
