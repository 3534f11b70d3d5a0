namespace Repro.Core.Execution;

/// <summary>
/// One step of a run (see <see cref="RunStages"/> for the steps and their order). A stage reads what earlier stages
/// put in the <see cref="RunContext"/> and adds what it learns.
/// </summary>
/// <remarks>
/// Before the run has started (<see cref="RunContext.HasStarted"/>), a stage refuses bad input by throwing
/// <see cref="Errors.InputException"/>: nothing is recorded and the run folder is removed. After it started, a stage
/// that finds the run cannot end well calls <see cref="RunContext.End"/>; an exception there is repro's own failure,
/// and the run is still recorded, as FAILED.
/// </remarks>
public interface IRunStage
{
    /// <summary>Does this stage's part of the run.</summary>
    /// <param name="run">The run so far.</param>
    /// <param name="cancellationToken">Stops the stage's own work (hashing, probes); the child is stopped through <see cref="RunContext.Interruption"/>.</param>
    Task RunAsync(RunContext run, CancellationToken cancellationToken);
}
