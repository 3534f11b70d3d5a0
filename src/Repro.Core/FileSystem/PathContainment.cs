namespace Repro.Core.FileSystem;

/// <summary>
/// The one answer to "is this path inside that folder": by whole path segments, so <c>/p/..x</c> and <c>/p/x..</c> are
/// inside <c>/p</c> while <c>/p2</c> and <c>/p/../q</c> are not. Lexical only: symbolic links are not resolved (callers
/// that must not follow a link out resolve it first). Ordinal, as file names on Linux are.
/// </summary>
public static class PathContainment
{
    /// <summary>Whether <paramref name="path"/> is <paramref name="root"/> itself or lies below it; both are made absolute first.</summary>
    public static bool IsInside(string root, string path) =>
        IsInsideFullPath(Normalize(root), Normalize(path));

    /// <summary>
    /// <see cref="IsInside"/> for paths already absolute and normalised (no <c>.</c> or <c>..</c> segments, no repeated
    /// separators), without normalising them again: for walks that test every file.
    /// </summary>
    public static bool IsInsideFullPath(string fullRoot, string fullPath)
    {
        var root = Path.TrimEndingDirectorySeparator(fullRoot);
        var path = Path.TrimEndingDirectorySeparator(fullPath);
        if (path.Length == root.Length)
        {
            return string.Equals(path, root, StringComparison.Ordinal);
        }

        return path.StartsWith(root, StringComparison.Ordinal)
            && (IsSeparator(path[root.Length]) || (root.Length > 0 && IsSeparator(root[^1])));
    }

    /// <summary>
    /// <paramref name="path"/> relative to <paramref name="root"/> with forward slashes (empty for the root itself), or
    /// null when it is not inside; both are made absolute first.
    /// </summary>
    public static string? RelativeInside(string root, string path)
    {
        var fullRoot = Path.TrimEndingDirectorySeparator(Normalize(root));
        var fullPath = Path.TrimEndingDirectorySeparator(Normalize(path));
        if (!IsInsideFullPath(fullRoot, fullPath))
        {
            return null;
        }

        var relative = fullPath.Length == fullRoot.Length ? string.Empty : fullPath[fullRoot.Length..].TrimStart(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        return relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    private static string Normalize(string path) => Path.GetFullPath(path);

    private static bool IsSeparator(char c) => c == Path.DirectorySeparatorChar || c == Path.AltDirectorySeparatorChar;
}
