using Repro.Core.Runs;
using Repro.Core.Store;

namespace Repro.Core.Tests.Store;

public sealed class RunIndexTests : IDisposable
{
    private readonly TempDirectory _temp = new("index");
    private readonly RunStore _store;

    public RunIndexTests()
    {
        _store = RunStore.Open(_temp.Combine("s"));
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Query_Filters_KeepMatchingRunsNewestFirst()
    {
        var a = Save(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), RunStatus.Finished, "train", "exp-a");
        var b = Save(new DateTimeOffset(2025, 1, 2, 0, 0, 0, TimeSpan.Zero), RunStatus.Failed, "broken", null);
        var c = Save(new DateTimeOffset(2025, 1, 3, 0, 0, 0, TimeSpan.Zero), RunStatus.Finished, "train", "exp-b");
        using var index = RunIndex.Open(_store);

        Assert.Equal([c, b, a], Ids(index, new RunQuery()));
        Assert.Equal([c, a], Ids(index, new RunQuery(EntryPoint: "train")));
        Assert.Equal([b], Ids(index, new RunQuery(Status: RunStatus.Failed)));
        Assert.Equal([a], Ids(index, new RunQuery(ExperimentName: "exp-a")));
        Assert.Equal([c], Ids(index, new RunQuery(Limit: 1)));
    }

    [Fact]
    public void Query_Summary_HoldsUserParametersAndMetricsButNotDefaults()
    {
        var id = Save(DateTimeOffset.UtcNow, RunStatus.Finished, "train", null);
        using var index = RunIndex.Open(_store);

        var summary = Assert.Single(index.Query(new RunQuery()));

        Assert.Equal(id, summary.RunId);
        Assert.Equal(new Dictionary<string, string> { ["alpha"] = "0.1" }, summary.Parameters);
        Assert.NotEmpty(summary.Metrics);
        Assert.Equal(RunStatus.Finished, summary.Status);
    }

    [Fact]
    public void Synchronize_ManifestsWrittenBehindItsBack_AreAddedChangedAndDropped()
    {
        var kept = Save(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), RunStatus.Running, "train", null);
        var removed = Save(new DateTimeOffset(2025, 1, 2, 0, 0, 0, TimeSpan.Zero), RunStatus.Finished, "train", null);
        var damaged = Save(new DateTimeOffset(2025, 1, 3, 0, 0, 0, TimeSpan.Zero), RunStatus.Finished, "train", null);
        var manifest = _store.Load(kept) with { Status = RunStatus.Finished };
        File.WriteAllBytes(_store.GetRunFolder(kept).Manifest, ManifestSerializer.Serialize(manifest));
        File.SetLastWriteTimeUtc(_store.GetRunFolder(kept).Manifest, DateTime.UtcNow.AddMinutes(1));
        Directory.Delete(_store.GetRunDirectory(removed), recursive: true);
        File.WriteAllText(_store.GetRunFolder(damaged).Manifest, "{");
        File.SetLastWriteTimeUtc(_store.GetRunFolder(damaged).Manifest, DateTime.UtcNow.AddMinutes(1));
        var added = RunStoreTests.Manifest(_store, new DateTimeOffset(2025, 1, 4, 0, 0, 0, TimeSpan.Zero));
        File.WriteAllBytes(_store.GetRunFolder(added.RunId).Manifest, ManifestSerializer.Serialize(added));
        using var index = RunIndex.Open(_store);

        index.Synchronize();

        var runs = index.Query(new RunQuery());
        Assert.Equal([added.RunId, kept], runs.Select(run => run.RunId));
        Assert.Equal(RunStatus.Finished, runs.Single(run => run.RunId == kept).Status);
    }

    [Fact]
    public void Open_CorruptIndexFile_IsRebuiltFromTheManifests()
    {
        var id = Save(DateTimeOffset.UtcNow, RunStatus.Finished, "train", null);
        File.WriteAllText(_store.IndexPath, "this is not an SQLite database, and it is long enough to have a header that fails");

        using var index = RunIndex.Open(_store);
        index.Synchronize();

        Assert.Equal([id], Ids(index, new RunQuery()));
    }

    [Fact]
    public void Query_ClusterRuns_CarryTheirJobIdAndAnArrayPointItsIndex()
    {
        var local = Save(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), RunStatus.Finished, "train", null);
        var job = SaveOnCluster(new DateTimeOffset(2025, 1, 2, 0, 0, 0, TimeSpan.Zero), RunStatus.Queued, arrayIndex: null);
        var point = SaveOnCluster(new DateTimeOffset(2025, 1, 3, 0, 0, 0, TimeSpan.Zero), RunStatus.Running, arrayIndex: 3);
        using var index = RunIndex.Open(_store);
        index.Synchronize();

        var jobs = index.Query(new RunQuery()).ToDictionary(run => run.RunId, run => run.JobId);

        Assert.Null(jobs[local]);
        Assert.Equal("4242", jobs[job]);
        Assert.Equal("4242_3", jobs[point]);
        Assert.Equal(jobs, RunListing.List(_store, new RunQuery()).Runs.ToDictionary(run => run.RunId, run => run.JobId));
    }

    [Fact]
    public void Query_RunIndexedBeforeItsJobWasSubmitted_ShowsTheJobOnceTheManifestNamesIt()
    {
        var queued = RunStoreTests.Manifest(_store, DateTimeOffset.UtcNow, RunStatus.Queued) with { Verification = null, Verifies = null };
        _store.Save(queued);
        using var index = RunIndex.Open(_store);
        index.Synchronize();
        Assert.Null(Assert.Single(index.Query(new RunQuery())).JobId);

        _store.Save(queued with { Scheduler = new SchedulerRecord { Backend = "slurm", JobId = "77", SubmittedAt = DateTimeOffset.UtcNow } });
        index.Synchronize();

        Assert.Equal("77", Assert.Single(index.Query(new RunQuery())).JobId);
    }

    private static List<string> Ids(RunIndex index, RunQuery query) => index.Query(query).Select(run => run.RunId).ToList();

    private string SaveOnCluster(DateTimeOffset createdAt, RunStatus status, int? arrayIndex)
    {
        var manifest = RunStoreTests.Manifest(_store, createdAt, status) with
        {
            Verification = null,
            Verifies = null,
            Scheduler = new SchedulerRecord { Backend = "slurm", JobId = "4242", ArrayIndex = arrayIndex, SubmittedAt = createdAt },
        };
        _store.Save(manifest);
        return manifest.RunId;
    }

    private string Save(DateTimeOffset createdAt, RunStatus status, string entryPoint, string? experiment)
    {
        var manifest = RunStoreTests.Manifest(_store, createdAt, status) with
        {
            EntryPoint = new EntryPointRecord(entryPoint, EntryPointKind.Declared),
            ExperimentName = experiment,
            Verification = null,
            Verifies = null,
        };
        _store.Save(manifest);
        return manifest.RunId;
    }
}
