using System.Runtime.Versioning;
using Repro.Cli.IntegrationTests.Fixtures;

namespace Repro.Cli.IntegrationTests.Commands;

/// <summary>push, pull and checkout's fetches with a remote that is a folder.</summary>
public sealed class DirectoryRemoteTests : RemoteTestBase
{
    private string Share => Temp.Combine("share");

    /// <inheritdoc />
    protected override string RemoteName => "share";

    /// <inheritdoc />
    protected override void AddDefaultRemote(string project, params string[] arguments)
    {
        Directory.CreateDirectory(Share);
        var add = Repro.Run(project, ["remote", "add", "share", Share, "--default", .. arguments]);
        Assert.True(add.ExitCode == 0, add.ToString());
    }

    /// <inheritdoc />
    protected override string RemoteObjectFile(string sha256) => ObjectPath(Share, sha256);

    [Fact]
    public void PushThenPullIntoAFreshCloneOfAMovedProject_ListsThePulledRunChecksOutIdenticalFilesAndVerifies()
    {
        var (_, clone, runId, push, pull) = PushPullCheckoutAndVerifyInAFreshClone(["-P", "n=3"]);

        Assert.Contains($"pushed     {runId}", push.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Share, "runs", runId, "run.json")));
        Assert.Contains($"pulled     {runId}", pull.Stdout, StringComparison.Ordinal);
        // The clone lists the pulled run (and the verification run made there, which is its own).
        var listed = System.Text.Json.Nodes.JsonNode.Parse(Repro.Run(clone, "list", "--json").Stdout)!.AsArray();
        Assert.True((bool)Assert.Single(listed, run => (string?)run!["runId"] == runId)!["pulled"]!);
    }

    [Fact]
    public void Push_Twice_SendsOnlyWhatTheRemoteLacks()
    {
        var (project, _, first) = RecordedProject("-P", "n=1");
        var second = RunOnce(project, "-P", "n=2");
        Directory.CreateDirectory(Share);
        Repro.Run(project, "remote", "add", "share", Share, "--default");

        var once = Repro.Run(project, "push", first, "--json");
        var twice = Repro.Run(project, "push", "--all", "--json");

        Assert.True(once.ExitCode == 0, once.ToString());
        Assert.Equal(2, (int)ParseJson(once.Stdout)["objectsSent"]!);
        var all = ParseJson(twice.Stdout);
        Assert.Equal(1, (int)all["objectsSent"]!);
        Assert.Equal(2, (int)all["objectsAlreadyThere"]!);
        Assert.Equal(["upToDate", "pushed"], all["runs"]!.AsArray().Select(r => (string?)r!["outcome"]));
        Assert.Equal(second, (string?)all["runs"]![1]!["runId"]);
    }

    [Fact]
    public void Push_InterruptedHalfway_IsCompletedByASecondPushThatSendsTheRest()
    {
        var (project, _, runId) = RecordedProject();
        Directory.CreateDirectory(Share);
        Repro.Run(project, "remote", "add", "share", Share, "--default");
        var model = Sha256Of(Path.Combine(project, "out", "model.bin"));
        var copy = Sha256Of(Path.Combine(project, "out", "copy.csv"));

        // A file where the model's object folder must go: that upload fails after the other object's (one transfer at
        // a time, in manifest order: the input whose copy is out/copy.csv comes first).
        Directory.CreateDirectory(Path.Combine(Share, "objects", "sha256"));
        var blocker = Path.Combine(Share, "objects", "sha256", model[..2]);
        File.WriteAllText(blocker, "in the way");
        var failed = Repro.Run(project, "push", runId, "--jobs", "1");

        Assert.Equal(3, failed.ExitCode);
        Assert.StartsWith($"repro: remote share ({Share}): cannot write", failed.Stderr, StringComparison.Ordinal);
        Assert.Equal(Sha256Of(ObjectPath(StoreOf(project), copy)), Sha256Of(ObjectPath(Share, copy)));
        Assert.False(File.Exists(Path.Combine(Share, "runs", runId, "run.json")), "the manifest goes last: a run is never on the remote without its data");

        File.Delete(blocker);
        var resumed = Repro.Run(project, "push", runId, "--json");

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        var report = ParseJson(resumed.Stdout);
        Assert.Equal(1, (int)report["objectsSent"]!);
        Assert.Equal(1, (int)report["objectsAlreadyThere"]!);
        Assert.Equal(Sha256Of(ObjectPath(StoreOf(project), model)), Sha256Of(ObjectPath(Share, model)));
        Assert.True(File.Exists(Path.Combine(Share, "runs", runId, "run.json")));
        Assert.Empty(Directory.GetFiles(Share, ".tmp-*", SearchOption.AllDirectories));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void Pull_ObjectDamagedOnTheRemote_IsDetectedAndNothingIsWritten() => PullOfAnObjectDamagedOnTheRemoteIsRefusedAndWritesNothing();

    [Fact]
    public void Checkout_ObjectMissingLocally_IsFetchedFromTheDefaultRemote() => CheckoutFetchesAnObjectMissingLocallyFromTheDefaultRemote();

    [Fact]
    public void Verify_ChangedInputWhoseObjectIsOnlyOnTheRemote_FetchesItRestoresItAndReproduces() => VerifyFetchesAChangedInputWhoseObjectOnlyTheRemoteHasAndReproduces();

    [Fact]
    public void PushAndPull_RemoteFolderMissing_ExitThreeWithOneLineAndChangeNothing()
    {
        var (project, _, runId) = RecordedProject();
        Repro.Run(project, "remote", "add", "share", Share, "--default");
        var before = FilesUnder(StoreOf(project));

        var push = Repro.Run(project, "push", runId);
        var pull = Repro.Run(project, "pull", "--all");

        foreach (var result in new[] { push, pull })
        {
            Assert.Equal(3, result.ExitCode);
            Assert.Equal($"repro: remote share ({Share}): the folder {Share} does not exist (is the share mounted?)\n", result.Stderr);
        }

        Assert.False(Directory.Exists(Share));
        Assert.Equal(before.Keys.Where(k => !k.StartsWith("index.db", StringComparison.Ordinal)), FilesUnder(StoreOf(project)).Keys.Where(k => !k.StartsWith("index.db", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("push")]
    [InlineData("pull")]
    public void Transfer_NoRunsNamedAndNoAll_IsBadInput(string command)
    {
        var (project, _, _) = RecordedProject();
        Directory.CreateDirectory(Share);
        Repro.Run(project, "remote", "add", "share", Share, "--default");

        var result = Repro.Run(project, command);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"name the runs to {command}", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Push_NoRemoteDefined_IsBadInput()
    {
        var (project, _, runId) = RecordedProject();

        var result = Repro.Run(project, "push", runId);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("repro: no remote is defined: add one with `repro remote add NAME URL --default`\n", result.Stderr);
    }
}
