using Repro.Core.Errors;
using Repro.Core.Pipelines;
using Repro.Core.Projects;
using Repro.Core.Tests.Projects;

namespace Repro.Core.Tests.Pipelines;

public sealed class PipelineGraphTests
{
    private const string ThreeSteps = """
        entry_points:
          evaluate:
            command: "echo eval"
            inputs: [models/model.bin, data/test]
            outputs: [reports/eval.json]
          prepare:
            command: "echo prep"
            inputs: [raw.csv]
            outputs: [data]
          train:
            command: "echo train"
            inputs: ["data/train/*.csv"]
            outputs: [models]
          lint:
            command: "echo lint"
        """;

    [Fact]
    public void Build_InputsInsideOutputsAndGlobs_OrdersStepsAfterTheirWriters()
    {
        using var project = new TempProject().WithMLproject(ThreeSteps);
        var graph = PipelineGraph.Build(project.Project);

        Assert.Equal(["prepare", "train", "evaluate"], graph.Plan(["evaluate"]));
        Assert.Equal(["prepare"], graph.UpstreamOf("train").Select(edge => edge.Upstream));
        Assert.Contains("input 'data/train/*.csv' is written by output 'data' of prepare", graph.UpstreamOf("train")[0].Reason, StringComparison.Ordinal);
        Assert.Equal(["prepare", "train"], graph.UpstreamOf("evaluate").Select(edge => edge.Upstream).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void DefaultTargets_AreStepsWithDataThatNothingDependsOn()
    {
        using var project = new TempProject().WithMLproject(ThreeSteps);

        Assert.Equal(["evaluate"], PipelineGraph.Build(project.Project).DefaultTargets);
    }

    [Fact]
    public void Plan_TargetInTheMiddle_RunsOnlyItsUpstream()
    {
        using var project = new TempProject().WithMLproject(ThreeSteps);

        Assert.Equal(["prepare", "train"], PipelineGraph.Build(project.Project).Plan(["train"]));
    }

    [Fact]
    public void Build_Needs_AddsAnEdgeWithoutData()
    {
        using var project = new TempProject().WithMLproject("""
            entry_points:
              report:
                command: "echo report"
                needs: [setup]
              setup:
                command: "echo setup"
            """);
        var graph = PipelineGraph.Build(project.Project);

        Assert.Equal(["setup", "report"], graph.Plan(["report"]));
        Assert.Equal("needs: setup", graph.UpstreamOf("report").Single().Reason);
        Assert.Equal(["report"], graph.DefaultTargets);
    }

    [Fact]
    public void Build_NeedsAnUnknownEntryPoint_FailsAtTheName()
    {
        using var project = new TempProject().WithMLproject("""
            entry_points:
              report:
                command: "echo report"
                needs: [setup, trian]
              setup:
                command: "echo setup"
            """);

        var error = Assert.Throws<InputException>(() => PipelineGraph.Build(project.Project));

        Assert.Equal(new SourceLocation(project.MLprojectPath, 4, 20), error.Location);
        Assert.Contains("entry point 'report' needs 'trian', which is not an entry point of this project", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_TwoEntryPointsWritingOneOutput_FailsAtTheSecond()
    {
        using var project = new TempProject().WithMLproject("""
            entry_points:
              a:
                command: "echo a"
                outputs: [out/model.bin]
              b:
                command: "echo b"
                outputs: [logs, ./out/model.bin]
            """);

        var error = Assert.Throws<InputException>(() => PipelineGraph.Build(project.Project));

        Assert.Equal(new SourceLocation(project.MLprojectPath, 7, 21), error.Location);
        Assert.Contains("is also an output of entry point 'a'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_Cycle_FailsAtAnEntryPointNamingTheLoopAndWhy()
    {
        using var project = new TempProject().WithMLproject("""
            entry_points:
              a:
                command: "echo a"
                inputs: [b.txt]
                outputs: [a.txt]
              b:
                command: "echo b"
                needs: [a]
                outputs: [b.txt]
            """);

        var error = Assert.Throws<InputException>(() => PipelineGraph.Build(project.Project));

        Assert.NotNull(error.Location);
        Assert.Contains("cycle: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("needs: a", error.Message, StringComparison.Ordinal);
        Assert.Contains("input 'b.txt' is written by output 'b.txt' of b", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_EntryPointNeedingItself_IsACycle()
    {
        using var project = new TempProject().WithMLproject("""
            entry_points:
              a:
                command: "echo a"
                needs: [a]
            """);

        var error = Assert.Throws<InputException>(() => PipelineGraph.Build(project.Project));

        Assert.Contains("a -> a", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NeedsAndCode_AreReadWithoutWarnings()
    {
        using var project = new TempProject().WithMLproject("""
            entry_points:
              a:
                command: "echo a"
                needs: [b]
                code: [src, "*.py"]
              b:
                command: "echo b"
            """);

        var entry = project.Project.EntryPoints["a"];

        Assert.Empty(entry.Diagnostics);
        Assert.Equal(["b"], entry.Needs.Select(need => need.Name));
        Assert.Equal(["src", "*.py"], entry.Code);
        Assert.Null(project.Project.EntryPoints["b"].Code);
    }

    [Fact]
    public void Load_NeedsNotAList_FailsAtTheValue()
    {
        using var project = new TempProject().WithMLproject("""
            entry_points:
              a:
                command: "echo a"
                needs: {b: 1}
            """);

        var error = project.Load().Project.BrokenEntryPoints["a"];

        Assert.Equal(new SourceLocation(project.MLprojectPath, 4, 12), error.Location);
        Assert.Contains("'needs' of entry point 'a'", error.Message, StringComparison.Ordinal);
    }
}
