using Repro.Core.Errors;

namespace Repro.Core.Execution;

/// <summary>
/// Resolve: how the environment the MLproject declares is provided (MLflow's <c>--env-manager</c>). Only <c>local</c>
/// (this host as it is) exists today: <c>docker_env</c> is refused unless the user asks for the host, and
/// <c>python_env</c>/<c>conda_env</c> are recorded but not created, with a warning.
/// </summary>
public sealed class EnvironmentManagerStage : IRunStage
{
    /// <summary>The one environment manager repro has: this host as it is.</summary>
    public const string Local = "local";

    /// <inheritdoc />
    public Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var envManager = run.Request.EnvManager;
        var declared = run.Project.Environment;
        if (envManager is not null && !string.Equals(envManager, Local, StringComparison.Ordinal))
        {
            throw new InputException($"--env-manager {envManager}: only 'local' (run on this host) is supported");
        }

        switch (declared.Kind)
        {
            case "docker_env" when envManager is null:
                throw new InputException($"{run.Project.FilePath}: docker_env is declared, but running inside Docker is not supported yet; pass --env-manager local to run on this host instead");
            case "docker_env":
                run.Warnings.Add($"docker_env (image {declared.Image}) recorded but not used: running on this host (--env-manager local)");
                break;
            case { } kind when envManager is null:
                run.Warnings.Add($"{kind} ({declared.File}) recorded but not created: running with the interpreters on this host's PATH (--env-manager local)");
                break;
        }

        return Task.CompletedTask;
    }
}
