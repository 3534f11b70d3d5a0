using Repro.Core.Runs;

namespace Repro.Core.Projects;

/// <summary>An entry point's command ready to run: <c>bash -c COMMAND</c> in the project directory.</summary>
/// <param name="EntryPoint">The declared entry point; null for a <c>.py</c> or <c>.sh</c> script run directly.</param>
/// <param name="EntryPointRecord">The entry point as the manifest records it.</param>
/// <param name="Parameters">
/// Every parameter as given and as passed: declared ones in declaration order, then extras in the order given.
/// Those with <see cref="ParameterRecord.Type"/> <c>path</c> carry the absolute resolved path as their value.
/// </param>
/// <param name="Command">The command after substitution and quoting.</param>
/// <param name="Argv">The argument vector to start: <c>bash</c>, <c>-c</c>, <see cref="Command"/>.</param>
/// <param name="Warnings">Warnings about this entry point (unknown parameter types), each with its location.</param>
public sealed record RenderedCommand(
    EntryPoint? EntryPoint,
    EntryPointRecord EntryPointRecord,
    IReadOnlyList<ParameterRecord> Parameters,
    string Command,
    IReadOnlyList<string> Argv,
    IReadOnlyList<string> Warnings);
