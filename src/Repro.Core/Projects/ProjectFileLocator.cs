using Repro.Core.Errors;

namespace Repro.Core.Projects;

/// <summary>Finds the one MLproject file of a project directory.</summary>
internal static class ProjectFileLocator
{
    private static readonly string[] s_names = ["MLproject", "MLproject.yaml", "MLproject.yml"];

    /// <summary>The file's name as spelled on disk.</summary>
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

        return matches switch
        {
            [var single] => single,
            [] => throw new InputException($"no MLproject file in '{displayDirectory}' (looked for {string.Join(", ", s_names)}, in any letter case)"),
            _ => throw new InputException($"more than one MLproject file in '{displayDirectory}': {string.Join(", ", matches)}; keep one"),
        };
    }
}
