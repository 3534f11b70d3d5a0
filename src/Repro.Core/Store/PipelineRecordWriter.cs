using System.Text.Json;
using Repro.Core.Runs;

namespace Repro.Core.Store;

/// <summary>
/// Writes <c>pipeline.json</c> straight onto a <see cref="Utf8JsonWriter"/>: the same bytes as serializing the record
/// with <see cref="ManifestJsonContext"/> and the relaxed encoder (as <see cref="RunGroupStore{TRecord}"/> does for
/// other records), which <c>PipelineRecordWriterTests</c> checks byte for byte.
/// </summary>
/// <remarks>
/// Why not the serializer: building its metadata for the record (new options, a type info per type, a converter per
/// property) took 8–12 ms of type loading and JIT on the critical path of every <c>repro pipeline</c>, more than a
/// reused step costs. Reading stays the serializer's.
/// </remarks>
internal static class PipelineRecordWriter
{
    /// <summary>The record as UTF-8 JSON bytes, with a final newline.</summary>
    /// <exception cref="JsonException">A property that may not be null is null, as the serializer reports it.</exception>
    public static byte[] Write(PipelineRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return ManifestWriter.Write(record, Record, 4 * 1024);
    }

    private static void Record(Utf8JsonWriter writer, PipelineRecord record)
    {
        writer.WriteStartObject();
        writer.WriteNumber("schemaVersion"u8, record.SchemaVersion);
        writer.WriteString("pipelineId"u8, ManifestWriter.Required(record.PipelineId, "pipelineId", typeof(PipelineRecord)));
        ManifestWriter.Word(writer, "status"u8, record.Status);
        writer.WriteString("statusMessage"u8, record.StatusMessage);

        writer.WritePropertyName("repro"u8);
        var repro = ManifestWriter.Required(record.Repro, "repro", typeof(PipelineRecord));
        writer.WriteStartObject();
        writer.WriteString("version"u8, ManifestWriter.Required(repro.Version, "version", typeof(ToolRecord)));
        writer.WriteEndObject();

        writer.WriteString("projectDirectory"u8, ManifestWriter.Required(record.ProjectDirectory, "projectDirectory", typeof(PipelineRecord)));
        writer.WritePropertyName("targets"u8);
        ManifestWriter.Strings(writer, ManifestWriter.Required(record.Targets, "targets", typeof(PipelineRecord)));

        writer.WritePropertyName("parameters"u8);
        writer.WriteStartObject();
        foreach (var (name, value) in ManifestWriter.Required(record.Parameters, "parameters", typeof(PipelineRecord)))
        {
            writer.WriteString(name, value);
        }

        writer.WriteEndObject();
        ManifestWriter.Time(writer, "startedAt"u8, record.StartedAt);
        ManifestWriter.Time(writer, "endedAt"u8, record.EndedAt);

        writer.WritePropertyName("steps"u8);
        writer.WriteStartArray();
        foreach (var step in ManifestWriter.Required(record.Steps, "steps", typeof(PipelineRecord)))
        {
            if (step is null)
            {
                writer.WriteNullValue();
                continue;
            }

            Step(writer, step);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void Step(Utf8JsonWriter writer, PipelineStepRecord step)
    {
        writer.WriteStartObject();
        writer.WriteString("name"u8, ManifestWriter.Required(step.Name, "name", typeof(PipelineStepRecord)));
        writer.WritePropertyName("upstream"u8);
        ManifestWriter.Strings(writer, ManifestWriter.Required(step.Upstream, "upstream", typeof(PipelineStepRecord)));
        ManifestWriter.Word(writer, "state"u8, step.State);
        writer.WriteString("reason"u8, ManifestWriter.Required(step.Reason, "reason", typeof(PipelineStepRecord)));
        writer.WriteString("runId"u8, step.RunId);
        writer.WriteString("reusedFrom"u8, step.ReusedFrom);
        if (step.Status is { } status)
        {
            ManifestWriter.Word(writer, "status"u8, status);
        }
        else
        {
            writer.WriteNull("status"u8);
        }

        writer.WriteEndObject();
    }
}
