namespace Repro.Core.Execution;

/// <summary>The stages of <c>repro run</c>, in order. A new stage is a class implementing <see cref="IRunStage"/>, put in its place here.</summary>
public static class RunStages
{
    /// <summary>
    /// The resolve stages: they read the project and the request and write nothing but what the run needs in order to
    /// be resolved at all (a project URI fetched into the cache and copied into the store's <c>work/</c> folder, removed
    /// again if the run does not start; a python_env environment built in the cache; when only planning, neither), so
    /// <c>repro run --dry-run</c> runs exactly these and shows what they found. A stage that writes nothing and must run before the run folder exists
    /// belongs here.
    /// <list type="number">
    /// <item><see cref="ResolveProjectStage"/>: the project directory and its MLproject file.</item>
    /// <item><see cref="EnvironmentManagerStage"/>: how the declared environment is provided.</item>
    /// <item><see cref="RenderCommandStage"/>: parameters, the command, the MLproject's warnings, and the declared inputs and outputs.</item>
    /// <item><see cref="ChooseSeedStage"/>: the seed.</item>
    /// <item><see cref="ChooseAutoSeedStage"/>: whether the Python hook seeds the run, and the switches it needs.</item>
    /// <item><see cref="PythonEnvironmentStage"/>: the virtual environment of a python_env, built or reused (last, so bad input is found before pip runs).</item>
    /// </list>
    /// </summary>
    public static IReadOnlyList<IRunStage> Resolve { get; } =
    [
        new ResolveProjectStage(),
        new EnvironmentManagerStage(),
        new RenderCommandStage(),
        new ChooseSeedStage(),
        new ChooseAutoSeedStage(),
        new PythonEnvironmentStage(),
    ];

    /// <summary>
    /// Resolve (<see cref="Resolve"/>, nothing written yet), prepare, capture, start, execute, collect, record:
    /// <list type="number">
    /// <item>The <see cref="Resolve"/> stages.</item>
    /// <item><see cref="CreateRunFolderStage"/>: the store and the run's folder.</item>
    /// <item><see cref="PrepareRunFilesStage"/>: <c>params.json</c>, and the metrics file's state before the run.</item>
    /// <item><see cref="CaptureStage"/>: code, environment and inputs.</item>
    /// <item><see cref="PreparePythonHookStage"/>: the Python hook in the store, first on the child's PYTHONPATH.</item>
    /// <item><see cref="StartStage"/>: the child's environment, and the RUNNING manifest.</item>
    /// <item><see cref="ExecuteStage"/>: the command, through the run's backend.</item>
    /// <item><see cref="ReadSdkReportStage"/>: what Repro.Sdk reported from inside the child.</item>
    /// <item><see cref="ReadPythonReportStage"/>: what the Python hook reported from each Python process.</item>
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
        new PreparePythonHookStage(),
        new StartStage(),
        new ExecuteStage(),
        new ReadSdkReportStage(),
        new ReadPythonReportStage(),
        new FingerprintOutputsStage(),
        new ReadMetricsStage(),
        new RecordStage(),
    ];
}
