using Repro.Core.Capture.Data;
using Repro.Core.Runs;
using Repro.Core.Store;

namespace Repro.Core.Remotes;

/// <summary>
/// Where things live on a remote: exactly where they live in a local store, so a remote folder is a store without its
/// index, hash cache and per-user files. <c>objects/sha256/ab/cdef…</c> for objects, <c>runs/RUN-ID/…</c> for a run's
/// folder (its <c>run.json</c> is written last, so a run whose manifest is there is complete).
/// </summary>
public static class RemoteLayout
{
    /// <summary>The prefix of every object key.</summary>
    public const string ObjectsPrefix = "objects/sha256/";

    /// <summary>The prefix of every run key.</summary>
    public const string RunsPrefix = "runs/";

    /// <summary>The key of an object.</summary>
    public static string ObjectKey(string sha256) => $"{ObjectsPrefix}{sha256[..2]}/{sha256[2..]}";

    /// <summary>The key of a file in a run's folder.</summary>
    public static string RunFileKey(string runId, string relativePath) => $"{RunsPrefix}{runId}/{relativePath}";

    /// <summary>The digest an object key names; false for anything else (temporary files, strays).</summary>
    public static bool TryParseObjectKey(string key, out string sha256)
    {
        sha256 = string.Empty;
        if (!key.StartsWith(ObjectsPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = key.AsSpan(ObjectsPrefix.Length);
        if (rest.Length != 65 || rest[2] != '/')
        {
            return false;
        }

        var candidate = string.Concat(rest[..2], rest[3..]);
        if (!ObjectStore.IsSha256(candidate))
        {
            return false;
        }

        sha256 = candidate;
        return true;
    }

    /// <summary>
    /// The run and the path inside its folder that a run key names; false for anything that is not a well-formed run
    /// id followed by a plain relative path (no empty, '.', '..' or hidden segment), so nothing read from a remote can
    /// name a place outside the run's folder.
    /// </summary>
    public static bool TryParseRunFileKey(string key, out string runId, out string relativePath)
    {
        runId = string.Empty;
        relativePath = string.Empty;
        if (!key.StartsWith(RunsPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = key[RunsPrefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !RunId.IsWellFormed(rest[..slash]))
        {
            return false;
        }

        var relative = rest[(slash + 1)..];
        if (!IsPlainRelativePath(relative))
        {
            return false;
        }

        runId = rest[..slash];
        relativePath = relative;
        return true;
    }

    /// <summary>Whether a path is relative, with forward slashes, and no empty, hidden, '.' or '..' segment.</summary>
    public static bool IsPlainRelativePath(string path) =>
        path.Length > 0
        && !path.Contains('\\', StringComparison.Ordinal)
        && !path.Contains('\0', StringComparison.Ordinal)
        && path.Split('/').All(segment => segment.Length > 0 && segment[0] != '.');
}
