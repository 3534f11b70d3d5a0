using Repro.Core.AutoSeed;
using Repro.Core.Errors;
using Repro.Core.Runs;

namespace Repro.Core.Execution;

/// <summary>
/// Prepare: when the hook is on, writes repro's Python start-up hook into a folder of the store shared by every run of
/// this repro (<see cref="PythonHook.VersionedFolderName"/>, so Python's bytecode cache beside it stays warm), and puts
/// it first on the child's <c>PYTHONPATH</c>, over what the user's environment or the MLproject's <c>env:</c> hold,
/// with the report file in the run folder. It is the last stage before the start, so the <c>PYTHONPATH</c> it extends
/// is the one every earlier stage prepared. A python_env's virtual environment (<see cref="PythonEnvironmentStage"/>,
/// a resolve stage) is built by then and only set <c>PATH</c> and <c>VIRTUAL_ENV</c>, which this stage leaves alone:
/// the environment's interpreter starts with the hook and reports itself as the executable that ran. Whether on or
/// off, the hook's variables that describe another run are kept from the child.
/// </summary>
public sealed class PreparePythonHookStage : IRunStage
{
    // Writes (or checks) the hook's files in a folder: each run's own check, unless a pipeline shares one among its steps.
    private readonly Func<string, PythonHookFolder> _materialize;

    /// <summary>The stage of a run: the hook's files checked, and written where they differ.</summary>
    public PreparePythonHookStage()
        : this(PythonHook.Materialize)
    {
    }

    internal PreparePythonHookStage(Func<string, PythonHookFolder> materialize) => _materialize = materialize;

    /// <inheritdoc />
    public Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        foreach (var name in AutoSeedEnvironment.VariablesToClear)
        {
            run.InheritedEnvironment.Remove(name);
        }

        if (!run.AutoSeed.On)
        {
            // A run started from inside another run's child must not append to that run's report.
            run.InheritedEnvironment.Remove(AutoSeedEnvironment.ReportVariable);
            run.Python = PythonRecord.Off;
            return Task.CompletedTask;
        }

        var hook = Materialize(HookFolder(run.Store.Root), _materialize);
        run.AdditionalRunVariables.AddRange(HookVariables(run, hook, run.Folder.PythonReport));
        run.Python = new PythonRecord(true, hook.Sha256, []);
        return Task.CompletedTask;
    }

    /// <summary>The folder of the store that holds this repro's hook.</summary>
    /// <param name="storeRoot">The store's folder.</param>
    public static string HookFolder(string storeRoot) => Path.Combine(Path.GetFullPath(storeRoot), PythonHook.VersionedFolderName);

    /// <summary>
    /// The hook's variables for <paramref name="run"/>: <c>PYTHONPATH</c> with the hook first and, after it, the
    /// <c>PYTHONPATH</c> the child would have had (the MLproject's <c>env:</c> over the inherited one), and the report file.
    /// </summary>
    /// <param name="run">The run, resolved.</param>
    /// <param name="hook">The hook folder.</param>
    /// <param name="reportFile">The report file in the run folder.</param>
    public static IReadOnlyList<DeterminismSwitch> HookVariables(RunContext run, PythonHookFolder hook, string reportFile)
    {
        ArgumentNullException.ThrowIfNull(run);
        const string pythonPath = AutoSeedEnvironment.PythonPathVariable;
        var inherited = run.Command.EntryPoint?.Env.GetValueOrDefault(pythonPath) ?? run.InheritedEnvironment.GetValueOrDefault(pythonPath);
        return [.. AutoSeedEnvironment.HookVariables(hook, reportFile, inherited).Select(variable => new DeterminismSwitch(variable.Name, variable.Value, variable.Reason))];
    }

    private static PythonHookFolder Materialize(string folder, Func<string, PythonHookFolder> materialize)
    {
        try
        {
            return materialize(folder);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"cannot write repro's Python hook to {folder}: {exception.Message}", exception);
        }
    }
}
