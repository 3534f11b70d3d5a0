using System.Text.Json;
using Json.Schema;

namespace Repro.Cli.IntegrationTests.Fixtures;

/// <summary>Validates manifests against docs/run-manifest.schema.json, the schema we publish.</summary>
public static class ManifestSchema
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "run-manifest.schema.json"))));

    /// <summary>Fails the test with every violation when <paramref name="manifestPath"/> does not match the schema.</summary>
    public static void AssertValid(string manifestPath)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(manifestPath));
        var results = Schema.Value.Evaluate(document.RootElement, new EvaluationOptions
        {
            OutputFormat = OutputFormat.List,
            RequireFormatValidation = true,
        });
        if (!results.IsValid)
        {
            var errors = (results.Details ?? [])
                .Where(detail => detail.Errors is { Count: > 0 })
                .SelectMany(detail => detail.Errors!.Select(error => $"{detail.InstanceLocation}: {error.Key}: {error.Value}"));
            Assert.Fail($"{manifestPath} does not match the schema:\n{string.Join('\n', errors)}");
        }
    }
}
