using Repro.Core.Processes;

namespace Repro.Core.Execution.Backends;

/// <summary>
/// Where and how a run's command executes. <see cref="LocalBackend"/> starts it as a child of repro on this host; a
/// backend for a scheduler would submit it instead. A stage that runs before the execute stage may replace the backend
/// a run uses (a run cache restoring a recorded result, for one).
/// </summary>
public interface IExecutionBackend
{
    /// <summary>Executes the command to its end, or until <paramref name="interruption"/> stops it.</summary>
    /// <param name="request">What to execute, where its output goes, and its complete environment.</param>
    /// <param name="interruption">Signals the user sent; the backend forwards them and stops the work after the grace period.</param>
    /// <param name="cancellationToken">repro itself is giving up.</param>
    /// <returns>How the command ran.</returns>
    Task<ChildProcessResult> ExecuteAsync(ChildProcessRequest request, Interruption interruption, CancellationToken cancellationToken);
}
