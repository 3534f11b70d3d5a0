using Repro.Core.Errors;

namespace Repro.Core.Projects;

/// <summary>
/// An entry point of a loaded project, checked and rendered, ready to run: what <c>repro run</c>, <c>repro verify</c>
/// and <c>repro run --dry-run</c> all start from (through the run's resolve stages). Nothing is written and nothing is
/// run to make it.
/// </summary>
/// <param name="Loaded">The project and its file-wide findings.</param>
/// <param name="Command">The rendered command and its parameters.</param>
/// <param name="Diagnostics">The MLproject warnings that concern this run: the file's and this entry point's, in file order.</param>
public sealed record PreparedEntryPoint(
    LoadedProject Loaded,
    RenderedCommand Command,
    IReadOnlyList<ProjectDiagnostic> Diagnostics)
{
    /// <summary>The project.</summary>
    public MLProject Project => Loaded.Project;

    /// <summary>The warnings to record, as printed: <c>FILE:LINE:COL: warning: message</c>.</summary>
    public IReadOnlyList<string> Warnings => [.. Diagnostics.Select(diagnostic => diagnostic.ToString())];

    /// <summary>Renders <paramref name="entryPoint"/> of a loaded project and gathers the warnings that concern it.</summary>
    /// <param name="loaded">The loaded project.</param>
    /// <param name="entryPoint">The entry point name.</param>
    /// <param name="parameters">The <c>-P</c> pairs in the order given.</param>
    /// <param name="shell">The value of <c>$SHELL</c>, for <c>.sh</c> entry points.</param>
    /// <param name="strict">Whether every MLproject warning is an error (<c>--strict</c>).</param>
    /// <exception cref="InputException">The entry point or a parameter is wrong (or, under --strict, suspicious).</exception>
    public static PreparedEntryPoint Prepare(
        LoadedProject loaded,
        string entryPoint,
        GivenParameters parameters,
        string? shell,
        bool strict)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        var rendered = CommandRenderer.Render(loaded.Project, entryPoint, parameters, shell);
        var diagnostics = ProjectDiagnostic.InFileOrder([.. loaded.Diagnostics, .. rendered.Diagnostics]);
        if (strict)
        {
            ProjectDiagnostic.ThrowIfAny(diagnostics);
        }

        return new PreparedEntryPoint(loaded, rendered, diagnostics);
    }
}
