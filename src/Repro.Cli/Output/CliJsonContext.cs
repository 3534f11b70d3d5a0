using System.Text.Json.Serialization;
using Repro.Core.Checkout;
using Repro.Core.Pipelines;
using Repro.Core.Remotes;
using Repro.Core.Store;

namespace Repro.Cli.Output;

/// <summary>Source-generated JSON for the CLI's own reports.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(RunResultJson))]
[JsonSerializable(typeof(IReadOnlyList<RunSummary>))]
[JsonSerializable(typeof(VerifyResultJson))]
[JsonSerializable(typeof(PipelineVerifyResultJson))]
[JsonSerializable(typeof(CheckResultJson))]
[JsonSerializable(typeof(DryRunJson))]
[JsonSerializable(typeof(UnfetchedDryRunJson))]
[JsonSerializable(typeof(DataCheckoutResult))]
[JsonSerializable(typeof(TransferResult))]
[JsonSerializable(typeof(IReadOnlyList<RemoteJson>))]
[JsonSerializable(typeof(PipelineStatusResult))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
