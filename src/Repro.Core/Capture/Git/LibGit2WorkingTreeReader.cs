using System.Security.Cryptography;
using System.Text;
using LibGit2Sharp;
using Repro.Core.Runs;

namespace Repro.Core.Capture.Git;

/// <summary>
/// Reads working-tree changes with LibGit2Sharp alone, for machines without a <c>git</c> executable.
/// About three times slower than git on large trees (see <see cref="GitCliWorkingTreeReader"/>), but complete.
/// </summary>
internal static class LibGit2WorkingTreeReader
{
    private const FileStatus TrackedChange = FileStatus.NewInIndex | FileStatus.ModifiedInIndex | FileStatus.DeletedFromIndex
        | FileStatus.RenamedInIndex | FileStatus.TypeChangeInIndex | FileStatus.ModifiedInWorkdir | FileStatus.DeletedFromWorkdir
        | FileStatus.TypeChangeInWorkdir | FileStatus.RenamedInWorkdir | FileStatus.Conflicted;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads status, writes <paramref name="patchFile"/> when tracked files differ, and fingerprints untracked files.</summary>
    public static async Task<WorkingTreeChanges> ReadAsync(
        Repository repository, string root, string patchFile, string? excludedPrefix, CancellationToken cancellationToken)
    {
        var status = repository.RetrieveStatus(StatusPreset.Create());
        var changed = new List<string>();
        var untracked = new List<string>();
        foreach (var entry in status)
        {
            if ((entry.State & TrackedChange) != 0)
            {
                changed.Add(entry.FilePath);
            }
            else if (entry.State == FileStatus.NewInWorkdir)
            {
                untracked.Add(entry.FilePath);
            }
        }

        changed.RemoveAll(GitCapture.IsInStore);
        changed.Sort(StringComparer.Ordinal);
        var warnings = new List<string>();
        StoredFileRecord? patch = null;
        if (changed.Count > 0)
        {
            patch = await WritePatchAsync(repository, root, changed, patchFile, warnings, cancellationToken);
        }

        var (files, nested, untrackedWarnings) = await UntrackedFiles.FingerprintAsync(root, untracked, excludedPrefix, cancellationToken);
        warnings.AddRange(untrackedWarnings);
        return new WorkingTreeChanges(patch, changed, files, nested, warnings);
    }

    private static async Task<StoredFileRecord?> WritePatchAsync(
        Repository repository, string root, List<string> paths, string patchFile, List<string> warnings, CancellationToken cancellationToken)
    {
        var compare = new CompareOptions { Similarity = SimilarityOptions.None, IncludeUnmodified = false };
        // Explicit paths: a name such as "a[1].txt" must not be read as a pattern.
        var explicitPaths = new ExplicitPathsOptions { ShouldFailOnUnmatchedPath = false };
        using var changes = repository.Diff.Compare<Patch>(
            repository.Head.Tip.Tree, DiffTargets.Index | DiffTargets.WorkingDirectory, paths, explicitPaths, compare);

        var text = new StringBuilder();
        foreach (var entry in changes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entry.Mode == Mode.GitLink || entry.OldMode == Mode.GitLink)
            {
                warnings.Add(SubmoduleWarning(root, entry.Path));
            }

            if (!entry.IsBinaryComparison && IsUtf8(repository, root, entry))
            {
                text.Append(entry.Patch);
            }
            else
            {
                // LibGit2Sharp prints binary files as "Binary files differ" and decodes text as UTF-8, so a binary
                // or non-UTF-8 file is written as a literal of its new bytes, which git apply reproduces exactly.
                AppendLiteral(text, repository, root, entry);
            }
        }

        if (text.Length == 0)
        {
            return null;
        }

        var bytes = StrictUtf8.GetBytes(text.ToString());
        await File.WriteAllBytesAsync(patchFile, bytes, cancellationToken);
        return new StoredFileRecord(RunFolder.PatchFileName, Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length);
    }

    internal static string SubmoduleWarning(string root, string path) =>
        $"submodule {path} in {root} differs from HEAD: only its commit id is recorded in code.patch, not changes inside it";

    private static bool IsUtf8(Repository repository, string root, PatchEntryChanges entry)
    {
        try
        {
            if (OldExists(entry) && entry.OldMode != Mode.GitLink)
            {
                StrictUtf8.GetString(repository.Lookup<Blob>(entry.OldOid).GetContentStream().ReadAllBytes());
            }

            if (Exists(entry) && entry.Mode is Mode.NonExecutableFile or Mode.ExecutableFile)
            {
                StrictUtf8.GetString(File.ReadAllBytes(Path.Combine(root, entry.Path)));
            }

            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static void AppendLiteral(StringBuilder patch, Repository repository, string root, PatchEntryChanges entry)
    {
        var content = Exists(entry) ? File.ReadAllBytes(Path.Combine(root, entry.Path)) : [];
        var oldId = OldExists(entry) ? entry.OldOid.Sha : ObjectId.Zero.Sha;
        var newId = Exists(entry) ? BlobId(content) : ObjectId.Zero.Sha;
        var quoted = GitPath.Quote("a/" + entry.Path) + " " + GitPath.Quote("b/" + entry.Path);
        patch.Append("diff --git ").Append(quoted).Append('\n');
        if (!OldExists(entry))
        {
            patch.Append("new file mode ").Append(Octal(entry.Mode)).Append('\n');
            patch.Append("index ").Append(oldId).Append("..").Append(newId).Append('\n');
        }
        else if (!Exists(entry))
        {
            patch.Append("deleted file mode ").Append(Octal(entry.OldMode)).Append('\n');
            patch.Append("index ").Append(oldId).Append("..").Append(newId).Append('\n');
        }
        else if (entry.OldMode != entry.Mode)
        {
            patch.Append("old mode ").Append(Octal(entry.OldMode)).Append('\n');
            patch.Append("new mode ").Append(Octal(entry.Mode)).Append('\n');
            patch.Append("index ").Append(oldId).Append("..").Append(newId).Append('\n');
        }
        else
        {
            patch.Append("index ").Append(oldId).Append("..").Append(newId).Append(' ').Append(Octal(entry.Mode)).Append('\n');
        }

        GitBinaryLiteral.Append(patch, content);
    }

    /// <summary>The id git gives a blob: SHA-1 over "blob SIZE\0" and the bytes; git apply checks it after patching.</summary>
#pragma warning disable CA5350 // SHA-1 here is git's object naming, not a security measure.
    private static string BlobId(byte[] content)
    {
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        sha1.AppendData(Encoding.ASCII.GetBytes(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"blob {content.Length}\0")));
        sha1.AppendData(content);
        return Convert.ToHexStringLower(sha1.GetHashAndReset());
    }
#pragma warning restore CA5350

    private static bool Exists(PatchEntryChanges entry) => entry.Mode != Mode.Nonexistent;

    private static bool OldExists(PatchEntryChanges entry) => entry.OldMode != Mode.Nonexistent;

    private static string Octal(Mode mode) => Convert.ToString((int)mode, 8);

    private static byte[] ReadAllBytes(this Stream stream)
    {
        using (stream)
        using (var buffer = new MemoryStream())
        {
            stream.CopyTo(buffer);
            return buffer.ToArray();
        }
    }
}
