using Repro.Core.Capture.Results;

namespace Repro.Core.Execution;

/// <summary>Collect: merges what Repro.Sdk reported from inside the child into the manifest's <c>sdk</c> section.</summary>
public sealed class ReadSdkReportStage : IRunStage
{
    /// <inheritdoc />
    public Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        run.Manifest = run.Manifest with { Sdk = SdkReport.Read(run.Folder, run.Warnings) };
        return Task.CompletedTask;
    }
}
