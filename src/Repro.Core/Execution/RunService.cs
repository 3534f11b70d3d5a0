using Repro.Core.Capture.Git;
using Repro.Core.Diagnostics;
using Repro.Core.Errors;
using Repro.Core.Processes;
using Repro.Core.Runs;
using Repro.Core.Sources;
using Repro.Core.Store;

namespace Repro.Core.Execution;

/// <summary>
/// <c>repro run</c>: the stages of <see cref="RunStages.Default"/> in order, with the one rule that binds them. Bad input
/// is found before anything runs and leaves nothing behind; once the run has started (its RUNNING manifest is saved),
/// it is always recorded, however it ends.
/// </summary>
public static class RunService
{
    /// <summary>The repro version written into manifests.</summary>
    public static string ToolVersion => StartStage.ToolVersion;

    /// <summary>Runs an entry point and records it.</summary>
    /// <exception cref="InputException">Bad input; nothing was run and no run was recorded.</exception>
    /// <exception cref="InterruptedException">Interrupted before the entry point started; nothing was recorded.</exception>
    /// <exception cref="StoreException">repro could not read or write what it needs.</exception>
    /// <exception cref="GitException">git could not read the project's repository.</exception>
    public static Task<RunOutcome> RunAsync(RunRequest request, Interruption interruption, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        // The code of a local project is captured with one git status pass over its working tree. Started now, it runs
        // on the core that loading the project and rendering the command leave idle (on 100,000 files it takes longer
        // than those stages together); the capture stage then takes it. A project from the git cache or a replay works
        // in another folder; a bare repository has no working tree (the prefetch finds that and does nothing).
        var local = request.Uri switch
        {
            null => request.ProjectDirectory,
            { Kind: ProjectUriKind.LocalPath } uri when request.Version is null => Path.Combine(uri.Location, uri.Subdirectory),
            _ => null,
        };
        var prefetch = local is not null && request.Replay is null && request.RecordedRun is null ? local : null;
        return RunAsync(request, interruption, RunStages.Default, prefetch, cancellationToken);
    }

    /// <summary>Runs an entry point through <paramref name="stages"/> and records it.</summary>
    /// <param name="request">What the user asked for.</param>
    /// <param name="interruption">Signals the user sends while it runs.</param>
    /// <param name="stages">The stages, in order; the last one saves the final manifest.</param>
    /// <param name="cancellationToken">Stops repro's own work.</param>
    public static Task<RunOutcome> RunAsync(RunRequest request, Interruption interruption, IReadOnlyList<IRunStage> stages, CancellationToken cancellationToken) =>
        RunAsync(request, interruption, stages, prefetchDirectory: null, cancellationToken);

    private static Task<RunOutcome> RunAsync(
        RunRequest request, Interruption interruption, IReadOnlyList<IRunStage> stages, string? prefetchDirectory, CancellationToken cancellationToken)
    {
        // The stages run in a plain async Task that leaves the outcome in a slot: a suspended async method whose result
        // is a reference type runs in a generic box that the ReadyToRun image lacks (five methods the JIT compiled at
        // every run), a non-generic one does not. A failure faults the task with the exception the stages threw, which
        // its awaiter gets as before (an OperationCanceledException faults it too, where an async method's task
        // would have been cancelled).
        var completion = new TaskCompletionSource<RunOutcome>();
        _ = RunIntoAsync(request, interruption, stages, prefetchDirectory, completion, cancellationToken);
        return completion.Task;
    }

    private static async Task RunIntoAsync(
        RunRequest request,
        Interruption interruption,
        IReadOnlyList<IRunStage> stages,
        string? prefetchDirectory,
        TaskCompletionSource<RunOutcome> completion,
        CancellationToken cancellationToken)
    {
        var outcome = new RunOutcome?[1];
        try
        {
            await RunAsync(request, interruption, stages, prefetchDirectory, outcome, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            completion.SetException(exception);
            return;
        }

        completion.SetResult(outcome[0]!);
    }

    private static async Task RunAsync(
        RunRequest request, Interruption interruption, IReadOnlyList<IRunStage> stages, string? prefetchDirectory, RunOutcome?[] outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stages);
        using var run = new RunContext(request, interruption);
        if (prefetchDirectory is not null)
        {
            run.GitStatusPrefetch = GitStatusPrefetch.Start(prefetchDirectory, cancellationToken);
        }

        try
        {
            foreach (var stage in stages)
            {
                using (Timings.IsEnabled ? Timings.Measure(SpanName(stage)) : default)
                {
                    await stage.RunAsync(run, cancellationToken).ConfigureAwait(false);
                }
            }

            outcome[0] = new RunOutcome(run.Manifest, run.Folder.Path, run.Folder.Manifest);
        }
        catch (Exception exception) when (run.HasStarted)
        {
            // repro itself failed after the child started: the run still happened, so it must not stay RUNNING.
            TrySave(run.Store, run.Manifest with
            {
                Status = RunStatus.Failed,
                StatusMessage = $"repro failed while recording the run: {exception.Message}",
                Warnings = [.. run.Warnings],
            });
            throw;
        }
        catch (Exception exception) when (!run.HasStarted)
        {
            // Nothing ran: leave no trace of a run that never was. A cluster job's folder holds the QUEUED record, which
            // the job records as failed instead.
            if (run.HasFolder && request.RecordedRun is null)
            {
                TryDeleteDirectory(run.Folder.Path);
            }

            if (exception is OperationCanceledException && interruption.IsRequested)
            {
                throw new InterruptedException("interrupted before the entry point started; nothing was run", exception);
            }

            throw;
        }
    }

    /// <summary>The <c>--timings</c> name of a stage: <c>stage: Capture</c> for <see cref="CaptureStage"/>.</summary>
    private static string SpanName(IRunStage stage)
    {
        var name = stage.GetType().Name;
        return "stage: " + (name.EndsWith("Stage", StringComparison.Ordinal) ? name[..^"Stage".Length] : name);
    }

    private static void TrySave(RunStore store, RunManifest manifest)
    {
        try
        {
            store.Save(manifest);
        }
        catch (StoreException)
        {
            // The store is what failed: the original error says why, and the manifest keeps RUNNING.
        }
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // The error that stopped the run is what the user needs to see.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }
}
