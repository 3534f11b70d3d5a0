using System.Globalization;
using Repro.Core.Runs;

namespace Repro.Core.Execution;

/// <summary>What the runner knows when it builds the child's environment.</summary>
/// <param name="RunId">The run id.</param>
/// <param name="RunDirectory">The run folder (absolute).</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="ParametersFile">The JSON file of resolved parameters.</param>
/// <param name="MetricsFile">Where the entry point writes its metrics.</param>
/// <param name="CommitTime">Committer time of HEAD, which becomes SOURCE_DATE_EPOCH.</param>
/// <param name="Threads">Thread count pinned with --threads.</param>
/// <param name="ProjectVariables">The entry point's <c>env:</c> from the MLproject file.</param>
public sealed record ChildEnvironmentInputs(
    string RunId,
    string RunDirectory,
    uint Seed,
    string ParametersFile,
    string MetricsFile,
    DateTimeOffset? CommitTime,
    int? Threads,
    IReadOnlyDictionary<string, string> ProjectVariables)
{
    /// <summary>
    /// Switches beyond repro's own that a stage needs in place before the child starts (a library's seed variable,
    /// for one); treated like repro's: set unless the user or the project already set them, and recorded either way.
    /// </summary>
    public IReadOnlyList<DeterminismSwitch> AdditionalSwitches { get; init; } = [];

    /// <summary>
    /// Variables beyond the run variables that a stage sets over everything, as the run variables are (the Python
    /// hook's folder on <c>PYTHONPATH</c>, its report file): they describe this run, so they are recorded as set by
    /// repro, and a verification computes them afresh instead of replaying the recorded values.
    /// </summary>
    public IReadOnlyList<DeterminismSwitch> AdditionalRunVariables { get; init; } = [];
}

/// <summary>A variable that must be in the child's environment before it starts.</summary>
/// <param name="Name">Variable name.</param>
/// <param name="Value">The value repro sets when nobody set it already.</param>
/// <param name="Reason">Why it must exist before the child starts, for the manifest.</param>
public sealed record DeterminismSwitch(string Name, string Value, string Reason);

/// <summary>The child's environment and the record of every determinism variable in it.</summary>
/// <param name="Variables">The complete environment of the child.</param>
/// <param name="Determinism">What repro set (or found set) and why.</param>
public sealed record ChildEnvironment(IReadOnlyDictionary<string, string> Variables, IReadOnlyList<DeterminismVariable> Determinism);

/// <summary>
/// Builds the child's environment. Everything here must exist before the child starts: PYTHONHASHSEED is read once at
/// interpreter start, cuBLAS reads its workspace setting when a handle is created, OpenMP sizes its pool at load.
/// </summary>
public static class ChildEnvironmentBuilder
{
    /// <summary>Variables that describe the run. They are always set, even over inherited values, so that a run started
    /// from inside another run's child describes itself and not its parent.</summary>
    public static readonly IReadOnlyList<string> RunVariableNames = ["REPRO_RUN_ID", "REPRO_RUN_DIR", "REPRO_SEED", "REPRO_PARAMS_FILE", "REPRO_METRICS_FILE"];

    /// <summary>
    /// The child's environment: the inherited one, then the MLproject's <c>env:</c>, then the determinism switches
    /// (left alone where the user or the project already set them, and recorded as user-set), then the run variables
    /// and the stages' additional run variables.
    /// </summary>
    /// <param name="inputs">Facts about the run.</param>
    /// <param name="inherited">repro's own environment.</param>
    /// <param name="replay">For verification: the switches recorded by the original run, applied exactly, whatever is inherited now.</param>
    public static ChildEnvironment Build(ChildEnvironmentInputs inputs, IReadOnlyDictionary<string, string> inherited, IReadOnlyList<DeterminismVariable>? replay = null)
    {
        var environment = new Dictionary<string, string>(inherited, StringComparer.Ordinal);
        foreach (var (name, value) in inputs.ProjectVariables)
        {
            environment[name] = value;
        }

        var determinism = new List<DeterminismVariable>();
        // Records and plain loops, not LINQ over (name, value, reason) tuples: generic code over a value tuple is left
        // to the JIT by ReadyToRun, and every run builds this environment before its child starts.
        DeterminismSwitch[] runVariables =
        [
            new("REPRO_RUN_ID", inputs.RunId, "the run's id, for the entry point and Repro.Sdk"),
            new("REPRO_RUN_DIR", inputs.RunDirectory, "the run folder, where Repro.Sdk writes its report"),
            new("REPRO_SEED", inputs.Seed.ToString(CultureInfo.InvariantCulture), "the run's seed, for the entry point to seed every generator from"),
            new("REPRO_PARAMS_FILE", inputs.ParametersFile, "JSON object of the resolved parameters"),
            new("REPRO_METRICS_FILE", inputs.MetricsFile, "where the entry point writes its metrics (JSON object of name to number)"),
        ];

        if (replay is not null)
        {
            var afresh = new HashSet<string>(RunVariableNames, StringComparer.Ordinal);
            foreach (var variable in inputs.AdditionalRunVariables)
            {
                afresh.Add(variable.Name);
            }

            foreach (var recorded in replay)
            {
                if (!afresh.Contains(recorded.Name))
                {
                    environment[recorded.Name] = recorded.Value;
                    determinism.Add(recorded);
                }
            }
        }
        else
        {
            var switches = Switches(inputs);
            switches.AddRange(inputs.AdditionalSwitches);
            foreach (var (name, value, reason) in switches)
            {
                if (environment.TryGetValue(name, out var existing))
                {
                    determinism.Add(new DeterminismVariable(name, existing, inputs.ProjectVariables.ContainsKey(name) ? VariableSetter.MLproject : VariableSetter.User, reason));
                }
                else
                {
                    environment[name] = value;
                    determinism.Add(new DeterminismVariable(name, value, VariableSetter.Repro, reason));
                }
            }
        }

        foreach (var (name, value, reason) in (List<DeterminismSwitch>)[.. runVariables, .. inputs.AdditionalRunVariables])
        {
            environment[name] = value;
            determinism.Add(new DeterminismVariable(name, value, VariableSetter.Repro, reason));
        }

        return new ChildEnvironment(environment, determinism);
    }

    private static List<DeterminismSwitch> Switches(ChildEnvironmentInputs inputs)
    {
        var switches = new List<DeterminismSwitch>();
        switches.Add(new("PYTHONHASHSEED", inputs.Seed.ToString(CultureInfo.InvariantCulture), "Python salts str/bytes hashes at interpreter start; set/dict iteration order depends on it"));
        switches.Add(new("CUBLAS_WORKSPACE_CONFIG", ":4096:8", "cuBLAS picks non-deterministic reduction workspaces unless this is set before a handle is created"));
        switches.Add(new("TF_DETERMINISTIC_OPS", "1", "TensorFlow selects deterministic GPU kernels only when this is set at import"));
        switches.Add(new("TF_CUDNN_DETERMINISTIC", "1", "TensorFlow's cuDNN autotuning picks algorithms non-deterministically unless this is set at import"));
        if (inputs.CommitTime is { } commitTime)
        {
            switches.Add(new("SOURCE_DATE_EPOCH", commitTime.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), "tools that embed timestamps (zip entries, archives, builds) use this fixed time: the commit time"));
        }

        if (inputs.Threads is { } threads)
        {
            var count = threads.ToString(CultureInfo.InvariantCulture);
            switches.Add(new("OMP_NUM_THREADS", count, "OpenMP sizes its thread pool at load; reduction order depends on the thread count"));
            switches.Add(new("MKL_NUM_THREADS", count, "MKL sizes its thread pool at load; reduction order depends on the thread count"));
            switches.Add(new("OPENBLAS_NUM_THREADS", count, "OpenBLAS sizes its thread pool at load; reduction order depends on the thread count"));
            switches.Add(new("MKL_DYNAMIC", "FALSE", "stops MKL from changing the thread count at run time"));
            switches.Add(new("OMP_DYNAMIC", "FALSE", "stops OpenMP from changing the thread count at run time"));
        }

        return switches;
    }
}
