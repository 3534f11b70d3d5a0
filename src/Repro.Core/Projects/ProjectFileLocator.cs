using Repro.Core.Errors;
using Repro.Core.FileSystem;

namespace Repro.Core.Projects;

/// <summary>
/// Finds the one MLproject file of a project directory. MLflow looks only for <c>MLproject</c> in any letter case
/// (mlflow/projects/_project_spec.py, <c>_find_mlproject</c>); repro also reads <c>MLproject.yaml</c> and
/// <c>MLproject.yml</c>, so a project that names its file that way must add an <c>MLproject</c> link for MLflow. A
/// directory without one is a project too, as in MLflow: its scripts run by name.
/// </summary>
internal static class ProjectFileLocator
{
    private static readonly string[] s_names = ["MLproject", "MLproject.yaml", "MLproject.yml"];

    /// <summary>The names looked for, as messages list them.</summary>
    public static string LookedFor => $"looked for {string.Join(", ", s_names)}, in any letter case";

    /// <summary>
    /// The file's name as spelled on disk, or null when the directory has none. Several names that are the same file (an <c>MLproject</c> symbolic link to
    /// <c>MLproject.yaml</c>) count as one, named by the one that is not a link.
    /// </summary>
    /// <param name="directory">Absolute path of an existing directory.</param>
    /// <param name="displayDirectory">The directory as the user named it, for messages.</param>
    public static string? Find(string directory, string displayDirectory)
    {
        // Plain loops rather than LINQ's GroupBy/OrderBy/ThenBy: those are generic over bool and int keys, code that
        // ReadyToRun leaves to the JIT, and every command that reads an MLproject starts here.
        var matches = new List<string>();
        try
        {
            foreach (var path in System.IO.Directory.EnumerateFiles(directory))
            {
                if (Path.GetFileName(path) is { } name && RankOf(name) >= 0)
                {
                    matches.Add(name);
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"cannot list the project directory '{displayDirectory}': {exception.Message}", exception);
        }

        matches.Sort(StringComparer.Ordinal);

        // One name per file (grouped by identity, in the order the groups first appear): the one that is not a link,
        // and among those the first in s_names.
        var identities = new List<string>();
        var files = new List<string>();
        foreach (var name in matches)
        {
            var identity = Identity(Path.Join(directory, name));
            var group = identities.IndexOf(identity);
            if (group < 0)
            {
                identities.Add(identity);
                files.Add(name);
            }
            else if (IsPreferred(name, files[group]))
            {
                files[group] = name;
            }
        }

        bool IsPreferred(string name, string chosen)
        {
            var (link, chosenLink) = (IsLink(Path.Join(directory, name)), IsLink(Path.Join(directory, chosen)));
            return link != chosenLink ? !link : RankOf(name) < RankOf(chosen);
        }

        return files switch
        {
            [var single] => single,
            [] => null,
            _ => throw new InputException($"more than one MLproject file in '{displayDirectory}': {string.Join(", ", files)}; keep one (or make the others links to it)"),
        };
    }

    // Device and inode where the platform gives them (hard links and symbolic links alike), else the resolved path.
    private static string Identity(string path) =>
        NativeFiles.Status(path, followLinks: true) is { HasIdentity: true } status
            ? $"{status.Device}:{status.Inode}"
            : NativeFiles.RealPath(path) ?? path;

    private static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;

    private static int RankOf(string name) => Array.FindIndex(s_names, known => known.Equals(name, StringComparison.OrdinalIgnoreCase));
}
