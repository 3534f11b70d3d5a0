using Repro.Core.Errors;

namespace Repro.Core.Projects;

/// <summary>
/// An entry point loaded, checked and rendered, ready to run: what <c>repro run</c>, <c>repro verify</c> and
/// <c>repro run --dry-run</c> all start from. Nothing is written and nothing is run to make it.
/// </summary>
/// <param name="Loaded">The project and its file-wide findings.</param>
/// <param name="Command">The rendered command and its parameters.</param>
/// <param name="Diagnostics">The MLproject warnings that concern this run: the file's and this entry point's.</param>
/// <param name="Warnings">Every warning to record, as printed: the MLproject's, then the environment's.</param>
public sealed record PreparedEntryPoint(
    LoadedProject Loaded,
    RenderedCommand Command,
    IReadOnlyList<ProjectDiagnostic> Diagnostics,
    IReadOnlyList<string> Warnings)
{
    /// <summary>The project.</summary>
    public MLProject Project => Loaded.Project;

    /// <summary>Loads the project, checks the environment manager and renders the entry point.</summary>
    /// <param name="projectDirectory">The project directory.</param>
    /// <param name="entryPoint">The entry point name.</param>
    /// <param name="parameters">The <c>-P</c> pairs in the order given.</param>
    /// <param name="shell">The value of <c>$SHELL</c>, for <c>.sh</c> entry points.</param>
    /// <param name="envManager">The <c>--env-manager</c> value, or null.</param>
    /// <param name="strict">Whether every MLproject warning is an error (<c>--strict</c>).</param>
    /// <exception cref="InputException">The project, the entry point or a parameter is wrong (or, under --strict, suspicious).</exception>
    public static PreparedEntryPoint Prepare(
        string projectDirectory,
        string entryPoint,
        IReadOnlyList<KeyValuePair<string, string>> parameters,
        string? shell,
        string? envManager,
        bool strict)
    {
        var loaded = MLProjectLoader.Load(projectDirectory);
        var environmentWarnings = new List<string>();
        CheckEnvironmentManager(loaded.Project, envManager, environmentWarnings);
        var rendered = CommandRenderer.Render(loaded.Project, entryPoint, parameters, shell);
        List<ProjectDiagnostic> diagnostics = [.. loaded.Diagnostics.Concat(rendered.Diagnostics)
            .OrderBy(diagnostic => diagnostic.Location?.Line ?? 0)
            .ThenBy(diagnostic => diagnostic.Location?.Column ?? 0)];
        if (strict)
        {
            ProjectDiagnostic.ThrowIfAny(diagnostics);
        }

        return new PreparedEntryPoint(loaded, rendered, diagnostics, [.. diagnostics.Select(diagnostic => diagnostic.ToString()), .. environmentWarnings]);
    }

    private static void CheckEnvironmentManager(MLProject project, string? envManager, List<string> warnings)
    {
        if (envManager is not null && !string.Equals(envManager, "local", StringComparison.Ordinal))
        {
            throw new InputException($"--env-manager {envManager}: only 'local' (run on this host) is supported");
        }

        switch (project.Environment.Kind)
        {
            case "docker_env" when envManager is null:
                throw new InputException($"{project.FilePath}: docker_env is declared, but running inside Docker is not supported yet; pass --env-manager local to run on this host instead");
            case "docker_env":
                warnings.Add($"docker_env (image {project.Environment.Image}) recorded but not used: running on this host (--env-manager local)");
                break;
            case { } kind when envManager is null:
                warnings.Add($"{kind} ({project.Environment.File}) recorded but not created: running with the interpreters on this host's PATH (--env-manager local)");
                break;
        }
    }
}
