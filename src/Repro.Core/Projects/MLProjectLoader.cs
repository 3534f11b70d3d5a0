using Repro.Core.Errors;

namespace Repro.Core.Projects;

/// <summary>Loads the MLproject file of a project directory.</summary>
public static class MLProjectLoader
{
    /// <summary>
    /// Finds and reads <c>MLproject</c> (or <c>MLproject.yaml</c>/<c>.yml</c>, any letter case) in <paramref name="projectDirectory"/>.
    /// A directory without one is read as MLflow reads it (mlflow/projects/_project_spec.py, <c>load_project</c> with
    /// an empty document): no declared entry points, so only its <c>.py</c>, <c>.sh</c> and <c>.R</c> files run, and
    /// the environment of a <c>python_env.yaml</c> or <c>conda.yaml</c> it holds.
    /// </summary>
    /// <param name="projectDirectory">The project directory as the user gave it; relative paths resolve against the current directory.</param>
    /// <returns>The project and the warnings reading it gave (ignored keys).</returns>
    /// <exception cref="InputException">
    /// The directory is missing, there is more than one MLproject file, or the file is wrong; file problems
    /// read <c>FILE:LINE:COL: message</c> where FILE is the MLproject path as the user would write it.
    /// </exception>
    /// <exception cref="StoreException">The directory or file exists but cannot be read.</exception>
    public static LoadedProject Load(string projectDirectory)
    {
        ArgumentNullException.ThrowIfNull(projectDirectory);
        var display = projectDirectory.Length == 0 ? "." : projectDirectory;
        var directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(display));
        if (!Directory.Exists(directory))
        {
            var problem = File.Exists(directory) ? "is a file, not a directory" : "does not exist";
            throw new InputException($"project directory '{display}' {problem}");
        }

        if (ProjectFileLocator.Find(directory, display) is not { } fileName)
        {
            return ProjectSpecReader.WithoutFile(directory);
        }

        var file = new ProjectFile(directory, fileName, display == "." ? fileName : Path.Join(display, fileName));
        return ProjectSpecReader.Read(LocatedYamlReader.Read(file.DisplayPath, ReadText(file)), file);
    }

    private static string ReadText(ProjectFile file)
    {
        try
        {
            return File.ReadAllText(file.FullPath);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"cannot read '{file.DisplayPath}': {exception.Message}", exception);
        }
    }
}
