using Repro.Core.Execution;
using Repro.Core.Projects;
using Repro.Core.Runs;

namespace Repro.Core.Pipelines;

/// <summary>Everything <c>repro pipeline</c> was asked to do.</summary>
public sealed record PipelineRequest
{
    /// <summary>What every step's run shares: project, store, environment, echo streams; its entry point and parameters are set per step.</summary>
    public required RunRequest Run { get; init; }

    /// <summary>The targets (<c>-e</c>); empty for the default targets.</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];

    /// <summary>Execute every step whatever the run cache holds.</summary>
    public bool Force { get; init; }

    /// <summary>Execute these steps whatever the run cache holds.</summary>
    public IReadOnlyList<string> ForceSteps { get; init; } = [];

    /// <summary>How many independent steps may run at once (<c>-j</c>); their output is then prefixed with the step's name.</summary>
    public int Jobs { get; init; } = 1;

    /// <summary>Called when a step is about to run (or be reused), and when it ended; null for nobody.</summary>
    public Action<PipelineStepRecord>? StepChanged { get; init; }
}

/// <summary>A step of a pipeline as planned: its entry point, its parameters and what it depends on.</summary>
/// <param name="Name">The entry point.</param>
/// <param name="Parameters">The <c>-P</c> values this step declares.</param>
/// <param name="Upstream">What it depends on directly, with why.</param>
public sealed record PlannedStep(string Name, GivenParameters Parameters, IReadOnlyList<PipelineEdge> Upstream);

/// <summary>The plan <c>repro pipeline --dry-run</c> shows.</summary>
/// <param name="Steps">Each step, upstream first, with what would happen and why.</param>
public sealed record PipelinePlan(IReadOnlyList<PipelineStepRecord> Steps);

/// <summary>How a pipeline ended.</summary>
/// <param name="Record">The final record.</param>
/// <param name="RecordPath">Where it is stored.</param>
public sealed record PipelineOutcome(PipelineRecord Record, string RecordPath);
