using System.Text.Json;
using System.Text.Json.Nodes;
using Repro.Core.Capture.Results;
using Repro.Core.FileSystem;
using Repro.Core.Runs;

namespace Repro.Core.Execution;

/// <summary>
/// Prepare: writes <c>params.json</c> (the resolved parameters as one JSON object, <c>REPRO_PARAMS_FILE</c>) into the
/// run folder, and notes the metrics file's state before the child can write it.
/// </summary>
public sealed class PrepareRunFilesStage : IRunStage
{
    private readonly bool _writesParameters = true;

    /// <summary>The stage of a run.</summary>
    public PrepareRunFilesStage()
    {
    }

    /// <summary>
    /// The stage of a run whose <c>params.json</c> a later stage writes (<paramref name="writesParameters"/> false): a
    /// pipeline step's run-cache lookup, once it knows whether a child will read the file now or it only goes on record.
    /// </summary>
    internal PrepareRunFilesStage(bool writesParameters) => _writesParameters = writesParameters;

    /// <inheritdoc />
    public Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        run.MetricsFile = MetricsFile.Before(run.Command.EntryPoint?.Metrics?.File, run.ProjectDirectory, run.Folder);
        if (_writesParameters)
        {
            AtomicFile.WriteAllBytes(run.Folder.Parameters, ParametersJson(run.Command.Parameters));
        }

        return Task.CompletedTask;
    }

    /// <summary>The parameters file's content: name to the value the command received.</summary>
    public static byte[] ParametersJson(IReadOnlyList<ParameterRecord> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var node = new JsonObject();
        foreach (var parameter in parameters)
        {
            node[parameter.Name] = parameter.Value;
        }

        return JsonSerializer.SerializeToUtf8Bytes(node, ManifestJsonContext.Default.JsonObject);
    }
}
