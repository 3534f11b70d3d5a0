using System.Text.Json.Serialization;

namespace Repro.Core.Verification.Differences;

/// <summary>Source-generated JSON metadata for <see cref="ManifestDiff"/>: camelCase, indented, absent values written as null.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(ManifestDiff))]
public sealed partial class DifferencesJsonContext : JsonSerializerContext;
