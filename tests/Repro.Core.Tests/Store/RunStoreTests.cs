using Repro.Core.Errors;
using Repro.Core.FileSystem;
using Repro.Core.Runs;
using Repro.Core.Store;
using Repro.Core.Tests.Verification.Differences;

namespace Repro.Core.Tests.Store;

public sealed class RunStoreTests : IDisposable
{
    private readonly TempDirectory _temp = new("store");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ChooseLocation_OptionThenVariableThenProject()
    {
        Assert.Equal("/opt/store", RunStore.ChooseLocation("/opt/store", "/var/store", "/p"));
        Assert.Equal("/var/store", RunStore.ChooseLocation(null, "/var/store", "/p"));
        Assert.Equal("/var/store", RunStore.ChooseLocation("  ", "/var/store", "/p"));
        Assert.Equal("/p/.repro", RunStore.ChooseLocation(null, null, "/p"));
    }

    [Fact]
    public void FindLocation_WithoutOptionOrVariable_IsTheNearestStoreAbove()
    {
        RunStore.Open(_temp.Combine("project", ".repro"));
        var deep = _temp.Folder("project/src/models");

        Assert.Equal(_temp.Combine("project", ".repro"), RunStore.FindLocation(null, null, deep));
        Assert.Equal(Path.Combine(_temp.Path, ".repro"), RunStore.FindLocation(null, null, _temp.Path));
    }

    [Fact]
    public void Open_NewFolder_CreatesTheLayoutAndKeepsItOutOfGit()
    {
        var store = RunStore.Open(_temp.Combine("s"));

        Assert.True(Directory.Exists(store.RunsDirectory));
        Assert.Equal("# Written by repro: the run store is never part of the repository.\n*\n", File.ReadAllText(Path.Combine(store.Root, ".gitignore")));
    }

    [Fact]
    public void OpenExisting_NoStore_IsBadInputAndCreatesNothing()
    {
        var error = Assert.Throws<InputException>(() => RunStore.OpenExisting(_temp.Combine("none")));

        Assert.Contains("no run store", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Combine("none")));
    }

    [Fact]
    public void Load_RunIdDisagreeingWithItsFolder_GivesTheFolderNameWithAWarning()
    {
        var store = RunStore.Open(_temp.Combine("s"));
        var manifest = Manifest(store, DateTimeOffset.UtcNow, RunStatus.Finished);
        store.Save(manifest);
        var path = store.GetRunFolder(manifest.RunId).Manifest;
        File.WriteAllBytes(path, ManifestSerializer.Serialize(manifest with { RunId = "../../../etc" }));
        var warnings = new List<string>();

        var loaded = store.Load(manifest.RunId, warnings);

        Assert.Equal(manifest.RunId, loaded.RunId);
        Assert.Equal($"{path}: its runId '../../../etc' disagrees with its folder; the run is {manifest.RunId}", Assert.Single(warnings));
    }

    [UnixFact]
    public void DisplayStatus_RunningRun_IsAbandonedOnceItsLockIsFree()
    {
        var store = RunStore.Open(_temp.Combine("s"));
        var manifest = Manifest(store, DateTimeOffset.UtcNow, RunStatus.Running);
        var folder = store.GetRunFolder(manifest.RunId);
        var held = RunStore.LockRun(folder);
        store.Save(manifest);

        Assert.Equal(RunStatus.Running, store.DisplayStatus(manifest));
        held.Dispose();
        Assert.Equal(RunStatus.Abandoned, store.DisplayStatus(manifest));
        Assert.Equal(RunStatus.Running, store.Load(manifest.RunId).Status);
    }

    [UnixFact]
    public async Task LockRun_HolderLetsGoWithinThePatience_TakesTheLock()
    {
        var store = RunStore.Open(_temp.Combine("s"));
        var folder = store.CreateRun(DateTimeOffset.UtcNow);
        var other = RunStore.LockRun(folder);

        Assert.Throws<StoreException>(() => RunStore.LockRun(folder));
        var release = Task.Run(async () =>
        {
            await Task.Delay(100);
            other.Dispose();
        });
        using var taken = RunStore.LockRun(folder, TimeSpan.FromSeconds(10));
        await release;

        Assert.Equal(LockState.Held, FileLock.Probe(folder.Lock));
    }

    [Fact]
    public void CreateRun_SameMillisecond_GivesDistinctWellFormedFolders()
    {
        var store = RunStore.Open(_temp.Combine("s"));
        var time = new DateTimeOffset(2025, 3, 1, 10, 15, 0, 123, TimeSpan.Zero);

        var folders = Enumerable.Range(0, 20).Select(_ => store.CreateRun(time)).ToList();

        Assert.Equal(20, folders.Select(folder => folder.RunId).Distinct().Count());
        Assert.All(folders, folder => Assert.True(RunId.IsWellFormed(folder.RunId), folder.RunId));
        Assert.All(folders, folder => Assert.StartsWith("20250301-101500-123-", folder.RunId, StringComparison.Ordinal));
        Assert.All(folders, folder => Assert.True(Directory.Exists(folder.Path)));
    }

    [Theory]
    [InlineData("../etc")]
    [InlineData("/etc/passwd")]
    [InlineData("20250301-101500-123-0123abc")]
    public void GetRunFolder_NotARunId_IsBadInput(string runId)
    {
        var store = RunStore.Open(_temp.Combine("s"));

        Assert.Throws<InputException>(() => store.GetRunFolder(runId));
    }

    [Fact]
    public void SaveThenLoad_GivesTheSameManifest()
    {
        var store = RunStore.Open(_temp.Combine("s"));
        var manifest = Manifest(store);

        store.Save(manifest);

        Assert.Equal(ManifestSerializer.Serialize(manifest), ManifestSerializer.Serialize(store.Load(manifest.RunId)));
        Assert.Equal(ManifestSerializer.Serialize(manifest), File.ReadAllBytes(store.GetRunFolder(manifest.RunId).Manifest));
    }

    [Fact]
    public void Load_UnknownRun_IsBadInput()
    {
        var store = RunStore.Open(_temp.Combine("s"));

        Assert.Throws<InputException>(() => store.Load("20250301-101500-123-0123abcd"));
    }

    [Fact]
    public void Load_DamagedManifest_IsAStoreErrorNamingFileLineAndColumn()
    {
        var store = RunStore.Open(_temp.Combine("s"));
        var folder = store.CreateRun(DateTimeOffset.UtcNow);
        File.WriteAllText(folder.Manifest, "{\n  \"runId\": 3,\n");

        var error = Assert.Throws<StoreException>(() => store.Load(folder.RunId));

        Assert.StartsWith($"{folder.Manifest}:2:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_LatestPrefixAndFullId_NameTheRun()
    {
        var store = RunStore.Open(_temp.Combine("s"));
        var first = Manifest(store, new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var second = Manifest(store, new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.Zero));
        store.Save(first);
        store.Save(second);
        store.CreateRun(new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(second.RunId, store.Resolve("latest"));
        Assert.Equal(first.RunId, store.Resolve("202501"));
        Assert.Equal(second.RunId, store.Resolve(second.RunId));
        Assert.Equal([first.RunId, second.RunId], store.ListRunIds());
    }

    [Fact]
    public void Resolve_LatestWhenNoFolderHasAManifest_SaysTheStoreHasNoRuns()
    {
        var store = RunStore.Open(_temp.Combine("s"));
        store.CreateRun(new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero));

        var error = Assert.Throws<InputException>(() => store.Resolve("latest"));

        Assert.Equal($"no runs in {store.Root}", error.Message);
    }

    [Theory]
    [InlineData("", "a run must be named")]
    [InlineData("2025", "matches 2 runs")]
    [InlineData("2024", "no run matches '2024'")]
    [InlineData("../runs", "does not name a run")]
    public void Resolve_ReferenceThatNamesNoSingleRun_IsBadInput(string reference, string expected)
    {
        var store = RunStore.Open(_temp.Combine("s"));
        store.Save(Manifest(store, new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        store.Save(Manifest(store, new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.Zero)));

        var error = Assert.Throws<InputException>(() => store.Resolve(reference));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    internal static RunManifest Manifest(RunStore store, DateTimeOffset? createdAt = null, RunStatus status = RunStatus.Finished) =>
        TestManifests.Original() with { RunId = store.CreateRun(createdAt ?? DateTimeOffset.UtcNow).RunId, Status = status };
}
