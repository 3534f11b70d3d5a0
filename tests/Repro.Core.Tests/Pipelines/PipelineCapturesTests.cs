using Repro.Core.Execution;
using Repro.Core.Pipelines;
using Repro.Core.Processes;
using Repro.Core.Runs;
using Repro.TestInfrastructure;

namespace Repro.Core.Tests.Pipelines;

/// <summary>
/// When the steps of one pipeline share a capture of the code, and when a step captures it again: on a real git
/// repository whose <c>out/</c> is ignored, with a committed <c>tracked.txt</c>.
/// </summary>
public sealed class PipelineCapturesTests : IDisposable
{
    private readonly GitRepository _repository = new();
    private readonly TempDirectory _runs = new();

    public PipelineCapturesTests()
    {
        _repository.Write(".gitignore", "out/\n");
        _repository.Write("tracked.txt", "committed\n");
        _repository.CommitAll("start");
    }

    [Fact]
    public async Task CaptureGit_TwoSteps_CapturesOnceAndGivesEachRunFolderThePatch()
    {
        _repository.Write("tracked.txt", "edited\n");
        using var captures = new PipelineCaptures();

        var first = await captures.CaptureGitAsync(Step("a"), withListing: false, CancellationToken.None);
        var second = await captures.CaptureGitAsync(Step("b"), withListing: false, CancellationToken.None);

        Assert.Equal(1, captures.GitCaptures);
        Assert.Same(first, second);
        Assert.NotNull(second.Record.Patch);
        Assert.Equal(
            File.ReadAllBytes(Path.Combine(_runs.Path, "a", RunFolder.PatchFileName)),
            File.ReadAllBytes(Path.Combine(_runs.Path, "b", RunFolder.PatchFileName)));
    }

    [Fact]
    public async Task Restored_IgnoredUntrackedFiles_KeepTheCaptureBecauseGitCannotSeeThem()
    {
        using var captures = new PipelineCaptures();
        await captures.CaptureGitAsync(Step("a"), withListing: false, CancellationToken.None);
        var restored = _repository.Write("out/s1/done", "1\n");

        captures.Restored([restored, Path.Combine(_runs.Path, "outside-the-repository.json")]);
        await captures.CaptureGitAsync(Step("b"), withListing: false, CancellationToken.None);

        Assert.Equal(1, captures.GitCaptures);
    }

    [Fact]
    public async Task Restored_UntrackedFileGitSees_CapturesAgainAndTheNextStepListsIt()
    {
        using var captures = new PipelineCaptures();
        await captures.CaptureGitAsync(Step("a"), withListing: false, CancellationToken.None);
        var restored = _repository.Write("models/model.bin", "weights\n");

        captures.Restored([restored]);
        var next = await captures.CaptureGitAsync(Step("b"), withListing: false, CancellationToken.None);

        Assert.Equal(2, captures.GitCaptures);
        Assert.Contains(next.Record.Untracked, file => file.Path == "models/model.bin");
    }

    [Fact]
    public async Task Restored_FileANegatedPatternIncludesAgain_CapturesAgain()
    {
        _repository.Write(".gitignore", "out/\n*.bin\n!model.bin\n");
        _repository.CommitAll("ignore binaries but the model");
        using var captures = new PipelineCaptures();
        await captures.CaptureGitAsync(Step("a"), withListing: false, CancellationToken.None);

        captures.Restored([_repository.Write("weights.bin", "ignored\n")]);
        await captures.CaptureGitAsync(Step("b"), withListing: false, CancellationToken.None);
        Assert.Equal(1, captures.GitCaptures);

        captures.Restored([_repository.Write("model.bin", "seen\n")]);
        var next = await captures.CaptureGitAsync(Step("c"), withListing: false, CancellationToken.None);

        Assert.Equal(2, captures.GitCaptures);
        Assert.Contains(next.Record.Untracked, file => file.Path == "model.bin");
    }

    [UnixFact]
    public async Task Restored_PathGitCannotAnswerFor_CountsAsSeenAndCapturesAgain()
    {
        using var outside = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(_repository.Root, "data"));
        File.CreateSymbolicLink(Path.Combine(_repository.Root, "data", "link"), outside.Path);
        using var captures = new PipelineCaptures();
        await captures.CaptureGitAsync(Step("a"), withListing: false, CancellationToken.None);

        // git check-ignore ends on a path beyond a symbolic link: no answer, so the cautious one.
        captures.Restored([Path.Combine(_repository.Root, "data", "link", "model.bin")]);
        await captures.CaptureGitAsync(Step("b"), withListing: false, CancellationToken.None);

        Assert.Equal(2, captures.GitCaptures);
    }

    [Fact]
    public async Task Restored_RepositoryTheCaptureOpenedForGitmodules_AnswersAsGitDoes()
    {
        // A .gitmodules file makes the capture open the repository with libgit2: the checks use that one.
        _repository.Write(".gitmodules", string.Empty);
        _repository.CommitAll("an empty .gitmodules");
        using var captures = new PipelineCaptures();
        await captures.CaptureGitAsync(Step("a"), withListing: false, CancellationToken.None);

        captures.Restored([_repository.Write("out/s1/done", "1\n")]);
        await captures.CaptureGitAsync(Step("b"), withListing: false, CancellationToken.None);
        Assert.Equal(1, captures.GitCaptures);

        captures.Restored([_repository.Write("models/model.bin", "weights\n")]);
        await captures.CaptureGitAsync(Step("c"), withListing: false, CancellationToken.None);
        Assert.Equal(2, captures.GitCaptures);
    }

    [Fact]
    public async Task Restored_TrackedFileEvenIfIgnored_CapturesAgain()
    {
        _repository.Write(".gitignore", "out/\ntracked.txt\n");
        _repository.CommitAll("ignore a tracked file");
        using var captures = new PipelineCaptures();
        await captures.CaptureGitAsync(Step("a"), withListing: false, CancellationToken.None);
        var restored = _repository.Write("tracked.txt", "restored\n");

        captures.Restored([restored]);
        var next = await captures.CaptureGitAsync(Step("b"), withListing: false, CancellationToken.None);

        Assert.Equal(2, captures.GitCaptures);
        Assert.NotNull(next.Record.Patch);
    }

    [Fact]
    public async Task Executed_AnyStep_CapturesCodeAndEnvironmentAgain()
    {
        using var captures = new PipelineCaptures();
        await captures.CaptureGitAsync(Step("a"), withListing: false, CancellationToken.None);
        await captures.CaptureEnvironmentAsync(Step("a"), listing: null, CancellationToken.None);

        captures.Executed();
        await captures.CaptureGitAsync(Step("b"), withListing: false, CancellationToken.None);
        await captures.CaptureEnvironmentAsync(Step("b"), listing: null, CancellationToken.None);

        Assert.Equal(2, captures.GitCaptures);
        Assert.Equal(2, captures.EnvironmentCaptures);
    }

    [Fact]
    public async Task StartEnvironment_TheFactsTheStepHas_TheStepTakesTheCaptureStartedAhead()
    {
        using var captures = new PipelineCaptures();
        var step = Step("a");

        captures.StartEnvironment(step.ProjectDirectory, step.Command.Command, step.InheritedEnvironment);
        Assert.Equal(1, captures.EnvironmentCaptures);
        var taken = await captures.CaptureEnvironmentAsync(step, listing: null, CancellationToken.None);

        Assert.Equal(1, captures.EnvironmentCaptures);
        Assert.Same(taken, await captures.CaptureEnvironmentAsync(Step("b"), listing: null, CancellationToken.None));
    }

    [Fact]
    public async Task StartEnvironment_AnotherInterpreterOrEnvironment_TheStepCapturesItsOwn()
    {
        using var captures = new PipelineCaptures();
        var step = Step("a");

        captures.StartEnvironment(step.ProjectDirectory, "python3 train.py", step.InheritedEnvironment);
        captures.StartEnvironment(step.ProjectDirectory, step.Command.Command, new Dictionary<string, string>(step.InheritedEnvironment) { ["EXTRA"] = "1" });
        await captures.CaptureEnvironmentAsync(step, listing: null, CancellationToken.None);

        Assert.Equal(3, captures.EnvironmentCaptures);
    }

    [Fact]
    public void PythonHook_StepsUntilOneExecutes_CheckTheFilesOnceAndAfterAnExecutedStepAgain()
    {
        using var captures = new PipelineCaptures();
        var folder = Path.Combine(_runs.Path, "hook");

        var first = captures.PythonHook(folder);
        Assert.Equal(first, captures.PythonHook(folder));
        Assert.Equal(1, captures.PythonHookChecks);
        Assert.NotEmpty(Directory.GetFiles(first.Path));

        captures.Executed();
        Directory.Delete(folder, recursive: true);
        var again = captures.PythonHook(folder);

        Assert.Equal(2, captures.PythonHookChecks);
        Assert.Equal(first, again);
        Assert.NotEmpty(Directory.GetFiles(again.Path));
    }

    [Fact]
    public async Task HasCaptured_OnlyOnceCodeAndEnvironmentAreTakenAndUntilAStepExecutes()
    {
        using var captures = new PipelineCaptures();
        Assert.False(captures.HasCaptured(Step("a")));

        await captures.CaptureGitAsync(Step("a"), withListing: false, CancellationToken.None);
        Assert.False(captures.HasCaptured(Step("a")));
        await captures.CaptureEnvironmentAsync(Step("a"), listing: null, CancellationToken.None);
        Assert.True(captures.HasCaptured(Step("b")));

        captures.Executed();
        Assert.False(captures.HasCaptured(Step("c")));
    }

    [Fact]
    public async Task Restored_FileNamedLikeALockFile_CapturesTheEnvironmentAgainAndNothingElseDoes()
    {
        using var captures = new PipelineCaptures();
        await captures.CaptureEnvironmentAsync(Step("a"), listing: null, CancellationToken.None);

        captures.Restored([_repository.Write("out/model.bin", "weights\n")]);
        await captures.CaptureEnvironmentAsync(Step("b"), listing: null, CancellationToken.None);
        Assert.Equal(1, captures.EnvironmentCaptures);

        captures.Restored([_repository.Write("out/requirements-frozen.txt", "numpy==2.0\n")]);
        var next = await captures.CaptureEnvironmentAsync(Step("c"), listing: null, CancellationToken.None);

        Assert.Equal(2, captures.EnvironmentCaptures);
        Assert.Contains(next.Record.LockFiles, file => file.Path == "out/requirements-frozen.txt");
    }

    [Fact]
    public async Task Restored_AfterAnExecutedStepAddedTheFileToGitsIndex_SeesItThere()
    {
        using var captures = new PipelineCaptures();
        await captures.CaptureGitAsync(Step("a"), withListing: false, CancellationToken.None);
        var restored = _repository.Write("out/model.bin", "weights\n");
        captures.Restored([restored]);
        Assert.Equal(1, captures.GitCaptures);

        // What the executed step's child did: the ignored output is tracked from now on.
        _repository.Git("add", "-f", "out/model.bin");
        captures.Executed();
        await captures.CaptureGitAsync(Step("b"), withListing: false, CancellationToken.None);
        captures.Restored([restored]);
        await captures.CaptureGitAsync(Step("c"), withListing: false, CancellationToken.None);

        Assert.Equal(3, captures.GitCaptures);
    }

    [Fact]
    public async Task StartGit_BeforeTheStepsAreResolved_IsTheCaptureTheFirstStepTakes()
    {
        using var captures = new PipelineCaptures();

        captures.StartGit(_repository.Root);
        await captures.CaptureGitAsync(Step("a"), withListing: false, CancellationToken.None);

        Assert.Equal(1, captures.GitCaptures);
    }

    [Fact]
    public void Fingerprinter_Steps_ShareOneUntilAStepExecutes()
    {
        using var captures = new PipelineCaptures();

        var first = captures.Fingerprinter(WithStore(Step("a")));
        var second = captures.Fingerprinter(WithStore(Step("b")));
        captures.Executed();
        var third = captures.Fingerprinter(WithStore(Step("c")));

        Assert.Same(first, second);
        Assert.NotSame(second, third);
    }

    [Fact]
    public async Task StartPrefetch_SourceInputsTheCacheKnows_TheStepsFingerprinterTakesThem()
    {
        _repository.Write("data/a.txt", "a\n");
        _repository.Write("data/b.txt", "b\n");
        var step = WithStore(Step("a"));
        TrustTheCache(step);
        using var captures = new PipelineCaptures();
        captures.StartPrefetch(step.Store, [new PrefetchStep("a", _repository.Root, [Repro.Core.Capture.Data.DataSpec.Input("data")])]);
        await captures.PrefetchCompletion();
        var records = await captures.Fingerprinter(WithStore(Step("b"))).FingerprintInputsAsync(_repository.Root, [Repro.Core.Capture.Data.DataSpec.Input("data")], CancellationToken.None);

        Assert.Equal(2, captures.PrefetchedDigestsTaken);
        Assert.Equal(2, Assert.Single(records).Files.Count);
    }

    [Fact]
    public async Task StartPrefetch_SourceInputsTheCacheKnows_AStepTakesTheirListingUntilTheListingsStop()
    {
        _repository.Write("data/a.txt", "a\n");
        var step = WithStore(Step("a"));
        TrustTheCache(step);
        using var captures = new PipelineCaptures();
        PrefetchStep[] steps = [new PrefetchStep("a", _repository.Root, [Repro.Core.Capture.Data.DataSpec.Input("data")]), new PrefetchStep("b", _repository.Root, [Repro.Core.Capture.Data.DataSpec.Input("data/a.txt")])];
        captures.StartPrefetch(step.Store, steps);
        await captures.PrefetchCompletion();

        var fingerprinter = captures.Fingerprinter(WithStore(Step("b")));
        await fingerprinter.FingerprintInputsAsync(_repository.Root, [Repro.Core.Capture.Data.DataSpec.Input("data")], CancellationToken.None);
        captures.StopListings();
        await fingerprinter.FingerprintInputsAsync(_repository.Root, [Repro.Core.Capture.Data.DataSpec.Input("data/a.txt")], CancellationToken.None);

        Assert.Equal(1, captures.PrefetchedListingsTaken);
        Assert.Equal(2, captures.PrefetchedDigestsTaken);
    }

    [Fact]
    public async Task StartPrefetch_SpecsItCannotResolve_FailNothingAndTheStepReportsThem()
    {
        var step = WithStore(Step("a"));
        using var captures = new PipelineCaptures();

        captures.StartPrefetch(step.Store, [new PrefetchStep("a", _repository.Root, [Repro.Core.Capture.Data.DataSpec.Input("missing/"), Repro.Core.Capture.Data.DataSpec.Input("../outside")]), new PrefetchStep("b", Path.Combine(_runs.Path, "gone"), [Repro.Core.Capture.Data.DataSpec.Input("data")])]);
        await captures.PrefetchCompletion();
        var fingerprint = captures.Fingerprinter(step).FingerprintInputsAsync(_repository.Root, [Repro.Core.Capture.Data.DataSpec.Input("missing/")], CancellationToken.None);

        await Assert.ThrowsAsync<Repro.Core.Errors.InputException>(() => fingerprint);
        Assert.Equal(0, captures.PrefetchedDigestsTaken);
    }

    public void Dispose()
    {
        _repository.Dispose();
        _runs.Dispose();
    }

    // Files written a moment ago are trusted by the store's hash cache from now on (production waits two seconds).
    private static void TrustTheCache(RunContext run)
    {
        using var cache = Repro.Core.Capture.Data.HashCache.Open(run.Store.Root);
        cache.RacyMargin = TimeSpan.FromDays(-1);
        var files = Directory.GetFiles(run.ProjectDirectory, "*", SearchOption.AllDirectories).Where(path => !path.Contains("/.git/", StringComparison.Ordinal)).ToList();
        cache.PutAll([.. files.Select(path => new Repro.Core.Capture.Data.CacheEntry(path, Repro.Core.FileSystem.FileStatus.Of(path, followLinks: false)!.Value, DataSha256(path)))], DateTimeOffset.UtcNow);
    }

    private static string DataSha256(string path) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));

    private RunContext WithStore(RunContext run)
    {
        run.Store = Repro.Core.Store.RunStore.Open(run.Request.StoreDirectory);
        run.Objects = new Repro.Core.Capture.Data.ObjectStore(run.Store.Root);
        return run;
    }

    // A resolved step of the project at the repository's root, with a run folder of its own.
    private RunContext Step(string name)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_runs.Path, name)).FullName;
        var run = new RunContext(
            new RunRequest { StoreDirectory = Path.Combine(_runs.Path, "store"), Environment = new Dictionary<string, string> { ["PATH"] = System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin" } },
            new Interruption())
        {
            ProjectDirectory = _repository.Root,
            Folder = new RunFolder(folder),
            Command = new Repro.Core.Projects.RenderedCommand(null, new EntryPointRecord(name, EntryPointKind.Declared), [], "echo " + name, ["bash", "-c", "echo " + name], []),
        };
        return run;
    }
}
