using System.Security.Cryptography;
using Repro.Core.FileSystem;
using Repro.Core.Runs;

namespace Repro.Core.Capture.Git;

/// <summary>Fingerprints of untracked files: path, size and SHA-256, never their content.</summary>
internal static class UntrackedFiles
{
    /// <summary>
    /// Fingerprints the listed paths. Folders listed with a trailing slash are repositories of their own and come
    /// back as nested repositories; paths in repro's store or in <paramref name="excludedPrefix"/> are skipped.
    /// </summary>
    /// <param name="root">The working-tree root the paths are relative to.</param>
    /// <param name="paths">Paths relative to the root, forward slashes.</param>
    /// <param name="excludedPrefix">A folder (relative, trailing slash) whose files are repro's own, or null.</param>
    /// <param name="cancellationToken">Stops between files.</param>
    public static async Task<(List<FileRecord> Files, List<string> NestedRepositories, List<string> Warnings)> FingerprintAsync(
        string root, IEnumerable<string> paths, string? excludedPrefix, CancellationToken cancellationToken)
    {
        var files = new List<FileRecord>();
        var nested = new List<string>();
        var warnings = new List<string>();
        foreach (var path in paths)
        {
            if (GitCapture.IsInStore(path) || (excludedPrefix is not null && path.StartsWith(excludedPrefix, StringComparison.Ordinal)))
            {
                continue;
            }

            if (path.EndsWith('/'))
            {
                nested.Add(path);
                warnings.Add($"untracked folder {path} in {root} is a repository of its own: its files are not fingerprinted");
                continue;
            }

            var record = await FingerprintAsync(root, path, cancellationToken);
            if (record is null)
            {
                warnings.Add($"untracked file {path} in {root} disappeared before it was fingerprinted");
                continue;
            }

            files.Add(record);
        }

        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        nested.Sort(StringComparer.Ordinal);
        return (files, nested, warnings);
    }

    /// <summary>
    /// Fingerprints one file as it is now, or returns null when it does not exist. A symbolic link is fingerprinted
    /// by its target text, as git stores it, and is never followed. The path is in <see cref="PathText"/>'s native form
    /// (a name that is not valid UTF-8 is fingerprinted too); the record holds its recorded form.
    /// </summary>
    public static async Task<FileRecord?> FingerprintAsync(string root, string relativePath, CancellationToken cancellationToken)
    {
        var fullPath = Path.Combine(root, relativePath);
        FileStatus? status;
        try
        {
            status = NativeFiles.Status(fullPath, followLinks: false);
        }
        catch (IOException)
        {
            return null;
        }

        if (status is null)
        {
            return null;
        }

        var recorded = PathText.ToRecorded(relativePath);
        if (status.Value.Kind == FileKind.SymbolicLink && NativeFiles.ReadLink(fullPath) is { } target)
        {
            var bytes = PathText.ToNullTerminatedBytes(target).AsSpan(..^1);
            return new FileRecord(recorded, bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes))) { LinkTarget = PathText.ToRecorded(target) };
        }

        // A FIFO, socket or device has no content to hash, and opening a FIFO waits for a writer that may never come
        // (git does not list them as untracked; LibGit2Sharp's status, the fallback, may).
        if (status.Value.Kind != FileKind.Regular)
        {
            return null;
        }

        try
        {
            await using var stream = new FileStream(NativeFiles.OpenRead(fullPath), FileAccess.Read, 1, isAsync: false);
            var hash = await SHA256.HashDataAsync(stream, cancellationToken);
            return new FileRecord(recorded, stream.Length, Convert.ToHexStringLower(hash));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }
}
