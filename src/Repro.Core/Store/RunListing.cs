using Microsoft.Data.Sqlite;
using Repro.Core.Diagnostics;
using Repro.Core.Errors;
using Repro.Core.Runs;

namespace Repro.Core.Store;

/// <summary>
/// <c>repro list</c>: the runs of a store, newest first, from the SQLite index when it can be used, and from the
/// manifests themselves when it cannot (a read-only or full store, a damaged index that cannot be rebuilt, a folder
/// where the index belongs). Every run folder shows: a RUNNING run that no repro process records any more is
/// ABANDONED, a folder whose repro died before writing a manifest is ABANDONED too, and a manifest that cannot be read
/// is DAMAGED, with one line naming the file.
/// </summary>
public static class RunListing
{
    /// <summary>Lists the runs matching <paramref name="query"/>.</summary>
    /// <exception cref="StoreException">The store's folders cannot be listed at all.</exception>
    public static RunList List(RunStore store, RunQuery query)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(query);
        var warnings = new List<string>();

        // ABANDONED and DAMAGED are found by looking, not stored: for those, and for RUNNING (which may have become
        // ABANDONED), every candidate is read before the limit applies.
        var derived = query.Status is RunStatus.Running or RunStatus.Abandoned or RunStatus.Damaged;
        var recordedQuery = derived
            ? query with { Status = query.Status == RunStatus.Damaged ? null : RunStatus.Running, Limit = null }
            : query;

        List<RunSummary> recorded;
        IReadOnlyList<DamagedRun> damaged;
        if (query.Status == RunStatus.Damaged)
        {
            recorded = [];
            damaged = FromIndexOrManifests(store, recordedQuery with { Limit = 0 }, warnings, out _);
        }
        else
        {
            damaged = FromIndexOrManifests(store, recordedQuery, warnings, out recorded);
        }

        var runs = recorded.Select(run => run.Status == RunStatus.Running && !store.IsRecording(run.RunId) ? run with { Status = RunStatus.Abandoned } : run).ToList();
        if (query.EntryPoint is null && query.ExperimentName is null)
        {
            runs.AddRange(damaged.Select(run => Unreadable(run.RunId, RunStatus.Damaged, run.Problem)));
            var withManifest = store.ListRunIds().ToHashSet(StringComparer.Ordinal);
            foreach (var id in store.ListRunFolders().Where(id => !withManifest.Contains(id) && store.IsAbandonedBeforeStart(id)))
            {
                runs.Add(Unreadable(id, RunStatus.Abandoned, $"{store.GetRunFolder(id).Manifest} was never written: repro stopped before the entry point started"));
            }
        }

        IEnumerable<RunSummary> listed = runs.OrderByDescending(run => run.RunId, StringComparer.Ordinal);
        if (query.Status is { } status)
        {
            listed = listed.Where(run => run.Status == status);
        }

        if (query.Limit is > 0 and var limit)
        {
            listed = listed.Take(limit);
        }

        return new RunList(listed.ToList(), warnings);
    }

    private static IReadOnlyList<DamagedRun> FromIndexOrManifests(RunStore store, RunQuery query, List<string> warnings, out List<RunSummary> runs)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                var opening = Timings.Measure("index: open (SQLite)");
                using var index = RunIndex.Open(store, warnings);
                opening.Dispose();
                SyncReport report;
                using (Timings.Measure("index: synchronize with the manifests"))
                {
                    report = index.Synchronize();
                }

                warnings.AddRange(report.Warnings);
                using (Timings.Measure("index: query"))
                {
                    runs = query.Limit == 0 ? [] : [.. index.Query(query)];
                }

                return report.Damaged;
            }
            catch (SqliteException exception) when (attempt == 0 && SqliteFiles.IsDamage(exception))
            {
                // Damage found past the file's header: set it aside and build a new one.
                var aside = SqliteFiles.SetAside(store.IndexPath);
                warnings.Add($"the run index {store.IndexPath} was damaged ({exception.Message}); set aside as {aside} and rebuilt from the manifests");
            }
            catch (Exception exception) when (exception is StoreException or SqliteException or IOException or UnauthorizedAccessException)
            {
                warnings.Add($"{Describe(exception)}; listing from the manifests");
                break;
            }
        }

        return FromManifests(store, query, warnings, out runs);
    }

    private static List<DamagedRun> FromManifests(RunStore store, RunQuery query, List<string> warnings, out List<RunSummary> runs)
    {
        var damaged = new List<DamagedRun>();
        runs = [];
        foreach (var id in store.ListRunIds())
        {
            RunManifest manifest;
            try
            {
                manifest = store.Load(id, warnings);
            }
            catch (Exception exception) when (exception is StoreException or InputException)
            {
                damaged.Add(new DamagedRun(id, exception.Message));
                continue;
            }

            var summary = RunSummary.From(manifest) with
            {
                Pulled = File.Exists(Path.Combine(store.GetRunDirectory(id), RunFolder.PulledMarkerFileName)),
            };
            if ((query.EntryPoint is null || summary.EntryPoint == query.EntryPoint)
                && (query.ExperimentName is null || summary.ExperimentName == query.ExperimentName)
                && (query.Status is null || summary.Status == query.Status))
            {
                runs.Add(summary);
            }
        }

        runs.Sort((a, b) => string.CompareOrdinal(b.RunId, a.RunId));
        if (query.Limit is >= 0 and var limit)
        {
            runs = runs.Take(limit).ToList();
        }

        return damaged;
    }

    private static RunSummary Unreadable(string runId, RunStatus status, string problem) =>
        new(runId, status, string.Empty, null, null, null, null, null, new Dictionary<string, string>(), new Dictionary<string, double>(), null)
        {
            Problem = problem,
        };

    private static string Describe(Exception exception) => exception switch
    {
        StoreException => exception.Message,
        _ => $"the run index cannot be used: {exception.Message}",
    };
}

/// <summary>What <see cref="RunListing.List"/> found.</summary>
/// <param name="Runs">The runs, newest first.</param>
/// <param name="Warnings">What was repaired or worked around (a damaged index set aside, a read-only store listed from its manifests, a runId that disagrees with its folder).</param>
public sealed record RunList(IReadOnlyList<RunSummary> Runs, IReadOnlyList<string> Warnings);
