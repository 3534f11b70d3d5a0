namespace Repro.Core.Environments.Python;

/// <summary>How files of a project are named in records and messages.</summary>
internal static class ProjectRelativePaths
{
    /// <summary>The path relative to the project with forward slashes, or the absolute path when it lies outside.</summary>
    public static string Display(string fullPath, string projectDirectory)
    {
        var relative = Path.GetRelativePath(projectDirectory, fullPath);
        return relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative)
            ? fullPath
            : relative.Replace(Path.DirectorySeparatorChar, '/');
    }
}
