using System.Security.Cryptography;
using System.Text;
using Repro.Core.Runs;

namespace Repro.Core.Capture.Git;

/// <summary>
/// Reads working-tree changes with the <c>git</c> executable, in two processes that run at the same time.
/// </summary>
/// <remarks>
/// Why not <c>git status</c>: status refreshes the index against the working tree, compares HEAD with the index,
/// then walks every folder for untracked files, one after the other, in one process; asking it first and for the
/// patch second costs a whole status plus a diff. The patch of HEAD against the working tree already tells which
/// tracked files changed, so repro runs <c>git diff HEAD</c> (tracked changes, staged and unstaged) and
/// <c>git ls-files --others</c> (untracked files) side by side. Together they do the work of one status and no more
/// (on 100,000 files, CPU per call: status about 140 ms; diff about 100 ms and ls-files about 45 ms), and status
/// already spreads its largest part (one lstat per tracked file) over all cores, so the gain is the overlap of the
/// folder walk with that part: with the cores to itself the capture takes about 0.8x the wall time of
/// <c>git status --porcelain</c> (bench/git-capture/run.sh), and about 1.1x when other work keeps every core busy
/// (wall time then follows CPU time).
/// LibGit2Sharp's status takes 2.3x to 2.7x git's on such a tree, which is why it is only the fallback.
/// Neither command ever writes the repository: <c>diff.autoRefreshIndex=false</c> stops <c>git diff</c> from
/// rewriting the index after finding files whose timestamps changed (<c>--no-optional-locks</c> does not cover
/// <c>git diff</c>), so runs started at the same time never race on <c>.git/index.lock</c>.
/// </remarks>
internal static class GitCliWorkingTreeReader
{
    /// <summary>Writes <paramref name="patchFile"/> when tracked files differ and fingerprints untracked files.</summary>
    /// <param name="git">The executable.</param>
    /// <param name="root">The working-tree root; git runs there.</param>
    /// <param name="patchFile">Where the patch goes; deleted again when it is empty.</param>
    /// <param name="excludedPrefix">A folder (relative, trailing slash) whose untracked files are repro's own, or null.</param>
    /// <param name="cancellationToken">Kills git when cancelled.</param>
    public static Task<WorkingTreeChanges> StartAsync(
        GitExecutable git, string root, string patchFile, string? excludedPrefix, CancellationToken cancellationToken)
    {
        // Both processes start before this method returns, so the caller's own reads run while git works; untracked
        // files are hashed as soon as their list is in, while git diff may still be running.
        var patch = WritePatchAsync(git, root, patchFile, cancellationToken);
        var untracked = FingerprintUntrackedAsync(git, root, excludedPrefix, cancellationToken);
        return CombineAsync(root, patchFile, patch, untracked);
    }

    private static async Task<WorkingTreeChanges> CombineAsync(
        string root, string patchFile, Task<StoredFileRecord?> patchTask, Task<(List<FileRecord>, List<string>, List<string>)> untrackedTask)
    {
        // WhenAll waits for both even when one fails, so the caller can remove the patch file safely.
        await Task.WhenAll(patchTask, untrackedTask);

        var patch = await patchTask;
        var (files, nested, warnings) = await untrackedTask;
        List<string> changed = [];
        if (patch is not null)
        {
            var (paths, submodules) = PatchHeaders.Read(patchFile);
            changed = paths;
            warnings.AddRange(submodules.Select(s => LibGit2WorkingTreeReader.SubmoduleWarning(root, s)));
        }

        return new WorkingTreeChanges(patch, changed, files, nested, warnings);
    }

    private static async Task<StoredFileRecord?> WritePatchAsync(GitExecutable git, string root, string patchFile, CancellationToken cancellationToken)
    {
        string[] arguments =
        [
            "-c", "diff.autoRefreshIndex=false",
            "-c", "core.quotePath=false",
            "-c", "diff.relative=false",
            "diff", "HEAD",
            "--binary", "--no-renames", "--no-ext-diff", "--no-textconv", "--no-color",
            "--src-prefix=a/", "--dst-prefix=b/",
            "--submodule=short", "--ignore-submodules=none",
        ];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long length = 0;
        await using (var file = new FileStream(patchFile, FileMode.Create, FileAccess.Write, FileShare.Read, 1, FileOptions.Asynchronous))
        {
            await git.RunAsync(root, arguments, userConfiguration: true, async (output, ct) =>
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await output.ReadAsync(buffer, ct)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                    length += read;
                }
            }, cancellationToken);
        }

        if (length == 0)
        {
            File.Delete(patchFile);
            return null;
        }

        return new StoredFileRecord(RunFolder.PatchFileName, Convert.ToHexStringLower(hash.GetHashAndReset()), length);
    }

    private static async Task<(List<FileRecord>, List<string>, List<string>)> FingerprintUntrackedAsync(
        GitExecutable git, string root, string? excludedPrefix, CancellationToken cancellationToken)
    {
        string[] arguments =
        [
            "ls-files", "--others", "--exclude-standard", "-z",
            // Command-line patterns win over any .gitignore negation, so repro's store never shows up.
            "--exclude=" + StoreLayout.DefaultFolderName + "/",
        ];
        var output = await git.ReadAllAsync(root, arguments, userConfiguration: true, cancellationToken);
        var paths = new List<string>();
        var start = 0;
        for (var i = 0; i < output.Length; i++)
        {
            if (output[i] == 0)
            {
                paths.Add(Encoding.UTF8.GetString(output, start, i - start));
                start = i + 1;
            }
        }

        return await UntrackedFiles.FingerprintAsync(root, paths, excludedPrefix, cancellationToken);
    }
}
