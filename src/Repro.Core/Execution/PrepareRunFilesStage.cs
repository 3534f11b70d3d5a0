using System.Buffers;
using System.Text.Json;
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
    /// <remarks>
    /// Written straight onto a <see cref="Utf8JsonWriter"/> with the default encoder and indentation: the bytes a
    /// <see cref="System.Text.Json.Nodes.JsonObject"/> of the parameters gave through <see cref="ManifestJsonContext"/>,
    /// without loading the context, the node types and their converters on every run (PrepareRunFilesStageTests
    /// compares the two). A name given twice keeps its first place and its last value, as the object's indexer did.
    /// </remarks>
    public static byte[] ParametersJson(IReadOnlyList<ParameterRecord> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, MaxDepth = 64, SkipValidation = true }))
        {
            writer.WriteStartObject();
            for (var i = 0; i < parameters.Count; i++)
            {
                var name = parameters[i].Name;
                if (IndexOf(parameters, name) < i)
                {
                    continue;
                }

                var value = parameters[i].Value;
                for (var later = i + 1; later < parameters.Count; later++)
                {
                    if (string.Equals(parameters[later].Name, name, StringComparison.Ordinal))
                    {
                        value = parameters[later].Value;
                    }
                }

                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static int IndexOf(IReadOnlyList<ParameterRecord> parameters, string name)
    {
        for (var i = 0; i < parameters.Count; i++)
        {
            if (string.Equals(parameters[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
