using LibGit2Sharp;
using Repro.Core.Errors;
using Repro.Core.Execution;
using Repro.Core.Processes;
using Repro.Core.Projects;
using Repro.Core.Runs;
using Repro.Core.Scheduling;
using Repro.Core.Sources;
using Repro.Core.Store;

namespace Repro.Core.Sweeps;

/// <summary>What <c>repro sweep</c> was asked to do.</summary>
/// <param name="Template">The run every point starts from (project, entry point, fixed <c>-P</c> values, store).</param>
/// <param name="Grid">The <c>--grid</c> axes.</param>
/// <param name="Parallelism">At most this many points at once (<c>-j</c>).</param>
public sealed record SweepRequest(RunRequest Template, IReadOnlyList<SweepAxis> Grid, int Parallelism);

/// <summary>
/// <c>repro sweep</c>: one run per point of the grid's cartesian product, recorded under one sweep record. Locally at
/// most N points run at once and the sweep waits for all of them; on Slurm the points are one job array
/// (<c>--array=0-K%N</c>), each task choosing its point by <c>SLURM_ARRAY_TASK_ID</c>.
/// </summary>
public static class SweepService
{
    /// <summary>Runs every point on this host, at most <see cref="SweepRequest.Parallelism"/> at once.</summary>
    /// <remarks>
    /// Each point runs as a cluster job does: captured and queued (<see cref="ClusterSubmission.Stages"/>), then run
    /// in its own snapshot of the recorded commit, patch, untracked files and inputs (<see cref="SnapshotRunner"/>),
    /// so points side by side never write into one folder, and editing the tree meanwhile changes nothing that runs.
    /// Outputs are fingerprinted into the store and not copied back into the project, which could hold one point's
    /// only: <c>repro checkout RUN --outputs</c> brings back the one wanted. A project that is not in a git repository
    /// with a commit has no snapshot: its points run in the project folder one at a time, and <c>-j</c> over 1 is
    /// refused.
    /// </remarks>
    /// <exception cref="InputException">Bad grid or parameters; checked on the first point before any other starts.</exception>
    public static async Task<SweepRecord> RunLocalAsync(SweepRequest request, Interruption interruption, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var inSnapshots = HasSnapshots(request.Template);
        if (!inSnapshots && request.Parallelism > 1)
        {
            throw new InputException($"-j {request.Parallelism}: points running at once each run in a snapshot of the recorded commit, but {ProjectFolder(request.Template)} is not in a git repository with a commit (commit it, or sweep with -j 1 in the folder itself)");
        }

        var (store, sweeps, record, points) = Begin(request, "local");
        var runs = new string?[points.Count];
        var statuses = new RunStatus?[points.Count];
        var gate = new object();
        void Update()
        {
            lock (gate)
            {
                record = record with { Points = [.. record.Points.Select(point => point with { RunId = runs[point.Index], Status = statuses[point.Index] })] };
                sweeps.Save(record);
            }
        }

        using var throttle = new SemaphoreSlim(request.Parallelism);
        async Task RunPointAsync(int index)
        {
            await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (interruption.IsRequested)
                {
                    return;
                }

                var point = PointRequest(request, record.SweepId, index, points[index]);
                var manifest = inSnapshots
                    ? await RunInSnapshotAsync(store, point, interruption, cancellationToken).ConfigureAwait(false)
                    : (await RunService.RunAsync(point, interruption, cancellationToken).ConfigureAwait(false)).Manifest;
                runs[index] = manifest.RunId;
                statuses[index] = manifest.Status;
                Update();
            }
            finally
            {
                throttle.Release();
            }
        }

        try
        {
            // The first point alone: bad input (an unknown parameter, a bad value) is found once, before N runs start.
            await RunPointAsync(0).ConfigureAwait(false);
            await Task.WhenAll(Enumerable.Range(1, points.Count - 1).Select(RunPointAsync)).ConfigureAwait(false);
        }
        catch (InputException) when (runs.All(run => run is null))
        {
            Directory.Delete(sweeps.FolderOf(record.SweepId), recursive: true);
            throw;
        }
        catch (Exception exception)
        {
            record = End(record with { Points = [.. record.Points.Select(point => point with { RunId = runs[point.Index], Status = statuses[point.Index] })] }, interruption, exception.Message);
            sweeps.Save(record);
            throw;
        }

        record = End(record, interruption, null);
        sweeps.Save(record);
        return record;
    }

    /// <summary>Submits every point as one job array; returns the record with each point's QUEUED run.</summary>
    /// <exception cref="InputException">Bad grid, parameters or backend config, or Slurm refused the job; nothing was queued.</exception>
    public static async Task<SweepRecord> SubmitAsync(SweepRequest request, IClusterBackend backend, SlurmSettings settings, IReadOnlyList<string> reproCommand, Interruption interruption, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(backend);
        var (_, sweeps, record, points) = Begin(request, backend.Name);
        IReadOnlyList<RunManifest> queued;
        try
        {
            queued = await ClusterSubmission.SubmitAsync(
                backend,
                new ClusterSubmitRequest(points.Select((point, index) => PointRequest(request, record.SweepId, index, point)).ToList(), settings, reproCommand)
                {
                    AsArray = true,
                    Parallelism = request.Parallelism > 0 ? request.Parallelism : null,
                    JobDirectory = sweeps.FolderOf(record.SweepId),
                    JobName = $"repro-sweep-{record.EntryPoint}",
                },
                interruption,
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Directory.Delete(sweeps.FolderOf(record.SweepId), recursive: true);
            throw;
        }

        record = record with
        {
            Status = RunStatus.Queued,
            JobId = queued[0].Scheduler?.JobId,
            Points = [.. record.Points.Select(point => point with { RunId = queued[point.Index].RunId, Status = RunStatus.Queued })],
        };
        sweeps.Save(record);
        return record;
    }

    /// <summary>
    /// The record with each point's status as its run's manifest says now, ended (FINISHED, FAILED or KILLED) once no
    /// point is QUEUED or RUNNING; saved when it changed.
    /// </summary>
    public static SweepRecord Refresh(RunStore store, SweepRecord record)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(record);
        var points = record.Points.Select(point => point.RunId is { } id ? point with { Status = store.Load(id).Status } : point).ToList();
        var updated = record with { Points = points };
        if (record.EndedAt is null && points.All(point => point.Status is not (RunStatus.Queued or RunStatus.Running)))
        {
            updated = End(updated, null, null);
        }
        else if (points.Any(point => point.Status == RunStatus.Running))
        {
            updated = updated with { Status = RunStatus.Running };
        }

        if (!updated.Points.SequenceEqual(record.Points) || updated.Status != record.Status)
        {
            new SweepStore(store).Save(updated);
        }

        return updated;
    }

    private static (RunStore Store, SweepStore Sweeps, SweepRecord Record, IReadOnlyList<IReadOnlyDictionary<string, string>> Points) Begin(SweepRequest request, string backend)
    {
        var template = request.Template;
        SweepGrid.Check(request.Grid, template.Parameters.Select(pair => pair.Key));
        var points = SweepGrid.Points(request.Grid);
        var store = RunStore.Open(template.StoreDirectory);
        var sweeps = new SweepStore(store);
        var startedAt = DateTimeOffset.UtcNow;
        var record = new SweepRecord
        {
            SweepId = sweeps.Create(startedAt),
            Status = RunStatus.Running,
            Repro = new ToolRecord(RunService.ToolVersion),
            ProjectDirectory = Path.GetFullPath(template.Uri?.Location ?? template.ProjectDirectory),
            EntryPoint = template.EntryPoint,
            Backend = backend,
            Parallelism = request.Parallelism,
            Parameters = template.Parameters.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal),
            Grid = request.Grid,
            StartedAt = startedAt,
            Points = [.. points.Select((point, index) => new SweepPointRecord(index, point, null, null))],
        };
        sweeps.Save(record);
        return (store, sweeps, record, points);
    }

    // A point as a cluster job runs: captured and queued with its snapshot under the store's jobs folder, run there,
    // and the snapshot removed (kept only when it holds outputs the object store does not).
    private static async Task<RunManifest> RunInSnapshotAsync(RunStore store, RunRequest point, Interruption interruption, CancellationToken cancellationToken)
    {
        var queuedAt = DateTimeOffset.UtcNow;
        var queued = (await RunService.RunAsync(point, interruption, ClusterSubmission.Stages, cancellationToken).ConfigureAwait(false)).Manifest;
        var jobFolder = QueueStage.JobFolder(store.Root, queued.RunId);
        return await SnapshotRunner.RunThenRemoveAsync(
            new SnapshotRunRequest(store, queued, Path.Combine(jobFolder, QueueStage.SnapshotFolderName), point.Environment)
            {
                CopyOutputsBack = false,
                QueuedAt = queuedAt,
                Python = point.Python,
                ObjectSizeLimit = point.ObjectSizeLimit,
                EchoStdout = point.EchoStdout,
                EchoStderr = point.EchoStderr,
            },
            jobFolder,
            interruption,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether a local sweep of <paramref name="template"/> runs its points in snapshots (its project has a commit to
    /// snapshot; a project from the git cache always has), so that their outputs stay in the store.
    /// </summary>
    public static bool HasSnapshots(RunRequest template)
    {
        ArgumentNullException.ThrowIfNull(template);
        if (template.Uri is { } uri && ProjectSource.UsesCache(uri, template.Version))
        {
            return true;
        }

        var folder = ProjectFolder(template);
        if (!Directory.Exists(folder) || Repository.Discover(folder) is not { } gitDirectory)
        {
            return false;
        }

        using var repository = new Repository(gitDirectory);
        return !repository.Info.IsHeadUnborn;
    }

    private static string ProjectFolder(RunRequest template) =>
        template.Uri is { } uri ? Path.GetFullPath(Path.Combine(uri.Location, uri.Subdirectory)) : Path.GetFullPath(template.ProjectDirectory);

    private static RunRequest PointRequest(SweepRequest request, string sweepId, int index, IReadOnlyDictionary<string, string> point) =>
        request.Template with
        {
            Parameters = GivenParameters.From(request.Template.Parameters.Concat(point)),
            Sweep = new SweepPoint(sweepId, index),
            RunName = request.Template.RunName ?? $"{request.Template.EntryPoint} {string.Join(' ', point.Select(pair => $"{pair.Key}={pair.Value}"))}",
        };

    private static SweepRecord End(SweepRecord record, Interruption? interruption, string? failure)
    {
        var statuses = record.Points.Select(point => point.Status).ToList();
        var (status, message) = interruption?.IsRequested == true || statuses.Any(status => status == RunStatus.Killed)
            ? (RunStatus.Killed, "interrupted: points that had not started were not run")
            : failure is not null
                ? (RunStatus.Failed, failure)
                : statuses.All(status => status == RunStatus.Finished)
                    ? (RunStatus.Finished, (string?)null)
                    : (RunStatus.Failed, $"{statuses.Count(status => status != RunStatus.Finished)} of {statuses.Count} points did not finish");
        return record with { Status = status, StatusMessage = message, EndedAt = DateTimeOffset.UtcNow };
    }
}
