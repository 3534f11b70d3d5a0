using Repro.Core.Caching;
using Repro.Core.Environments.Python;
using Repro.Core.Errors;

namespace Repro.Core.Execution;

/// <summary>
/// Resolve, under <c>--env-manager virtualenv</c> (MLflow's default for a <c>python_env</c>): finds the interpreter the
/// python_env file asks for, then builds its virtual environment in the cache or reuses one with the same key (no pip
/// at all), and holds it until the run ends. The child gets the environment's <c>bin</c> first on <c>PATH</c> and
/// <c>VIRTUAL_ENV</c> set (and no <c>PYTHONHOME</c>), and nothing else of its environment changes, so stages that add
/// to <c>PYTHONPATH</c> compose with it. When only planning, it says whether it would reuse or build, and builds nothing.
/// </summary>
/// <remarks>
/// In a verification, the environment is compared with the recorded one: a different resolution is a warning (and a
/// likely cause when results differ), or under <c>--strict-env</c> a <see cref="PythonEnvironmentMismatchException"/>
/// before the child starts.
/// </remarks>
public sealed class PythonEnvironmentStage : IRunStage
{
    /// <inheritdoc />
    public async Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.EnvironmentManager != EnvironmentManagerStage.Virtualenv || run.Project.Environment.File is not { } file)
        {
            return;
        }

        var request = run.Request;
        var spec = PythonEnvFileReader.Read(Path.Combine(run.ProjectDirectory, file), file);
        var cacheRoot = CacheRoot.Resolve(request.Environment);
        var interpreter = await new PythonInterpreterLocator(request.Environment, run.ProjectDirectory, Path.Combine(cacheRoot, "interpreters"))
            .FindAsync(spec.Python, request.Python, file, cancellationToken).ConfigureAwait(false);
        var cache = new PythonEnvironmentCache(cacheRoot);
        var environmentRequest = new PythonEnvironmentRequest(spec, interpreter, run.ProjectDirectory)
        {
            Rebuild = request.RebuildEnvironment,
            Variables = request.Environment,
            Log = request.Log,
            Output = request.ToolOutput,
        };

        if (run.PlanOnly)
        {
            var plan = cache.Plan(environmentRequest);
            run.PlannedSteps.Add(plan.Exists
                ? $"virtualenv: would reuse {plan.Directory} (Python {interpreter.Version}, {interpreter.Path}); no pip"
                : $"virtualenv: would build {plan.Directory} from {file} with Python {interpreter.Version} ({interpreter.Path}) and pip");
            return;
        }

        var lease = await cache.AcquireAsync(environmentRequest, cancellationToken).ConfigureAwait(false);
        run.PythonEnvironmentLease = lease;
        lease.Environment.ApplyTo(run.InheritedEnvironment);
        run.PythonEnvironment = lease.Environment.ToRecord(run.ProjectDirectory);

        if (request.Replay is { PythonEnvironment: { } recorded } replay)
        {
            var differences = PythonResolution.Differences(recorded.Resolved, run.PythonEnvironment.Resolved);
            if (differences.Count == 0)
            {
                return;
            }

            var text = $"the Python environment resolves differently from run {replay.Verifies}: {string.Join(", ", differences)}";
            if (replay.StrictEnvironment)
            {
                throw new PythonEnvironmentMismatchException($"--strict-env: {text}", differences);
            }

            run.Warnings.Add(text);
        }
    }
}

/// <summary>
/// Under <c>--strict-env</c>, a verification whose rebuilt (or reused) Python environment resolved differently from the
/// recorded one: nothing was run, and the run cannot be verified.
/// </summary>
public sealed class PythonEnvironmentMismatchException : ReproException
{
    /// <summary>Creates the error.</summary>
    /// <param name="message">One line naming the differences.</param>
    /// <param name="differences">Each difference, as <see cref="PythonResolution.Differences"/> phrases it.</param>
    public PythonEnvironmentMismatchException(string message, IReadOnlyList<string> differences)
        : base(message)
    {
        Differences = differences;
    }

    /// <summary>Each difference.</summary>
    public IReadOnlyList<string> Differences { get; }
}
