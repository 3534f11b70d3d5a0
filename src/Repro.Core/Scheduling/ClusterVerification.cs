using Repro.Core.Errors;
using Repro.Core.Store;

namespace Repro.Core.Scheduling;

/// <summary>How a verification on the cluster ended.</summary>
/// <param name="JobId">The job.</param>
/// <param name="State">Slurm's final state of it.</param>
/// <param name="ExitCode">The exit code of <c>repro verify</c> on the node (its verdict's code); null when the job was stopped.</param>
/// <param name="Output">What <c>repro verify</c> printed on the node (Slurm's output file).</param>
public sealed record ClusterVerifyOutcome(string JobId, ClusterTaskState State, int? ExitCode, string Output);

/// <summary>
/// <c>repro verify RUN --backend slurm</c>: the verification itself runs on a node, as a job that runs
/// <c>repro verify --job RUN</c> there (re-creating the recorded code and inputs in a throwaway checkout, as verify
/// always does, and recording the verification run without writing the index); this host waits for it and reports.
/// </summary>
public static class ClusterVerification
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Submits the verification and waits for its job to end; cancelling the token cancels the job.</summary>
    /// <param name="backend">The scheduler.</param>
    /// <param name="store">The store (on the shared file system).</param>
    /// <param name="runId">The run to verify.</param>
    /// <param name="verifyArguments">Further <c>repro verify</c> arguments (tolerances, <c>--json</c>).</param>
    /// <param name="settings">The backend config.</param>
    /// <param name="reproCommand">How the node starts repro.</param>
    /// <param name="cancellationToken">Cancels the job and stops waiting.</param>
    public static async Task<ClusterVerifyOutcome> RunAsync(
        IClusterBackend backend, RunStore store, string runId, IReadOnlyList<string> verifyArguments, SlurmSettings settings, IReadOnlyList<string> reproCommand, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(settings);
        var folder = Path.Combine(store.Root, QueueStage.JobsFolderName, $"verify-{runId}-{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}");
        Directory.CreateDirectory(folder);
        var script = JobScript.RenderCommand(reproCommand, ["verify", "--job", "--store", store.Root, .. verifyArguments, runId], settings.Setup, $"verifies run {runId} on this node");
        var output = Path.Combine(folder, "slurm-%j.out");
        var jobId = await backend.SubmitHeldAsync(new ClusterJob($"repro-verify-{runId}", script, folder, output, 1, null, settings), cancellationToken).ConfigureAwait(false);
        await backend.ReleaseAsync(jobId, cancellationToken).ConfigureAwait(false);
        ClusterTaskState state;
        try
        {
            while (true)
            {
                var states = await backend.QueryAsync([jobId], cancellationToken).ConfigureAwait(false);
                var current = states.GetValueOrDefault(jobId);
                if (current is null || current.HasEnded)
                {
                    state = current ?? new ClusterTaskState(jobId, "UNKNOWN", null, null, null);
                    break;
                }

                await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            await backend.CancelAsync([jobId], CancellationToken.None).ConfigureAwait(false);
            throw new InterruptedException($"interrupted: Slurm job {jobId} (the verification) was cancelled; no verdict");
        }

        var outputFile = output.Replace("%j", jobId, StringComparison.Ordinal);
        var text = File.Exists(outputFile) ? await File.ReadAllTextAsync(outputFile, CancellationToken.None).ConfigureAwait(false) : string.Empty;
        return new ClusterVerifyOutcome(jobId, state, state.State is "COMPLETED" or "FAILED" ? state.ExitCode : null, text);
    }
}
