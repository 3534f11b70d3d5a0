using Repro.Core.Pipelines;
using Repro.Core.Runs;
using Repro.Core.Store;
using Repro.Core.Tests.Verification.Differences;

namespace Repro.Core.Tests.Pipelines;

/// <summary>
/// Manifests of the runs a pipeline's steps will most likely reuse, read ahead (<see cref="ManifestPrefetch"/>), and
/// taken by a run-cache lookup only while the manifest's file is unchanged.
/// </summary>
public sealed class ManifestPrefetchTests : IDisposable
{
    private readonly TempDirectory _temp = new("manifest-prefetch");
    private readonly RunStore _store;
    private int _records;

    public ManifestPrefetchTests() => _store = RunStore.Open(_temp.Combine("store"));

    [Fact]
    public void Candidates_LastFinishedStepRecords_AreTheRunsTheyReusedOrTheirOwn()
    {
        var pipelines = new PipelineStore(_store);
        Record(pipelines, ("train", "run-train-1", null, RunStatus.Finished), ("evaluate", "run-eval-1", null, RunStatus.Finished));
        Record(pipelines, ("train", "run-train-2", "run-train-1", RunStatus.Finished), ("evaluate", "run-eval-2", null, RunStatus.Failed));
        Record(pipelines, ("train", null, null, null));

        var candidates = new ManifestPrefetch(_store).Candidates(["train", "evaluate", "never"]);

        Assert.Equal("run-train-1", candidates["train"]);
        Assert.Equal("run-eval-1", candidates["evaluate"]);
        Assert.False(candidates.ContainsKey("never"));
    }

    [Fact]
    public void Load_ManifestReadAheadAndUnchanged_IsTakenWithoutReadingItAgain()
    {
        var run = Saved();
        var prefetch = new ManifestPrefetch(_store);

        prefetch.Fill(run.RunId);
        var loaded = prefetch.Load(run.RunId);

        Assert.Equal(1, prefetch.Taken);
        Assert.Equal(run.RunId, loaded.RunId);
        Assert.Equal(ManifestSerializer.Serialize(_store.Load(run.RunId)), ManifestSerializer.Serialize(loaded));
    }

    [Fact]
    public void Load_ManifestRewrittenAfterItWasReadAhead_IsReadAgain()
    {
        var run = Saved();
        var prefetch = new ManifestPrefetch(_store);
        prefetch.Fill(run.RunId);

        _store.Save(run with { StatusMessage = "rewritten" });
        var loaded = prefetch.Load(run.RunId);

        Assert.Equal(0, prefetch.Taken);
        Assert.Equal("rewritten", loaded.StatusMessage);
    }

    [Fact]
    public void FillAndLoad_RunNotInTheStore_FillKeepsNothingAndLoadSaysThereIsNoSuchRun()
    {
        var prefetch = new ManifestPrefetch(_store);

        prefetch.Fill("20260101-000000-000-00000000");

        Assert.Throws<Repro.Core.Errors.InputException>(() => prefetch.Load("20260101-000000-000-00000000"));
        Assert.Equal(0, prefetch.Taken);
    }

    public void Dispose() => _temp.Dispose();

    private RunManifest Saved()
    {
        var run = TestManifests.Original() with { RunId = _store.CreateRun(DateTimeOffset.UtcNow).RunId, Status = RunStatus.Finished };
        _store.Save(run);
        return run;
    }

    private void Record(PipelineStore pipelines, params (string Name, string? RunId, string? ReusedFrom, RunStatus? Status)[] steps)
    {
        // Pipeline ids are time-ordered: each record starts a minute after the one before.
        var startedAt = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero).AddMinutes(_records++);
        var id = pipelines.Create(startedAt);
        pipelines.Save(new PipelineRecord
        {
            PipelineId = id,
            Status = RunStatus.Finished,
            Repro = new ToolRecord("test"),
            ProjectDirectory = "/p",
            Targets = ["evaluate"],
            Parameters = new Dictionary<string, string>(StringComparer.Ordinal),
            StartedAt = startedAt,
            Steps = [.. steps.Select(step => new PipelineStepRecord(step.Name, [], step.RunId is null ? PipelineStepState.Pending : PipelineStepState.Executed, string.Empty, step.RunId, step.ReusedFrom, step.Status))],
        });
    }
}
