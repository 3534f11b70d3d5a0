using System.Text.Json;
using System.Text.Json.Nodes;
using Repro.Core.Verification.Differences;
using static Repro.Core.Tests.Verification.Differences.TestManifests;

namespace Repro.Core.Tests.Verification.Differences;

public sealed class DifferencesJsonTests
{
    [Fact]
    public void Serialize_Diff_WritesCamelCaseWithEnumNamesAndExplicitNulls()
    {
        var b = Original().WithVariable("LANG", null).WithMetrics(("accuracy", 0.91), ("rmse", 0.4));
        var diff = ManifestDifferences.Compare(Original(), b) with { PatchDiff = PatchDiff.Create("a\n", "b\n") };

        var json = JsonNode.Parse(JsonSerializer.Serialize(diff, DifferencesJsonContext.Default.ManifestDiff))!.AsObject();

        Assert.Equal(1, json["schemaVersion"]!.GetValue<int>());
        Assert.Equal("20250301-101500-123-k3x9ab", json["runA"]!.GetValue<string>());
        Assert.False(json["identical"]!.GetValue<bool>());
        Assert.True(json["factorsDiffer"]!.GetValue<bool>());
        Assert.True(json["outcomesDiffer"]!.GetValue<bool>());
        Assert.Equal(
            """{"section":"environment","key":"environment.variables.LANG","a":"C.UTF-8","b":null,"role":"factor","summary":"LANG C.UTF-8 -\u003E (unset)","change":"removed"}""",
            json["differences"]![0]!.ToJsonString());
        var metric = json["differences"]![1]!.AsObject();
        Assert.Equal(("metrics.rmse", "outcome", 0.1, 0.2), (metric["key"]!.GetValue<string>(), metric["role"]!.GetValue<string>(), Math.Round(metric["absoluteDifference"]!.GetValue<double>(), 12), Math.Round(metric["relativeDifference"]!.GetValue<double>(), 12)));
        Assert.Equal("--- a/code.patch\n+++ b/code.patch\n@@ -1 +1 @@\n-a\n+b\n", json["patchDiff"]!["text"]!.GetValue<string>());
        Assert.False(json["patchDiff"]!["truncated"]!.GetValue<bool>());
        Assert.False(json.ContainsKey("factors"));
    }

    [Fact]
    public void Deserialize_SerializedDiff_GivesTheSameDifferences()
    {
        var diff = ManifestDifferences.Compare(Original(), Original().WithParameter("alpha", "0.2").WithMetrics(("rmse", 0.4)));

        var json = JsonSerializer.Serialize(diff, DifferencesJsonContext.Default.ManifestDiff);
        var read = JsonSerializer.Deserialize(json, DifferencesJsonContext.Default.ManifestDiff)!;

        Assert.Equal(diff.Differences, read.Differences);
        Assert.Equal((diff.RunA, diff.RunB), (read.RunA, read.RunB));
    }
}
