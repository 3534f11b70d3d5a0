using Repro.Core.Runs;
using Repro.Core.Verification.Differences;
using static Repro.Core.Tests.Verification.Differences.TestManifests;

namespace Repro.Core.Tests.Verification.Differences;

public sealed class ManifestDiffTextTests
{
    [Fact]
    public void Render_NothingDiffers_SaysIdentical() =>
        Assert.Equal(
            "A: 20250301-101500-123-k3x9ab\nB: 20250301-101500-123-k3x9ab\nidentical\n",
            ManifestDiffText.Render(ManifestDifferences.Compare(Original(), Original())));

    [Fact]
    public void Render_Differences_PrintsSectionsWithAlignedKeyValueLines()
    {
        var b = Original()
            .WithParameter("alpha", "0.2")
            .WithEnvironment(env => env with { Dotnet = env.Dotnet with { Runtime = "10.0.12" }, Hostname = "gpu-box-2" })
            .WithMetrics(("accuracy", 0.91), ("rmse", 0.4))
            with { Outputs = [] };

        var text = ManifestDiffText.Render(ManifestDifferences.Compare(Original(), b));

        Assert.Equal(
            """
            A: 20250301-101500-123-k3x9ab
            B: 20250301-101500-123-k3x9ab
            5 differences: 2 factors, 2 outcomes, 1 informational

            Parameters
              parameters.alpha:           0.1 -> 0.2

            Environment
              environment.dotnet.runtime: 10.0.1 -> 10.0.12
              environment.hostname:       gpu-box-1 -> gpu-box-2  (not a factor)

            Outputs
              outputs.model.bin:          333333333333 -> (absent)

            Metrics
              metrics.rmse:               0.5 -> 0.4  (abs 0.1, rel 20%)

            """,
            text);
    }

    [Fact]
    public void Render_ManyDifferencesInASection_ShowsTheFirstAndCountsTheRest()
    {
        var files = Enumerable.Range(0, 8).Select(index => new FileRecord($"data/part-{index}.csv", 10, Hash('a'))).ToArray();
        var b = Original() with { Inputs = [Data("data", DataOrigin.Inputs, files)] };

        var text = ManifestDiffText.Render(ManifestDifferences.Compare(Original(), b), maxItemsPerSection: 3);

        var inputLines = text.Split('\n').Where(line => line.StartsWith("  inputs.", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, inputLines.Count);
        Assert.Contains("  ... 7 more not shown\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_PatchDiffAttached_AppendsItWithANoteWhenCut()
    {
        var diff = ManifestDifferences.Compare(Original(), Original().WithGit(git => git with { Patch = new StoredFileRecord("code.patch", Hash('a'), 10) })) with
        {
            PatchDiff = PatchDiff.Create("a\nb\nc\n", "a\nB\nc\n", maxLines: 4),
        };

        var text = ManifestDiffText.Render(diff);

        Assert.EndsWith(
            "\nPatch diff\n--- a/code.patch\n+++ b/code.patch\n@@ -1,3 +1,3 @@\n a\n... 3 more lines of the patch diff not shown\n",
            text,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ValueWithLineBreaks_StaysOnOneLine()
    {
        var b = Original() with { Command = Original().Command with { Rendered = "python train.py\necho done" } };

        var text = ManifestDiffText.Render(ManifestDifferences.Compare(Original(), b));

        Assert.Contains("-> python train.py\\necho done\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderLikelyCauses_ResultsAndFactorsDiffer_NamesTheFactorsAsLikelyCauses()
    {
        var b = Original()
            .WithEnvironment(env => env with { Dotnet = env.Dotnet with { Runtime = "10.0.12" }, Cpu = env.Cpu with { VectorIsa = ["sse4.2", "avx", "avx2", "fma"] } })
            .WithDeterminismVariable("PYTHONHASHSEED", null)
            .WithMetrics(("accuracy", 0.9), ("rmse", 0.5));

        Assert.Equal(
            """
            Results differ. Recorded factors that differ, the likely causes:
              - CPU vector ISA lost avx512f
              - .NET runtime 10.0.1 -> 10.0.12
              - PYTHONHASHSEED 42 -> (unset)

            """,
            ManifestDiffText.RenderLikelyCauses(ManifestDifferences.Compare(Original(), b)));
    }

    [Fact]
    public void RenderLikelyCauses_ResultsDifferWithoutAnyFactor_BlamesUnrecordedNondeterminism()
    {
        var text = ManifestDiffText.RenderLikelyCauses(ManifestDifferences.Compare(Original(), Original().WithMetrics(("accuracy", 0.9))));

        Assert.StartsWith("Results differ, but no recorded factor does", text, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderLikelyCauses_FactorsDifferButResultsMatch_SaysSo()
    {
        var text = ManifestDiffText.RenderLikelyCauses(ManifestDifferences.Compare(Original(), Original().WithEnvironment(env => env with { CudaVersion = "12.2" })));

        Assert.Equal("Results match, although these recorded factors differ:\n  - CUDA 12.4 -> 12.2\n", text);
    }

    [Fact]
    public void RenderLikelyCauses_OnlyInformationalDifferences_SaysNoFactorDiffers() =>
        Assert.Equal("No recorded factor differs.\n", ManifestDiffText.RenderLikelyCauses(ManifestDifferences.Compare(Original(), TestManifests.Verification())));
}
