using System.Text.Json.Nodes;
using Repro.Core.Json;
using Repro.Core.Runs;

namespace Repro.Core.Capture.Results;

/// <summary>
/// The report Repro.Sdk writes into the run folder from inside the child (<see cref="RunFolder.SdkReportFileName"/>):
/// what it seeded and set, and what it read back. repro merges it into the manifest's <c>sdk</c> section as it is.
/// </summary>
public static class SdkReport
{
    /// <summary>Reads the report of the run in <paramref name="folder"/>.</summary>
    /// <param name="folder">The run folder.</param>
    /// <param name="warnings">Receives one line when the report exists but cannot be read.</param>
    /// <returns>The report, or null when the child did not use Repro.Sdk (no report) or the report is unreadable.</returns>
    public static JsonObject? Read(RunFolder folder, ICollection<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(warnings);
        if (!File.Exists(folder.SdkReport))
        {
            return null;
        }

        string problem;
        try
        {
            if (ToNode(ProgramJson.Parse(File.ReadAllBytes(folder.SdkReport))) is JsonObject report)
            {
                return report;
            }

            problem = "not a JSON object";
        }
        catch (JsonSyntaxException exception)
        {
            problem = exception.Describe();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            problem = exception.Message;
        }

        warnings.Add($"the Repro.Sdk report {RunFolder.SdkReportFileName} could not be read ({problem}): not merged");
        return null;
    }

    /// <summary>
    /// The value as a <see cref="JsonNode"/>: numbers keep their spelling; NaN and the infinities become the strings
    /// the manifest uses for them everywhere else.
    /// </summary>
    internal static JsonNode? ToNode(JsonTree value)
    {
        switch (value.Kind)
        {
            case JsonKind.Object:
                var members = new JsonObject();
                foreach (var key in value.Keys)
                {
                    members[key] = ToNode(value.Members[key]);
                }

                return members;
            case JsonKind.Array:
                var items = new JsonArray();
                foreach (var item in value.Items)
                {
                    items.Add(ToNode(item));
                }

                return items;
            case JsonKind.String:
                return JsonValue.Create(value.Text);
            case JsonKind.Number:
                return double.IsFinite(value.Number) ? JsonNode.Parse(value.Text) : JsonValue.Create(value.Text);
            case JsonKind.Boolean:
                return JsonValue.Create(value.Text == "true");
            default:
                return null;
        }
    }
}
