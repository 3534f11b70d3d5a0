using System.Security.Cryptography;
using System.Text;
using Repro.Core.FileSystem;
using Repro.Core.Diagnostics;
using Repro.Core.Runs;

namespace Repro.Core.Capture.Git;

/// <summary>
/// Reads working-tree changes with the <c>git</c> executable: one <c>git status</c> pass over the working tree, then a
/// <c>git diff HEAD</c> limited to the paths status found changed.
/// </summary>
/// <remarks>
/// On 100,000 files, <c>git status</c> costs about as much CPU as <c>git diff HEAD</c> (one lstat per tracked file)
/// and <c>git ls-files --others</c> (the folder walk) together, because it does both: earlier versions ran those two
/// side by side, which was as fast on an idle machine, but a lock-file search then had to walk the tree a third time.
/// <c>git status --porcelain=v2 -z --untracked-files=all --ignored=matching</c> gives, in the one pass, the changed
/// tracked paths, every untracked file and the ignored files and folders (without descending into ignored folders),
/// which is all the lock-file search needs besides the index (<see cref="WorkingTreeListing"/>). The patch then comes
/// from <c>git diff HEAD -- PATHS</c>, which only reads those files and, through <c>GIT_INDEX_FILE</c>, a copy of the
/// index cut down to their entries (<see cref="GitIndexFile.WriteSubset(ReadOnlySpan{byte}, IReadOnlyCollection{byte[]})"/>;
/// reading all 100,000 entries was most of the diff's cost): its bytes are exactly what the
/// unlimited diff gives, because status lists every path that diff could show (a path whose index and working tree
/// differ from HEAD), and a path status lists that diff finds unchanged simply gives no output. When a changed path
/// is not valid UTF-8 (it cannot be passed as an argument) or the paths are very many, the diff is not limited.
/// LibGit2Sharp's status takes 2.3x to 2.7x git's on such a tree, which is why it is only the fallback.
/// Neither command ever writes the repository: <c>GIT_OPTIONAL_LOCKS=0</c> stops status from refreshing the index
/// and <c>diff.autoRefreshIndex=false</c> stops <c>git diff</c> from doing so (<c>--no-optional-locks</c> does not cover
/// <c>git diff</c>), so runs started at the same time never race on <c>.git/index.lock</c>.
/// </remarks>
internal static class GitCliWorkingTreeReader
{
    // Beyond this many bytes of paths the diff runs unlimited: its cost no longer depends much on the paths, and a
    // command line has limits.
    private const int MaxPathspecBytes = 64 * 1024;

    /// <summary>Writes <paramref name="patchFile"/> when tracked files differ and fingerprints untracked files.</summary>
    /// <param name="git">The executable.</param>
    /// <param name="root">The working-tree root; git runs there.</param>
    /// <param name="patchFile">Where the patch goes; deleted again when it is empty.</param>
    /// <param name="excludedPrefix">A folder (relative, trailing slash) whose untracked files are repro's own, or null.</param>
    /// <param name="listProjectPath">
    /// When not null, the project folder (relative to the root) whose files the result's <see cref="WorkingTreeChanges.Listing"/>
    /// lists for a lock-file search; the index is then also listed (<see cref="GitIndexFile"/>, or <c>git ls-files --stage</c>; no file is read).
    /// </param>
    /// <param name="cancellationToken">Kills git when cancelled.</param>
    /// <param name="onListing">Given the listing (when one is made) as soon as git's listings are read, before the patch is written.</param>
    /// <param name="prefetched">The pass started with the run (<see cref="GitStatusPrefetch"/>), or null; when it gives null, status runs now.</param>
    public static Task<WorkingTreeChanges> StartAsync(
        GitExecutable git,
        string root,
        string patchFile,
        string? excludedPrefix,
        string? listProjectPath,
        CancellationToken cancellationToken,
        Action<WorkingTreeListing>? onListing = null,
        Task<GitStatusPrefetch.Pass?>? prefetched = null)
    {
        // Each git is started on a pool thread, so that neither waits for the other to start nor holds up the caller's
        // own reads: the first process a command starts pays for loading the process and pipe machinery (tens of ms,
        // hundreds on a busy machine), and the index listing, started after status on the same thread, used to begin
        // only when status had ended. Status first, as the patch waits for it; the listing (no lstat) ends well before.
        if (prefetched is not null)
        {
            // On a pool thread: a pass that has already ended would otherwise start the diff on the caller's thread
            // and hold up its own reads (HEAD, branch and remote) for as long as starting a process takes.
            return Task.Run(() => FromPrefetchAsync(git, root, patchFile, excludedPrefix, listProjectPath, prefetched, onListing, cancellationToken), CancellationToken.None);
        }

        var status = StartStatus(git, root, cancellationToken);
        var tracked = listProjectPath is null ? Task.FromResult(IndexListing.None) : StartListIndex(git, root, cancellationToken);
        return ReadAsync(git, root, patchFile, excludedPrefix, listProjectPath, status, tracked, onListing, cancellationToken);
    }

    // The pass started with the run, when it was taken; what it did not give (another repository, an index left to
    // git) is read now.
    private static async Task<WorkingTreeChanges> FromPrefetchAsync(
        GitExecutable git,
        string root,
        string patchFile,
        string? excludedPrefix,
        string? listProjectPath,
        Task<GitStatusPrefetch.Pass?> prefetched,
        Action<WorkingTreeListing>? onListing,
        CancellationToken cancellationToken)
    {
        var pass = await prefetched.ConfigureAwait(false);
        var status = pass is null ? StartStatus(git, root, cancellationToken) : Task.FromResult(pass.Status);
        var tracked = pass is not null && (listProjectPath is null || pass.Index.IsListed)
            ? Task.FromResult(pass.Index)
            : listProjectPath is null ? Task.FromResult(IndexListing.None) : StartListIndex(git, root, cancellationToken);
        return await ReadAsync(git, root, patchFile, excludedPrefix, listProjectPath, status, tracked, onListing, cancellationToken).ConfigureAwait(false);
    }

    private static Task<Status> StartStatus(GitExecutable git, string root, CancellationToken cancellationToken) =>
        Task.Run(() => Timings.MeasureAsync("git: status (one pass over the working tree)", () => ReadStatusAsync(git, root, cancellationToken)), CancellationToken.None);

    private static Task<IndexListing> StartListIndex(GitExecutable git, string root, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(
            () => ListIndexAsync(git, root, cancellationToken),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).Unwrap();

    // The index: read and walked in process when its format allows (GitIndexFile), which leaves the two cores to git
    // status, and listed by `git ls-files -z --stage` otherwise.
    private static async Task<IndexListing> ListIndexAsync(GitExecutable git, string root, CancellationToken cancellationToken)
    {
        GitIndexFile.Snapshot? index;
        using (Timings.Measure("git: read the index (for lock files)"))
        {
            index = GitIndexFile.TryRead(root);
            if (index?.TryWalk() == true)
            {
                return new IndexListing(index, null);
            }
        }

        var staged = await Timings.MeasureAsync<byte[]?>(
            "git: ls-files --stage (for lock files)",
            async () => await git.ReadAllBlockingAsync(root, ["ls-files", "-z", "--stage"], userConfiguration: true, cancellationToken));
        return new IndexListing(index, staged);
    }

    private static async Task<WorkingTreeChanges> ReadAsync(
        GitExecutable git,
        string root,
        string patchFile,
        string? excludedPrefix,
        string? listProjectPath,
        Task<Status> statusTask,
        Task<IndexListing> trackedTask,
        Action<WorkingTreeListing>? onListing,
        CancellationToken cancellationToken)
    {
        // WhenAll waits for both even when one fails, so no git is left running.
        await Task.WhenAll(statusTask, trackedTask);

        var status = await statusTask;
        // Made before the patch: the lock-file search (environment capture) starts on it while the diff runs.
        var index = await trackedTask;
        var listing = listProjectPath is not null && index.IsListed
            ? new WorkingTreeListing(root, listProjectPath, index, [.. status.Untracked, .. status.Ignored], status.GitlinkChanged)
            : null;
        if (listing is not null)
        {
            onListing?.Invoke(listing);
        }

        var patchTask = Timings.MeasureAsync("git: diff HEAD -- changed paths, write code.patch", () => WritePatchAsync(git, root, patchFile, status, index.Index, cancellationToken));
        var untrackedTask = Timings.MeasureAsync("git: hash untracked files", () => UntrackedFiles.FingerprintAsync(root, status.Untracked, excludedPrefix, cancellationToken));
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

        return new WorkingTreeChanges(patch, changed, files, nested, warnings) { Listing = listing };
    }

    /// <summary>Runs the one status pass in <paramref name="root"/> and parses it.</summary>
    internal static async Task<Status> ReadStatusAsync(GitExecutable git, string root, CancellationToken cancellationToken)
    {
        string[] arguments =
        [
            "status", "--porcelain=v2", "-z", "--untracked-files=all", "--ignored=matching", "--no-renames", "--ignore-submodules=none",
        ];
        return ParseStatus(await git.ReadAllAsync(root, arguments, userConfiguration: true, cancellationToken));
    }

    /// <summary>
    /// Reads <c>git status --porcelain=v2 -z --no-renames</c>: ordinary (<c>1</c>) and unmerged (<c>u</c>) entries are
    /// changed tracked paths, <c>?</c> untracked and <c>!</c> ignored ones. Paths are relative to the root, folders end
    /// with a slash, and a name that is not valid UTF-8 is kept as bytes (<see cref="PathText"/>).
    /// </summary>
    internal static Status ParseStatus(ReadOnlySpan<byte> output)
    {
        var result = new Status([], [], []);
        var gitlinkChanged = false;
        while (output.Length > 0)
        {
            var end = output.IndexOf((byte)0);
            var entry = end < 0 ? output : output[..end];
            output = end < 0 ? [] : output[(end + 1)..];
            if (entry.Length < 3)
            {
                continue;
            }

            switch (entry[0])
            {
                case (byte)'?':
                    result.Untracked.Add(PathText.FromBytes(entry[2..]));
                    break;
                case (byte)'!':
                    result.Ignored.Add(PathText.FromBytes(entry[2..]));
                    break;
                case (byte)'1':
                    // "1 XY SUB mH mI mW hH hI PATH": the path follows the eighth space.
                    result.Changed.Add(PathText.FromBytes(AfterFields(entry, 8)));
                    gitlinkChanged |= HasGitlinkMode(entry, 3);
                    break;
                case (byte)'u':
                    // "u XY SUB m1 m2 m3 mW h1 h2 h3 PATH".
                    result.Changed.Add(PathText.FromBytes(AfterFields(entry, 10)));
                    gitlinkChanged |= HasGitlinkMode(entry, 4);
                    break;
                case (byte)'2':
                    // Only with rename detection, which is off; its original path is a second NUL-terminated field.
                    result.Changed.Add(PathText.FromBytes(AfterFields(entry, 9)));
                    var original = output.IndexOf((byte)0);
                    result.Changed.Add(PathText.FromBytes(original < 0 ? output : output[..original]));
                    output = original < 0 ? [] : output[(original + 1)..];
                    break;
            }
        }

        return result with { GitlinkChanged = gitlinkChanged };
    }

    /// <summary>Whether one of the <paramref name="modes"/> mode fields after the first three holds 160000, a submodule.</summary>
    private static bool HasGitlinkMode(ReadOnlySpan<byte> entry, int modes)
    {
        var fields = AfterFields(entry, 3);
        for (var i = 0; i < modes; i++)
        {
            if (fields.StartsWith("160000 "u8))
            {
                return true;
            }

            fields = AfterFields(fields, 1);
        }

        return false;
    }

    private static ReadOnlySpan<byte> AfterFields(ReadOnlySpan<byte> entry, int fields)
    {
        for (var i = 0; i < fields; i++)
        {
            var space = entry.IndexOf((byte)' ');
            if (space < 0)
            {
                return entry;
            }

            entry = entry[(space + 1)..];
        }

        return entry;
    }

    /// <summary>The index as read once beside status.</summary>
    /// <param name="Index">Its bytes, for the diff's small index; null when they could not be read.</param>
    /// <param name="Staged">
    /// What <c>git ls-files -z --stage</c> printed, for the lock-file search, when the index was left to git; null
    /// otherwise (the search then walks <paramref name="Index"/> itself, when <see cref="GitIndexFile.Snapshot.TryWalk"/> knows its form).
    /// </param>
    internal sealed record IndexListing(GitIndexFile.Snapshot? Index, byte[]? Staged)
    {
        /// <summary>Nothing read: the diff reads the index itself, and there is no listing.</summary>
        public static IndexListing None { get; } = new(null, null);

        /// <summary>Whether the tracked files are known: git listed them, or the index was walked in process.</summary>
        public bool IsListed => Staged is not null || Index?.TryWalk() == true;
    }

    /// <summary>What one status pass found.</summary>
    /// <param name="Changed">Tracked paths whose index or working tree differs from HEAD.</param>
    /// <param name="Untracked">Untracked files, and repositories of their own (trailing slash).</param>
    /// <param name="Ignored">Ignored files, and ignored folders (trailing slash) that git did not look into.</param>
    internal sealed record Status(List<string> Changed, List<string> Untracked, List<string> Ignored)
    {
        /// <summary>Whether a changed path is a submodule in HEAD, the index or the working tree.</summary>
        public bool GitlinkChanged { get; init; }
    }

    private static async Task<StoredFileRecord?> WritePatchAsync(
        GitExecutable git, string root, string patchFile, Status status, GitIndexFile.Snapshot? index, CancellationToken cancellationToken)
    {
        var changed = status.Changed;
        if (changed.Count == 0)
        {
            return null;
        }

        List<string> arguments =
        [
            "--literal-pathspecs",
            "-c", "diff.autoRefreshIndex=false",
            "-c", "core.quotePath=false",
            "-c", "diff.relative=false",
            "diff", "HEAD",
            "--binary", "--no-renames", "--no-ext-diff", "--no-textconv", "--no-color",
            "--src-prefix=a/", "--dst-prefix=b/",
            "--submodule=short", "--ignore-submodules=none",
        ];
        string? smallIndex = null;
        if (!changed.Any(PathText.HasRawBytes) && changed.Sum(path => path.Length + 1) <= MaxPathspecBytes)
        {
            arguments.Add("--");
            arguments.AddRange(changed);
            smallIndex = status.GitlinkChanged ? null : WriteSmallIndex(root, index, changed);
        }

        try
        {
            return await WriteDiffAsync(
                git, root, patchFile, arguments, smallIndex is null ? null : new Dictionary<string, string> { ["GIT_INDEX_FILE"] = smallIndex }, cancellationToken);
        }
        finally
        {
            if (smallIndex is not null)
            {
                File.Delete(smallIndex);
            }
        }
    }

    // The index cut down to the changed paths (GitIndexFile.WriteSubset), in a temporary file with the index's own
    // modification time, for the diff to read instead of the whole index; null when the index is left to git, holds a
    // submodule, or the file cannot be written (the diff then reads the whole index, as git would).
    private static string? WriteSmallIndex(string root, GitIndexFile.Snapshot? index, IReadOnlyList<string> changed)
    {
        index ??= GitIndexFile.TryRead(root);
        if (index is null || index.Bytes.Length == 0
            || index.WriteSubset([.. changed.Select(path => Encoding.UTF8.GetBytes(path))]) is not { } subset)
        {
            return null;
        }

        var path = Path.Combine(Path.GetTempPath(), $"repro-index-{Guid.NewGuid():N}");
        try
        {
            using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                file.Write(subset);
            }

            File.SetLastWriteTimeUtc(path, index.ModifiedUtc);
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(path);
            return null;
        }
    }

    private static async Task<StoredFileRecord?> WriteDiffAsync(
        GitExecutable git,
        string root,
        string patchFile,
        IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string>? environment,
        CancellationToken cancellationToken)
    {
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
            }, cancellationToken, environment);
        }

        if (length == 0)
        {
            File.Delete(patchFile);
            return null;
        }

        return new StoredFileRecord(Path.GetFileName(patchFile), Convert.ToHexStringLower(hash.GetHashAndReset()), length);
    }
}
