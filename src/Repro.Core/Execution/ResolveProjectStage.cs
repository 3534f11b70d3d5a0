using Repro.Core.Errors;
using Repro.Core.Projects;

namespace Repro.Core.Execution;

/// <summary>Resolve: the project directory must exist, and its MLproject file must load.</summary>
public sealed class ResolveProjectStage : IRunStage
{
    /// <inheritdoc />
    public Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var projectDirectory = Path.GetFullPath(run.Request.ProjectDirectory);
        if (!Directory.Exists(projectDirectory))
        {
            throw new InputException($"project directory {run.Request.ProjectDirectory} does not exist");
        }

        var loaded = MLProjectLoader.Load(projectDirectory);
        run.ProjectDirectory = projectDirectory;
        run.Project = loaded.Project;
        run.Warnings.AddRange(loaded.Warnings);
        return Task.CompletedTask;
    }
}
