using System.Text.Json.Serialization;

namespace Repro.Core.Runs;

/// <summary>Source-generated JSON metadata for the run manifest: camelCase, indented, nulls written as "unknown".</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(RunManifest))]
[JsonSerializable(typeof(PipelineRecord))]
[JsonSerializable(typeof(PipelineStepRecord[]))]
[JsonSerializable(typeof(PipelineRecord[]))]
[JsonSerializable(typeof(SweepRecord))]
public sealed partial class ManifestJsonContext : JsonSerializerContext;
