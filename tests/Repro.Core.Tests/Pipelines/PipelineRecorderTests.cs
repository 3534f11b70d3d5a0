using Repro.Core.Errors;
using Repro.Core.FileSystem;
using Repro.Core.Pipelines;
using Repro.Core.Runs;
using Repro.Core.Store;
using Repro.Core.Tests.Verification.Differences;

namespace Repro.Core.Tests.Pipelines;

/// <summary>When a running pipeline's record and its reused runs' index rows reach the disk, on a real store.</summary>
public sealed class PipelineRecorderTests : IDisposable
{
    private readonly TempDirectory _temp = new("recorder");
    private readonly RunStore _store;
    private readonly PipelineStore _pipelines;
    private readonly PipelineRecord _first;

    public PipelineRecorderTests()
    {
        _store = RunStore.Open(_temp.Combine("store"));
        _pipelines = new PipelineStore(_store);
        var startedAt = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);
        _first = new PipelineRecord
        {
            PipelineId = _pipelines.Create(startedAt),
            Status = RunStatus.Running,
            Repro = new ToolRecord("test"),
            ProjectDirectory = _temp.Path,
            Targets = ["b"],
            StartedAt = startedAt,
            Steps = [Step("a", PipelineStepState.Pending, null), Step("b", PipelineStepState.Pending, null)],
        };
        _pipelines.Save(_first);
    }

    [Fact]
    public void Update_ReusedStepNotSavedNow_WaitsForTheNextSaveWhichWritesTheLatestRecord()
    {
        var recorder = new PipelineRecorder(_pipelines, _store, _first, onDisk: true);
        var afterA = _first with { Steps = [Step("a", PipelineStepState.Reused, RunStatus.Finished), _first.Steps[1]] };

        recorder.Update(afterA, saveNow: false);

        Assert.Equal(PipelineStepState.Pending, _pipelines.Load(_first.PipelineId).Steps[0].State);
        Assert.Equal(0, recorder.Saves);

        recorder.Flush();

        Assert.Equal(PipelineStepState.Reused, _pipelines.Load(_first.PipelineId).Steps[0].State);
        Assert.Equal(1, recorder.Saves);
        recorder.Flush();
        Assert.Equal(1, recorder.Saves);
    }

    [Fact]
    public void Recorder_FirstRecordNotOnDisk_WrittenWithTheFirstSaveThatMattersAndOnlyThen()
    {
        var pipelines = new PipelineStore(_store);
        var first = _first with { PipelineId = pipelines.Create(_first.StartedAt.AddSeconds(1)) };
        var recorder = new PipelineRecorder(pipelines, _store, first, onDisk: false);

        recorder.Update(first with { Steps = [Step("a", PipelineStepState.Reused, RunStatus.Finished), first.Steps[1]] }, saveNow: false);

        Assert.False(File.Exists(pipelines.PathOf(first.PipelineId)));
        Assert.DoesNotContain(first.PipelineId, pipelines.List());
        Assert.Equal(0, recorder.Saves);

        recorder.Flush();

        Assert.Equal(PipelineStepState.Reused, pipelines.Load(first.PipelineId).Steps[0].State);
        Assert.Contains(first.PipelineId, pipelines.List());
        Assert.Equal(1, recorder.Saves);
    }

    [Fact]
    public void Update_SaveNow_WritesAtOnce()
    {
        var recorder = new PipelineRecorder(_pipelines, _store, _first, onDisk: true);

        recorder.Update(_first with { Steps = [Step("a", PipelineStepState.Executed, RunStatus.Failed), _first.Steps[1]] }, saveNow: true);

        Assert.Equal(RunStatus.Failed, _pipelines.Load(_first.PipelineId).Steps[0].Status);
    }

    [Fact]
    public void Defer_ReusedRunsStaged_ManifestsAppearCompleteAndIndexedOnlyWithTheNextSave()
    {
        var recorder = new PipelineRecorder(_pipelines, _store, _first, onDisk: true);
        var manifests = new[] { new DateTimeOffset(2025, 3, 4, 5, 6, 8, TimeSpan.Zero), new DateTimeOffset(2025, 3, 4, 5, 6, 9, TimeSpan.Zero) }.Select(Staged).ToList();
        foreach (var (manifest, writes, folderLock) in manifests)
        {
            recorder.Defer(writes, manifest, folderLock);
        }

        Assert.True(recorder.DefersIndex);
        Assert.Empty(Indexed());
        Assert.Empty(_store.ListRunIds());

        recorder.Update(_first, saveNow: true);

        Assert.Equal(manifests.Select(staged => staged.Manifest.RunId).Order(StringComparer.Ordinal), Indexed().Order(StringComparer.Ordinal));
        Assert.Equal(manifests.Select(staged => staged.Manifest.RunId).Order(StringComparer.Ordinal), _store.ListRunIds());
        foreach (var (manifest, _, _) in manifests)
        {
            Assert.Equal(manifest.RunId, _store.Load(manifest.RunId).RunId);
            Assert.Equal(["params.json", "run.json", "run.lock"], Directory.GetFiles(_store.GetRunDirectory(manifest.RunId)).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        }
    }

    [UnixFact]
    public void Defer_FolderLock_HeldUntilTheManifestIsInPlace()
    {
        var recorder = new PipelineRecorder(_pipelines, _store, _first, onDisk: true);
        var (manifest, writes, folderLock) = Staged(new DateTimeOffset(2025, 3, 4, 5, 6, 8, TimeSpan.Zero));

        recorder.Defer(writes, manifest, folderLock);

        Assert.True(_store.IsRecording(manifest.RunId));
        Assert.False(_store.IsAbandonedBeforeStart(manifest.RunId));
        recorder.Flush();
        Assert.False(_store.IsRecording(manifest.RunId));
        Assert.True(File.Exists(_store.GetRunFolder(manifest.RunId).Manifest));
    }

    [Fact]
    public void Update_ReusedStepsWaiting_RecordWithTheirFilesAndNoTemporaryLeftBehind()
    {
        var recorder = new PipelineRecorder(_pipelines, _store, _first, onDisk: true);
        var (manifest, writes, folderLock) = Staged(new DateTimeOffset(2025, 3, 4, 5, 6, 8, TimeSpan.Zero));
        recorder.Defer(writes, manifest, folderLock);
        var ended = _first with { Status = RunStatus.Finished, Steps = [Step("a", PipelineStepState.Reused, RunStatus.Finished), Step("b", PipelineStepState.Reused, RunStatus.Finished)] };

        recorder.Update(ended, saveNow: true);

        var saved = _pipelines.Load(_first.PipelineId);
        Assert.Equal(RunStatus.Finished, saved.Status);
        Assert.All(saved.Steps, step => Assert.Equal(PipelineStepState.Reused, step.State));
        Assert.Equal(1, recorder.Saves);
        Assert.Equal(manifest.RunId, _store.Load(manifest.RunId).RunId);
        Assert.Equal([PipelineStore.FileName], Directory.GetFiles(_pipelines.FolderOf(_first.PipelineId)).Select(Path.GetFileName));
    }

    [Fact]
    public void Save_WithAFlush_PreviousRecordStaysUntilTheFlushReturnsAndTheNewOneIsCompleteThen()
    {
        var path = _pipelines.PathOf(_first.PipelineId);
        var next = _first with { Status = RunStatus.Finished };
        string? flushed = null;

        _pipelines.Save(next, temporary =>
        {
            flushed = temporary;
            Assert.Equal(RunStatus.Running, _pipelines.Load(_first.PipelineId).Status);
            Assert.EndsWith("\n", File.ReadAllText(temporary), StringComparison.Ordinal);
        });

        Assert.NotNull(flushed);
        Assert.Equal(Path.GetDirectoryName(path), Path.GetDirectoryName(flushed));
        Assert.False(File.Exists(flushed));
        Assert.Equal(RunStatus.Finished, _pipelines.Load(_first.PipelineId).Status);
    }

    [Fact]
    public void Save_FlushFails_PreviousRecordKeptAndNoTemporaryLeftBehind()
    {
        var next = _first with { Status = RunStatus.Finished };

        Assert.Throws<StoreException>(() => _pipelines.Save(next, _ => throw new IOException("disk full")));

        Assert.Equal(RunStatus.Running, _pipelines.Load(_first.PipelineId).Status);
        Assert.Equal([PipelineStore.FileName], Directory.GetFiles(_pipelines.FolderOf(_first.PipelineId)).Select(Path.GetFileName));
    }

    [Fact]
    public void DefersIndex_StoreThatWritesNoIndex_IsFalse()
    {
        Assert.False(new PipelineRecorder(_pipelines, _store.ForJob(), _first, onDisk: true).DefersIndex);
    }

    public void Dispose() => _temp.Dispose();

    private static PipelineStepRecord Step(string name, PipelineStepState state, RunStatus? status) =>
        new(name, [], state, string.Empty, null, null, status);

    // A finished run staged as a reused step's is: its manifest and params.json, its folder locked.
    private (RunManifest Manifest, DurableWrites Writes, FileLock Lock) Staged(DateTimeOffset createdAt)
    {
        var folder = _store.CreateRun(createdAt);
        var folderLock = RunStore.LockRun(folder);
        var manifest = TestManifests.Original() with { RunId = folder.RunId, Status = RunStatus.Finished };
        var writes = new DurableWrites();
        writes.Stage(folder.Parameters, "{}"u8);
        _store.Deferring(writes).Save(manifest);
        return (manifest, writes, folderLock);
    }

    // The runs in the index, read without bringing it up to date from the manifests.
    private List<string> Indexed()
    {
        if (!File.Exists(_store.IndexPath))
        {
            return [];
        }

        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_store.IndexPath};Mode=ReadOnly;Pooling=False");

        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT run_id FROM runs";
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}
