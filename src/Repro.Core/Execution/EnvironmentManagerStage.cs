using Repro.Core.Errors;

namespace Repro.Core.Execution;

/// <summary>
/// Resolve: how the environment the MLproject declares is provided (MLflow's <c>--env-manager</c>). As in MLflow, a
/// <c>python_env</c> (declared, or the <c>python_env.yaml</c> of a project that declares no environment, with or
/// without an MLproject file) is built as a virtual environment unless <c>local</c> is asked for (<see cref="PythonEnvironmentStage"/>
/// builds it); <c>docker_env</c> is refused unless the user asks for the host; <c>conda_env</c> is recorded but not
/// created, with a warning, and <c>--env-manager conda</c> is refused.
/// </summary>
public sealed class EnvironmentManagerStage : IRunStage
{
    /// <summary>This host as it is: the interpreters on its PATH.</summary>
    public const string Local = "local";

    /// <summary>A Python virtual environment built from the project's <c>python_env</c>, cached and reused.</summary>
    public const string Virtualenv = "virtualenv";

    /// <summary>A conda environment from <c>conda_env</c>: MLflow's, not supported by repro yet.</summary>
    public const string Conda = "conda";

    /// <summary>The managers <c>--env-manager</c> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = [Local, Virtualenv, Conda];

    /// <inheritdoc />
    public Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var envManager = run.Request.EnvManager;
        var declared = run.Project.Environment;
        if (envManager is not null && !Names.Contains(envManager, StringComparer.Ordinal))
        {
            throw new InputException($"--env-manager {envManager}: use {string.Join(", ", Names)}");
        }

        if (envManager == Conda)
        {
            throw new InputException($"--env-manager conda: conda environments are not supported yet; pass --env-manager local to run on this host{(declared.Kind == "python_env" ? " or virtualenv to build the python_env" : string.Empty)}");
        }

        if (envManager == Virtualenv && declared.Kind != "python_env")
        {
            var where = run.Project.FilePath ?? $"{run.Project.Directory} (no MLproject file)";
            throw new InputException($"--env-manager virtualenv: {where} declares {(declared.Kind is null ? "no environment" : declared.Kind)}; repro builds virtual environments from a python_env only (pass --env-manager local to run on this host)");
        }

        switch (declared.Kind)
        {
            case "docker_env" when envManager is null:
                throw new InputException($"{run.Project.FilePath ?? run.Project.Directory}: docker_env is declared, but running inside Docker is not supported yet; pass --env-manager local to run on this host instead");
            case "docker_env":
                run.Warnings.Add($"docker_env (image {declared.Image}) recorded but not used: running on this host (--env-manager local)");
                break;
            case "python_env" when envManager is null or Virtualenv:
                run.EnvironmentManager = Virtualenv;
                break;
            case { } kind when envManager is null:
                run.Warnings.Add($"{kind} ({declared.File}) recorded but not created: running with the interpreters on this host's PATH (--env-manager local)");
                break;
        }

        return Task.CompletedTask;
    }
}
