using Repro.Core.Errors;
using Repro.Core.FileSystem;

namespace Repro.Core.Projects;

/// <summary>
/// Finds the one MLproject file of a project directory. MLflow looks only for <c>MLproject</c> in any letter case
/// (mlflow/projects/_project_spec.py, <c>_find_mlproject</c>); repro also reads <c>MLproject.yaml</c> and
/// <c>MLproject.yml</c>, so a project that names its file that way must add an <c>MLproject</c> link for MLflow.
/// </summary>
internal static class ProjectFileLocator
{
    private static readonly string[] s_names = ["MLproject", "MLproject.yaml", "MLproject.yml"];

    /// <summary>
    /// The file's name as spelled on disk. Several names that are the same file (an <c>MLproject</c> symbolic link to
    /// <c>MLproject.yaml</c>) count as one, named by the one that is not a link.
    /// </summary>
    /// <param name="directory">Absolute path of an existing directory.</param>
    /// <param name="displayDirectory">The directory as the user named it, for messages.</param>
    public static string Find(string directory, string displayDirectory)
    {
        string[] matches;
        try
        {
            matches = [.. System.IO.Directory.EnumerateFiles(directory)
                .Select(Path.GetFileName)
                .OfType<string>()
                .Where(name => s_names.Contains(name, StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)];
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"cannot list the project directory '{displayDirectory}': {exception.Message}", exception);
        }

        var files = matches
            .GroupBy(name => Identity(Path.Join(directory, name)), StringComparer.Ordinal)
            .Select(sameFile => sameFile.OrderBy(name => IsLink(Path.Join(directory, name))).ThenBy(name => Array.FindIndex(s_names, known => known.Equals(name, StringComparison.OrdinalIgnoreCase))).First())
            .ToList();
        return files switch
        {
            [var single] => single,
            [] => throw new InputException($"no MLproject file in '{displayDirectory}' (looked for {string.Join(", ", s_names)}, in any letter case)"),
            _ => throw new InputException($"more than one MLproject file in '{displayDirectory}': {string.Join(", ", files)}; keep one (or make the others links to it)"),
        };
    }

    // Device and inode where the platform gives them (hard links and symbolic links alike), else the resolved path.
    private static string Identity(string path) =>
        NativeFiles.Status(path, followLinks: true) is { HasIdentity: true } status
            ? $"{status.Device}:{status.Inode}"
            : NativeFiles.RealPath(path) ?? path;

    private static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;
}
