namespace Repro.Core.Execution;

/// <summary>
/// Collect: reads the metrics the entry point wrote (every number, NaN and infinities included) and keeps a copy of
/// the file in the object store. Skipped for a run that already ended otherwise.
/// </summary>
public sealed class ReadMetricsStage : IRunStage
{
    /// <inheritdoc />
    public Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Ending is null)
        {
            run.Manifest = run.Manifest with { Metrics = run.MetricsFile.Read(run.Objects, run.Warnings) };
        }

        return Task.CompletedTask;
    }
}
