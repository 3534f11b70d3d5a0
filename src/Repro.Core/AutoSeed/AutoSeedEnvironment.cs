using System.Globalization;

namespace Repro.Core.AutoSeed;

/// <summary>One variable the Python hook needs in the child's environment, with why and on whose word.</summary>
/// <param name="Name">Variable name.</param>
/// <param name="Value">Its value.</param>
/// <param name="Reason">Why it must be there before the child starts.</param>
/// <param name="Source">The document that asks for it (a URL), or <c>repro</c> for repro's own variables.</param>
public sealed record AutoSeedVariable(string Name, string Value, string Reason, string Source);

/// <summary>
/// The environment the Python hook reads and the variables that must exist before the child starts. The hook's own
/// configuration comes from <see cref="HookVariables"/> (always set, like the run variables) and the run's seed from
/// <c>REPRO_SEED</c>, which the child environment already carries; <see cref="Switches"/> are left alone when the user
/// or the MLproject set them, like the other determinism switches. <c>PYTHONHASHSEED</c>,
/// <c>CUBLAS_WORKSPACE_CONFIG</c>, <c>TF_DETERMINISTIC_OPS</c> and <c>TF_CUDNN_DETERMINISTIC</c> are set for every
/// run already and are not repeated here.
/// </summary>
public static class AutoSeedEnvironment
{
    /// <summary>The run's seed, a whole number from 0 to 4294967295; the hook seeds nothing without it.</summary>
    public const string SeedVariable = "REPRO_SEED";

    /// <summary>The file each Python process appends its JSON line to; no report is written when it is unset.</summary>
    public const string ReportVariable = "REPRO_AUTOSEED_REPORT";

    /// <summary>
    /// Set to <c>1</c> by the first Python process of a process tree once it has printed its one stderr line, so that
    /// the processes it starts stay quiet. repro removes it from the child's environment, so that a run started from
    /// inside another run's child announces itself.
    /// </summary>
    public const string AnnouncedVariable = "REPRO_AUTOSEED_ANNOUNCED";

    /// <summary>Where Python looks for <c>sitecustomize</c> first.</summary>
    public const string PythonPathVariable = "PYTHONPATH";

    /// <summary>PyTorch Lightning's global seed, which <see cref="Switches"/> sets to the run's seed.</summary>
    public const string LightningSeedVariable = "PL_GLOBAL_SEED";

    /// <summary>Variables that must not reach the child from repro's own environment.</summary>
    public static readonly IReadOnlyList<string> VariablesToClear = [AnnouncedVariable];

    private const string LightningSeedSource = "https://lightning.ai/docs/fabric/stable/_modules/lightning/fabric/utilities/seed.html";

    /// <summary>
    /// The variables that switch the hook on: always set, over any inherited value, because they describe this run.
    /// </summary>
    /// <param name="hook">The hook folder of this run.</param>
    /// <param name="reportFile">Absolute path of the JSON-lines report the hook appends to.</param>
    /// <param name="inheritedPythonPath">The child's <c>PYTHONPATH</c> without the hook (the user's or the MLproject's), or null.</param>
    public static IReadOnlyList<AutoSeedVariable> HookVariables(PythonHookFolder hook, string reportFile, string? inheritedPythonPath)
    {
        ArgumentNullException.ThrowIfNull(hook);
        ArgumentException.ThrowIfNullOrEmpty(reportFile);
        return
        [
            new(PythonPathVariable, PythonHook.PythonPath(hook.Path, inheritedPythonPath),
                "puts repro's sitecustomize first, so every Python process of the run seeds its generators at start-up; what was on PYTHONPATH stays after it", "repro"),
            new(ReportVariable, reportFile, "where each Python process appends one JSON line saying what it seeded and read back", "repro"),
        ];
    }

    /// <summary>
    /// Switches for libraries that seed themselves from the environment: set before the child starts unless the user
    /// or the MLproject set them (then kept and recorded as theirs).
    /// </summary>
    /// <param name="seed">The run's seed.</param>
    public static IReadOnlyList<AutoSeedVariable> Switches(long seed) =>
    [
        new(LightningSeedVariable, seed.ToString(CultureInfo.InvariantCulture),
            "PyTorch Lightning's seed_everything() without a seed, and reset_seed() in the processes its DDP strategies start, seed torch, numpy and random from it",
            LightningSeedSource),
        new("PL_SEED_WORKERS", "1",
            "PyTorch Lightning then gives every DataLoader without a worker_init_fn its pl_worker_init_function, which seeds each worker from the global seed, worker id and rank",
            LightningSeedSource),
    ];
}
