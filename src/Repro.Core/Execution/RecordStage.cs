using Repro.Core.Runs;

namespace Repro.Core.Execution;

/// <summary>
/// Record: decides the final status and saves the final manifest. FINISHED needs an exit code of 0 and every declared
/// output present; what ended the run earlier (an interruption, outputs that could not be read) comes first, then a
/// non-zero exit code, then missing outputs.
/// </summary>
public sealed class RecordStage : IRunStage
{
    /// <inheritdoc />
    public Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var (status, message) = run.Ending is { } ending
            ? (ending.Status, ending.Message)
            : run.Result.ExitCode != 0
                ? (RunStatus.Failed, $"the entry point exited with code {run.Result.ExitCode}")
                : run.Outputs?.MissingMessage is { } missing
                    ? (RunStatus.Failed, $"declared output(s) missing after the entry point exited: {missing}")
                    : (RunStatus.Finished, (string?)null);

        run.Manifest = run.Manifest with { Status = status, StatusMessage = message, Warnings = [.. run.Warnings] };
        run.Store.Save(run.Manifest);
        return Task.CompletedTask;
    }
}
