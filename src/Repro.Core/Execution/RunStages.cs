namespace Repro.Core.Execution;

/// <summary>The stages of <c>repro run</c>, in order. A new stage is a class implementing <see cref="IRunStage"/>, put in its place here.</summary>
public static class RunStages
{
    /// <summary>
    /// The resolve stages: they read the project and the request and write nothing, so <c>repro run --dry-run</c> runs
    /// exactly these and shows what they found. A stage that writes nothing and must run before the run folder exists
    /// belongs here.
    /// <list type="number">
    /// <item><see cref="ResolveProjectStage"/>: the project directory and its MLproject file.</item>
    /// <item><see cref="EnvironmentManagerStage"/>: how the declared environment is provided.</item>
    /// <item><see cref="RenderCommandStage"/>: parameters, the command, the MLproject's warnings, and the declared inputs and outputs.</item>
    /// <item><see cref="ChooseSeedStage"/>: the seed.</item>
    /// </list>
    /// </summary>
    public static IReadOnlyList<IRunStage> Resolve { get; } =
    [
        new ResolveProjectStage(),
        new EnvironmentManagerStage(),
        new RenderCommandStage(),
        new ChooseSeedStage(),
    ];

    /// <summary>
    /// Resolve (<see cref="Resolve"/>, nothing written yet), prepare, capture, start, execute, collect, record:
    /// <list type="number">
    /// <item>The <see cref="Resolve"/> stages.</item>
    /// <item><see cref="CreateRunFolderStage"/>: the store and the run's folder.</item>
    /// <item><see cref="PrepareRunFilesStage"/>: <c>params.json</c>, and the metrics file's state before the run.</item>
    /// <item><see cref="CaptureStage"/>: code, environment and inputs.</item>
    /// <item><see cref="StartStage"/>: the child's environment, and the RUNNING manifest.</item>
    /// <item><see cref="ExecuteStage"/>: the command, through the run's backend.</item>
    /// <item><see cref="ReadSdkReportStage"/>: what Repro.Sdk reported from inside the child.</item>
    /// <item><see cref="FingerprintOutputsStage"/>: the declared outputs.</item>
    /// <item><see cref="ReadMetricsStage"/>: the metrics the entry point wrote.</item>
    /// <item><see cref="RecordStage"/>: the final status and manifest.</item>
    /// </list>
    /// </summary>
    public static IReadOnlyList<IRunStage> Default { get; } =
    [
        .. Resolve,
        new CreateRunFolderStage(),
        new PrepareRunFilesStage(),
        new CaptureStage(),
        new StartStage(),
        new ExecuteStage(),
        new ReadSdkReportStage(),
        new FingerprintOutputsStage(),
        new ReadMetricsStage(),
        new RecordStage(),
    ];
}
