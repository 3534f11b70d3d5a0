using Repro.Core.Errors;
using Repro.Core.Projects;

namespace Repro.Core.Execution;

/// <summary>
/// Resolve: the project directory must exist, and its MLproject file must load. Its warnings are reported with the
/// entry point's by <see cref="RenderCommandStage"/>, in the order of the file.
/// </summary>
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

        run.ProjectDirectory = projectDirectory;
        run.Loaded = MLProjectLoader.Load(projectDirectory);
        return Task.CompletedTask;
    }
}
