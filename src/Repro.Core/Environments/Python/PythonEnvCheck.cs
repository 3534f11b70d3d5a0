using Repro.Core.Errors;
using Repro.Core.Projects;

namespace Repro.Core.Environments.Python;

/// <summary>
/// What <c>repro check</c> adds for a project that declares a <c>python_env</c>: the file read as a virtualenv run reads
/// it, and every requirements file its lines reach. Nothing is built and no interpreter is started.
/// </summary>
public static class PythonEnvCheck
{
    /// <summary>The problems of the project's python_env file; empty when it has none, or the MLproject declares no python_env.</summary>
    /// <param name="projectDirectory">The project directory as the user named it (messages name the file under it).</param>
    /// <returns>At most one error, located in the python_env file or the line naming a missing requirements file.</returns>
    public static IReadOnlyList<ProjectDiagnostic> Check(string projectDirectory)
    {
        ArgumentNullException.ThrowIfNull(projectDirectory);
        MLProject project;
        try
        {
            project = MLProjectLoader.Load(projectDirectory).Project;
        }
        catch (InputException)
        {
            // ProjectChecker reports the MLproject's own errors.
            return [];
        }

        if (project.Environment is not { Kind: "python_env", File: { } file })
        {
            return [];
        }

        try
        {
            var spec = PythonEnvFileReader.Read(Path.Combine(project.Directory, file), Path.Join(projectDirectory, file));
            RequirementSet.Collect(spec, project.Directory);
            return [];
        }
        catch (InputException exception)
        {
            return [ProjectDiagnostic.FromError(exception)];
        }
    }
}
