using Repro.Core.Errors;

namespace Repro.Core.Projects;

/// <summary>What <c>repro check</c> found in a project.</summary>
/// <param name="FilePath">The MLproject file as the user would name it; null when none was found.</param>
/// <param name="Diagnostics">Every warning and error, ordered by place in the file (under --strict, warnings are errors).</param>
/// <param name="EntryPoints">Each declared entry point, rendered with its defaults or with the error that stops it.</param>
public sealed record ProjectCheckResult(string? FilePath, IReadOnlyList<ProjectDiagnostic> Diagnostics, IReadOnlyList<EntryPointCheck> EntryPoints)
{
    /// <summary>How many errors there are.</summary>
    public int ErrorCount => Diagnostics.Count(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error);

    /// <summary>How many warnings there are.</summary>
    public int WarningCount => Diagnostics.Count(diagnostic => diagnostic.Severity == DiagnosticSeverity.Warning);

    /// <summary>Whether nothing is wrong: no error (and, under --strict, no warning).</summary>
    public bool Passed => ErrorCount == 0;
}

/// <summary>One entry point as <c>repro check</c> rendered it.</summary>
/// <param name="Name">The entry point's name.</param>
/// <param name="Rendered">The command with its defaults (required parameters left as placeholders), or null when it cannot be rendered.</param>
/// <param name="Error">Why it cannot be run, or null.</param>
public sealed record EntryPointCheck(string Name, RenderedCommand? Rendered, ProjectDiagnostic? Error);

/// <summary>
/// <c>repro check</c>: loads an MLproject file and renders every entry point with its defaults, collecting every
/// warning and error instead of stopping at the first, so a CI job can lint MLproject files. Nothing runs.
/// </summary>
public static class ProjectChecker
{
    /// <summary>Checks the project in <paramref name="projectDirectory"/>.</summary>
    /// <param name="projectDirectory">The project directory as the user gave it.</param>
    /// <param name="strict">Whether warnings count as errors.</param>
    /// <exception cref="StoreException">The directory or file exists but cannot be read.</exception>
    public static ProjectCheckResult Check(string projectDirectory, bool strict)
    {
        ArgumentNullException.ThrowIfNull(projectDirectory);
        LoadedProject loaded;
        try
        {
            loaded = MLProjectLoader.Load(projectDirectory);
        }
        catch (InputException exception)
        {
            return new ProjectCheckResult(exception.Location?.File, [ProjectDiagnostic.FromError(exception)], []);
        }

        var project = loaded.Project;
        var diagnostics = new List<ProjectDiagnostic>(loaded.Diagnostics);
        var entryPoints = new List<EntryPointCheck>();
        foreach (var entryPoint in project.EntryPoints.Values)
        {
            try
            {
                var rendered = CommandRenderer.RenderWithDefaults(project, entryPoint);
                diagnostics.AddRange(rendered.Diagnostics);
                entryPoints.Add(new EntryPointCheck(entryPoint.Name, rendered, null));
            }
            catch (InputException exception)
            {
                var error = ProjectDiagnostic.FromError(exception, entryPoint.Name);
                diagnostics.AddRange(entryPoint.Diagnostics);
                diagnostics.Add(error);
                entryPoints.Add(new EntryPointCheck(entryPoint.Name, null, error));
            }
        }

        foreach (var (name, error) in project.BrokenEntryPoints)
        {
            diagnostics.Add(error);
            entryPoints.Add(new EntryPointCheck(name, null, error));
        }

        // A value PyYAML fails on is reported file-wide as a warning and, where an entry point reads it, as its error:
        // the error says it all.
        var errorPlaces = diagnostics.Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error).Select(diagnostic => diagnostic.Location).ToHashSet();
        var ordered = diagnostics
            .Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error || !errorPlaces.Contains(diagnostic.Location))
            .Distinct()
            .Select(diagnostic => strict ? diagnostic with { Severity = DiagnosticSeverity.Error } : diagnostic)
            .OrderBy(diagnostic => diagnostic.Location?.Line ?? 0)
            .ThenBy(diagnostic => diagnostic.Location?.Column ?? 0)
            .ToList();
        var display = projectDirectory is "" or "." ? project.FileName : Path.Join(projectDirectory, project.FileName);
        return new ProjectCheckResult(display, ordered, entryPoints);
    }
}
