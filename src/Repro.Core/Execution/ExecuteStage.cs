using Repro.Core.Errors;
using Repro.Core.Execution.Backends;
using Repro.Core.Processes;
using Repro.Core.Runs;

namespace Repro.Core.Execution;

/// <summary>
/// Execute: the command runs through the run's backend, its standard output and error saved in the run folder and
/// echoed; how it ran (times, exit code, signal, CPU, memory, logs) goes into the manifest.
/// </summary>
public sealed class ExecuteStage : IRunStage
{
    /// <inheritdoc />
    public async Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var request = run.Request;
        var result = await run.Backend.ExecuteAsync(
            new ChildProcessRequest(
                run.Command.Argv,
                run.ProjectDirectory,
                run.ChildEnvironment.Variables,
                run.Folder.Stdout,
                run.Folder.Stderr,
                request.EchoStdout,
                request.EchoStderr,
                request.GracePeriod)
            {
                TreeMarker = TreeMarker(run),
                Watchdog = run.Backend is LocalBackend ? run.TakeWatchdog() : null,
            },
            run.Interruption,
            cancellationToken).ConfigureAwait(false);
        run.Result = result;

        var signal = result.Interrupted is { } interrupted ? Interruption.NameOf(interrupted) : null;
        run.Manifest = run.Manifest with
        {
            Execution = run.Manifest.Execution! with
            {
                StartedAt = result.StartedAt,
                EndedAt = result.EndedAt,
                DurationSeconds = Math.Round((result.EndedAt - result.StartedAt).TotalSeconds, 3),
                ExitCode = result.ExitCode,
                Signal = signal,
                CpuUserSeconds = result.CpuUserSeconds is { } user ? Math.Round(user, 3) : null,
                CpuSystemSeconds = result.CpuSystemSeconds is { } system ? Math.Round(system, 3) : null,
                PeakMemoryBytes = result.PeakMemoryBytes,
                Stdout = StoredLog(result.Stdout),
                Stderr = StoredLog(result.Stderr),
            },
        };

        if (result.StragglersKilled > 0)
        {
            run.Warnings.Add($"the entry point left {result.StragglersKilled} process(es) running after it exited; repro stopped them: {ChildProcessRunner.DescribeStragglers(result.Stragglers)}");
        }

        if (result.OutputCutOff is { } cutOff)
        {
            run.Warnings.Add(cutOff);
        }

        if (result.SaveFailure is { } failure)
        {
            // The run cannot be recorded whole: the run service saves what it can (FAILED, with this message) and repro exits 3.
            throw new StoreException($"{failure}; the entry point's process tree was stopped");
        }

        if (signal is not null)
        {
            run.End(RunStatus.Killed, $"interrupted by {signal}; the process tree was stopped");
        }
    }

    /// <summary>The environment entry only this run's processes inherit (see <see cref="ChildProcessRequest.TreeMarker"/>).</summary>
    internal static string TreeMarker(RunContext run) => $"REPRO_RUN_DIR={run.Folder.Path}";

    private static StoredFileRecord StoredLog(CapturedStream stream) =>
        new(Path.GetFileName(stream.Path), stream.Sha256, stream.Bytes);
}
