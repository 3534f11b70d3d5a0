using System.Text.Json;
using System.Text.Json.Nodes;
using Repro.Core.Runs;

namespace Repro.Core.Verification.Differences;

public static partial class ManifestDifferences
{
    private const string RunVariablePrefix = "REPRO_";

    private static void CompareDeterminism(DeterminismRecord a, DeterminismRecord b, DifferenceList differences)
    {
        // repro's REPRO_* variables name the run, its folder and files and its seed: they differ between any two runs
        // (the seed is compared on its own), while every other variable is a switch that can change results.
        var variablesA = DeterminismVariables(a);
        var variablesB = DeterminismVariables(b);
        foreach (var name in variablesA.Keys.Union(variablesB.Keys).Order(StringComparer.Ordinal))
        {
            var variableA = variablesA.GetValueOrDefault(name);
            var variableB = variablesB.GetValueOrDefault(name);
            var key = $"determinism.{name}";
            if (!string.Equals(variableA?.Value, variableB?.Value, StringComparison.Ordinal))
            {
                var setByDiffers = variableA is not null && variableB is not null && variableA.SetBy != variableB.SetBy;
                differences.Add(DiffSection.Determinism, key, variableA?.Value, variableB?.Value, DifferenceRole.Factor,
                    $"{name} {SetValue(variableA, setByDiffers)} -> {SetValue(variableB, setByDiffers)}");
            }
            else if (variableA is not null && variableB is not null)
            {
                differences.Add(DiffSection.Determinism, $"{key}.setBy", variableA.SetBy.Name(), variableB.SetBy.Name(), DifferenceRole.Informational,
                    $"{name} set by {variableA.SetBy.Name()} -> set by {variableB.SetBy.Name()} (same value)");
            }
        }

        differences.Value(DiffSection.Determinism, "determinism.threads", "pinned threads", Text(a.Threads), Text(b.Threads), DifferenceRole.Factor);
    }

    private static Dictionary<string, DeterminismVariable> DeterminismVariables(DeterminismRecord determinism)
    {
        var byName = new Dictionary<string, DeterminismVariable>(StringComparer.Ordinal);
        foreach (var variable in determinism.Variables)
        {
            if (!variable.Name.StartsWith(RunVariablePrefix, StringComparison.Ordinal))
            {
                byName.TryAdd(variable.Name, variable);
            }
        }

        return byName;
    }

    private static string SetValue(DeterminismVariable? variable, bool withSetter) =>
        variable is null ? DifferenceText.Unset : withSetter ? $"{variable.Value} (set by {variable.SetBy.Name()})" : variable.Value;

    /// <summary>Compares what Repro.Sdk set and read back inside the child (library versions, TF32, thread pools) leaf by leaf.</summary>
    private static void CompareSdkReports(RunManifest a, RunManifest b, DifferenceList differences)
    {
        var leavesA = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var leavesB = new SortedDictionary<string, string>(StringComparer.Ordinal);
        AddLeaves(a.Sdk, string.Empty, leavesA);
        AddLeaves(b.Sdk, string.Empty, leavesB);
        foreach (var path in leavesA.Keys.Union(leavesB.Keys).Order(StringComparer.Ordinal))
        {
            differences.Value(DiffSection.Determinism, $"determinism.sdk.{path}", $"Repro.Sdk {path}", leavesA.GetValueOrDefault(path), leavesB.GetValueOrDefault(path), DifferenceRole.Factor);
        }
    }

    private static void AddLeaves(JsonNode? node, string path, SortedDictionary<string, string> leaves)
    {
        switch (node)
        {
            case JsonObject jsonObject:
                foreach (var (name, child) in jsonObject)
                {
                    AddLeaves(child, path.Length == 0 ? name : $"{path}.{name}", leaves);
                }

                break;
            case JsonArray array:
                for (var index = 0; index < array.Count; index++)
                {
                    AddLeaves(array[index], $"{path}[{index}]", leaves);
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                leaves[path] = value.GetValue<string>();
                break;
            case not null:
                leaves[path] = node.ToJsonString();
                break;
            default:
                if (path.Length > 0)
                {
                    leaves[path] = "null";
                }

                break;
        }
    }
}
