using Repro.Core.Errors;
using Repro.Core.Execution;
using Repro.Core.Processes;
using Repro.Core.Projects;
using Repro.Core.Runs;
using Repro.Core.Store;

namespace Repro.Core.Scheduling;

/// <summary>What to submit: one run, or the points of a sweep as one job array.</summary>
/// <param name="Runs">One request per run, resolved and captured on this host in order.</param>
/// <param name="Settings">The backend config.</param>
/// <param name="ReproCommand">How the node starts repro: this program (and its assembly, under <c>dotnet</c>).</param>
public sealed record ClusterSubmitRequest(IReadOnlyList<RunRequest> Runs, SlurmSettings Settings, IReadOnlyList<string> ReproCommand)
{
    /// <summary>For an array, how many tasks run at once at most (<c>--array=0-K%N</c>); null for no limit.</summary>
    public int? Parallelism { get; init; }

    /// <summary>Submit a job array even for one run (a sweep).</summary>
    public bool AsArray { get; init; }

    /// <summary>Where an array's script and Slurm's own output go; a run's job folder when null.</summary>
    public string? JobDirectory { get; init; }

    /// <summary>The job's name.</summary>
    public string JobName { get; init; } = "repro";
}

/// <summary>
/// <c>repro run --backend slurm</c> and Slurm sweeps on the submit host: each run is resolved and captured here as today
/// and saved QUEUED with its snapshot (<see cref="QueueStage"/>); then one held job (an array for a sweep) is submitted,
/// the job id written into every QUEUED manifest, and the job released. A failure before the release leaves nothing.
/// </summary>
public static class ClusterSubmission
{
    /// <summary>The stages of a submitted run: resolve, prepare and capture as for a local run, then queue.</summary>
    public static IReadOnlyList<IRunStage> Stages { get; } =
    [
        .. RunStages.Resolve,
        new CreateRunFolderStage(),
        new PrepareRunFilesStage(),
        new CaptureStage(),
        new PreparePythonHookStage(),
        new QueueStage(),
    ];

    /// <summary>Submits the runs; returns their QUEUED manifests, each with its job.</summary>
    /// <exception cref="InputException">Bad input (MLproject, parameters, no git commit) or a job Slurm refused; nothing was queued.</exception>
    public static async Task<IReadOnlyList<RunManifest>> SubmitAsync(IClusterBackend backend, ClusterSubmitRequest request, Interruption interruption, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(request);
        var queued = new List<RunManifest>();
        RunStore? store = null;
        try
        {
            foreach (var run in request.Runs)
            {
                var outcome = await RunService.RunAsync(run, interruption, Stages, cancellationToken).ConfigureAwait(false);
                queued.Add(outcome.Manifest);
                store ??= RunStore.Open(run.StoreDirectory);
            }

            if (store is null)
            {
                return [];
            }

            var isArray = request.AsArray || queued.Count > 1;
            var jobDirectory = request.JobDirectory ?? QueueStage.JobFolder(store.Root, queued[0].RunId);
            Directory.CreateDirectory(jobDirectory);
            var job = new ClusterJob(
                request.JobName,
                JobScript.Render(request.ReproCommand, store.Root, queued.Select(run => run.RunId).ToList(), request.Settings.Setup),
                jobDirectory,
                Path.Combine(jobDirectory, isArray ? "slurm-%A_%a.out" : "slurm-%j.out"),
                queued.Count,
                request.Parallelism,
                request.Settings)
            {
                IsArray = isArray,
            };

            var submittedAt = DateTimeOffset.UtcNow;
            var jobId = await backend.SubmitHeldAsync(job, cancellationToken).ConfigureAwait(false);
            var submitted = new List<RunManifest>();
            try
            {
                for (var index = 0; index < queued.Count; index++)
                {
                    var manifest = queued[index] with
                    {
                        Scheduler = new SchedulerRecord
                        {
                            Backend = backend.Name,
                            JobId = jobId,
                            ArrayIndex = isArray ? index : null,
                            SubmittedAt = submittedAt,
                            WorkDirectory = Path.Combine(QueueStage.JobFolder(store.Root, queued[index].RunId), QueueStage.SnapshotFolderName),
                        },
                    };
                    store.Save(manifest);
                    submitted.Add(manifest);
                }

                await backend.ReleaseAsync(jobId, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // A held job that is never released would sit in the queue for ever.
                await backend.CancelAsync([jobId], CancellationToken.None).ConfigureAwait(false);
                throw;
            }

            return submitted;
        }
        catch
        {
            // Nothing was submitted (or the job was cancelled again): the queued records describe runs that never were.
            foreach (var run in queued)
            {
                if (store is not null)
                {
                    QueueStage.TryDelete(QueueStage.JobFolder(store.Root, run.RunId));
                    QueueStage.TryDelete(store.GetRunDirectory(run.RunId));
                }
            }

            throw;
        }
    }
}

/// <summary>The job script: the config's setup lines, then repro on the node for the task's run. Pure.</summary>
public static class JobScript
{
    /// <summary>The hidden command a job runs (<c>repro slurm-job --store STORE RUN</c>).</summary>
    public const string JobCommand = "slurm-job";

    /// <summary>
    /// A bash script that runs <paramref name="setup"/> (stopping at the first failure), then repro on the run of its
    /// array index (<c>SLURM_ARRAY_TASK_ID</c>; the only run of a plain job). Everything the script names is quoted.
    /// </summary>
    public static string Render(IReadOnlyList<string> reproCommand, string storeRoot, IReadOnlyList<string> runIds, IReadOnlyList<string> setup)
    {
        ArgumentNullException.ThrowIfNull(reproCommand);
        ArgumentNullException.ThrowIfNull(runIds);
        ArgumentNullException.ThrowIfNull(setup);
        return Script(
            "runs one queued run of the store below on this node",
            setup,
            "runs=(" + string.Join(' ', runIds.Select(ShellQuote.Quote)) + ")",
            "exec " + Quoted([.. reproCommand, JobCommand, "--store", storeRoot]) + " \"${runs[${SLURM_ARRAY_TASK_ID:-0}]}\"");
    }

    /// <summary>A bash script that runs <paramref name="setup"/> (stopping at the first failure), then repro with <paramref name="arguments"/>, each quoted.</summary>
    public static string RenderCommand(IReadOnlyList<string> reproCommand, IReadOnlyList<string> arguments, IReadOnlyList<string> setup, string purpose)
    {
        ArgumentNullException.ThrowIfNull(reproCommand);
        ArgumentNullException.ThrowIfNull(arguments);
        return Script(purpose, setup, "exec " + Quoted([.. reproCommand, .. arguments]));
    }

    private static string Quoted(IEnumerable<string> words) => string.Join(' ', words.Select(ShellQuote.Quote));

    private static string Script(string purpose, IReadOnlyList<string> setup, params string[] body)
    {
        var lines = new List<string>
        {
            "#!/bin/bash",
            $"# Written by repro (--backend slurm): {purpose}; docs/scale-out.md.",
            "set -e",
        };
        lines.AddRange(setup);
        lines.AddRange(body);
        return string.Join('\n', lines) + "\n";
    }
}
