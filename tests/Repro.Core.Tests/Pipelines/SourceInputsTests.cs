using Repro.Core.Capture.Data;
using Repro.Core.Pipelines;

namespace Repro.Core.Tests.Pipelines;

/// <summary>Which inputs of a pipeline's steps are looked up ahead of their turn: those no step of it writes.</summary>
public sealed class SourceInputsTests
{
    [Fact]
    public void SourceInputs_ChainedSteps_KeepEachStepsSourceDataAndLeaveUpstreamOutputsAndPathParametersOut()
    {
        var steps = new List<PipelineService.StepData>
        {
            new("/p", [DataSpec.Input("data/s00")], [DataSpec.Output("out/s00")]),
            new("/p", [DataSpec.Input("data/s01"), DataSpec.Input("out/s00/model.bin"), DataSpec.Parameter("extra", "data/extra.txt")], [DataSpec.Output("out/s01")]),
            new("/p", [DataSpec.Input("out/**/*.bin"), DataSpec.Input("out"), DataSpec.Input("config.yaml")], [DataSpec.Output("reports")]),
        };

        var sources = PipelineService.SourceInputs(steps);

        Assert.Equal(["data/s00"], sources[0].Inputs.Select(spec => spec.Spec));
        Assert.Equal(["data/s01"], sources[1].Inputs.Select(spec => spec.Spec));
        Assert.Equal(["config.yaml"], sources[2].Inputs.Select(spec => spec.Spec));
        Assert.All(sources, source => Assert.Equal("/p", source.ProjectDirectory));
    }
}
