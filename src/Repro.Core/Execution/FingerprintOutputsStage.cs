using Repro.Core.Errors;
using Repro.Core.Runs;

namespace Repro.Core.Execution;

/// <summary>
/// Collect: fingerprints the declared outputs (copying them into the object store up to its size limit), and warns
/// about outputs this run did not write. Skipped for a run that already ended otherwise (interrupted).
/// </summary>
public sealed class FingerprintOutputsStage : IRunStage
{
    /// <inheritdoc />
    public async Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Ending is not null)
        {
            return;
        }

        try
        {
            var outputs = await run.Fingerprinter.FingerprintOutputsAsync(run.ProjectDirectory, run.OutputSpecs, cancellationToken).ConfigureAwait(false);
            run.Outputs = outputs;
            run.Manifest = run.Manifest with { Outputs = outputs.Records };
            WarnAboutStaleOutputs(outputs.Records, run.ProjectDirectory, run.Result.StartedAt, run.Warnings);
        }
        catch (InputException exception)
        {
            // A special file or an unreadable output: the child ran, so the run is recorded, as failed.
            run.End(RunStatus.Failed, $"the outputs could not be fingerprinted: {exception.Message}");
        }
        catch (OperationCanceledException)
        {
            run.End(RunStatus.Killed, "interrupted while fingerprinting the outputs");
        }
    }

    private static void WarnAboutStaleOutputs(IReadOnlyList<DataRecord> outputs, string projectDirectory, DateTimeOffset childStarted, List<string> warnings)
    {
        foreach (var file in outputs.SelectMany(record => record.Files))
        {
            var info = new FileInfo(Path.Combine(projectDirectory, file.Path));
            if (info.Exists && info.LastWriteTimeUtc < childStarted.UtcDateTime.AddSeconds(-1))
            {
                warnings.Add($"output {file.Path} was not written by this run (last modified {info.LastWriteTimeUtc:O}, before the entry point started)");
            }
        }
    }
}
