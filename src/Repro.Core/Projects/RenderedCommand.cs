using Repro.Core.Runs;

namespace Repro.Core.Projects;

/// <summary>An entry point's command ready to run: <c>bash -c COMMAND</c> in the project directory.</summary>
/// <param name="EntryPoint">The declared entry point; null for a <c>.py</c>, <c>.sh</c> or <c>.R</c> script run directly.</param>
/// <param name="EntryPointRecord">The entry point as the manifest records it.</param>
/// <param name="Parameters">
/// Every parameter as given and as passed: declared ones in declaration order, then extras in the order given.
/// Those with <see cref="ParameterRecord.Type"/> <c>path</c> carry the absolute resolved path as their value.
/// </param>
/// <param name="Command">The command after substitution and quoting.</param>
/// <param name="Argv">The argument vector to start: <c>bash</c>, <c>-c</c>, <see cref="Command"/>.</param>
/// <param name="Diagnostics">Warnings about this entry point: found while reading it, and about the defaults it used.</param>
public sealed record RenderedCommand(
    EntryPoint? EntryPoint,
    EntryPointRecord EntryPointRecord,
    IReadOnlyList<ParameterRecord> Parameters,
    string Command,
    IReadOnlyList<string> Argv,
    IReadOnlyList<ProjectDiagnostic> Diagnostics)
{
    /// <summary>The warnings as printed: <c>FILE:LINE:COL: warning: message</c>.</summary>
    public IReadOnlyList<string> Warnings => [.. Diagnostics.Select(diagnostic => diagnostic.ToString())];

    /// <summary>For <see cref="CommandRenderer.RenderWithDefaults"/>: required parameters left as placeholders.</summary>
    public IReadOnlyList<string> Required { get; init; } = [];
}
