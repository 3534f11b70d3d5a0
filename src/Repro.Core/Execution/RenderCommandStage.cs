using Repro.Core.Capture.Data;
using Repro.Core.Capture.Environment;
using Repro.Core.Projects;
using Repro.Core.Runs;

namespace Repro.Core.Execution;

/// <summary>
/// Resolve: the entry point's parameters (checked against their types) and its command, rendered as <c>mlflow run</c>
/// would, with the MLproject's warnings about it (errors under <c>--strict</c>); then what to fingerprint: the declared
/// inputs and <c>path</c> parameters, and the declared outputs, which are checked now so that a bad declaration fails
/// before anything runs.
/// </summary>
public sealed class RenderCommandStage : IRunStage
{
    /// <inheritdoc />
    public Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        run.Request.Environment.TryGetValue("SHELL", out var shell);
        var prepared = PreparedEntryPoint.Prepare(run.Loaded, run.Request.EntryPoint, run.Request.Parameters, shell, run.Request.Strict);
        var rendered = prepared.Command;
        run.Command = rendered;
        run.Warnings.AddRange(prepared.Warnings);
        foreach (var parameter in rendered.Parameters.Where(parameter => parameter.Source != ParameterSource.Default))
        {
            if (SecretPatterns.IsSecretParameterName(parameter.Name) || SecretPatterns.LooksLikeSecret(parameter.Given))
            {
                // Recorded all the same: verify passes every parameter again, and a secret it did not record it could not pass.
                run.Warnings.Add($"parameter '{parameter.Name}' looks like a secret and is recorded in the manifest, because verify passes it again; pass secrets through the environment instead (repro never records variables whose name or value looks like one)");
            }
        }

        var entryPoint = rendered.EntryPoint;
        var inputs = entryPoint?.Inputs.Select(spec => DataSpec.Input(spec) with { Store = !entryPoint.NotStored.Contains(spec) }).ToList() ?? [];
        inputs.AddRange(rendered.Parameters
            .Where(parameter => parameter.Type == ParameterType.Path)
            .Select(parameter => DataSpec.Parameter(parameter.Name, parameter.Value)));
        run.InputSpecs = inputs;
        run.OutputSpecs = entryPoint?.Outputs.Select(spec => DataSpec.Output(spec) with { Store = !entryPoint.NotStored.Contains(spec) }).ToList() ?? [];
        Fingerprinter.CheckDeclared(run.ProjectDirectory, run.OutputSpecs);
        return Task.CompletedTask;
    }
}
