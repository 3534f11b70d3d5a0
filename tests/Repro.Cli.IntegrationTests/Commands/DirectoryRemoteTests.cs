using System.Runtime.Versioning;
using Repro.Cli.IntegrationTests.Fixtures;

namespace Repro.Cli.IntegrationTests.Commands;

/// <summary>push, pull and checkout's fetches with a remote that is a folder.</summary>
public sealed class DirectoryRemoteTests : DataTestBase
{
    private string Share => Temp.Combine("share");

    [Fact]
    public void PushThenPullIntoAFreshClone_ListsThePulledRunAndChecksOutIdenticalFiles()
    {
        var (project, git, runId) = RecordedProject("-P", "n=3");
        Directory.CreateDirectory(Share);
        Assert.Equal(0, Repro.Run(project, "remote", "add", "share", Share, "--default").ExitCode);
        git.CommitAll("remotes");

        var push = Repro.Run(project, "push", runId);
        var clone = Temp.Combine("clone");
        GitRepository.Clone(project, clone);
        var pull = Repro.Run(clone, "pull", "--all");
        var list = Repro.Run(clone, "list", "--json");
        var checkout = Repro.Run(clone, "checkout", runId, "--outputs", "--json");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Contains($"pushed     {runId}", push.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Share, "runs", runId, "run.json")));
        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Contains($"pulled     {runId}", pull.Stdout, StringComparison.Ordinal);
        var listed = Assert.Single(System.Text.Json.Nodes.JsonNode.Parse(list.Stdout)!.AsArray());
        Assert.Equal(runId, (string?)listed!["runId"]);
        Assert.True((bool)listed["pulled"]!);
        Assert.Contains("FINISHED (pulled)", Repro.Run(clone, "list").Stdout, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(Path.Combine(StoreOf(project), "runs", runId, "run.json")), File.ReadAllBytes(Path.Combine(StoreOf(clone), "runs", runId, "run.json")));
        Assert.True(checkout.ExitCode == 0, checkout.ToString());
        Assert.Equal(new Dictionary<string, string> { ["out/copy.csv"] = "restored", ["out/model.bin"] = "restored" }, States(checkout.Stdout));
        Assert.Equal(File.ReadAllBytes(Path.Combine(project, "out", "model.bin")), File.ReadAllBytes(Path.Combine(clone, "out", "model.bin")));
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
    public void Pull_ObjectDamagedOnTheRemote_IsDetectedAndNothingIsWritten()
    {
        var (project, git, runId) = RecordedProject();
        Directory.CreateDirectory(Share);
        Repro.Run(project, "remote", "add", "share", Share, "--default");
        git.CommitAll("remotes");
        Assert.Equal(0, Repro.Run(project, "push", runId).ExitCode);
        var model = Sha256Of(Path.Combine(project, "out", "model.bin"));
        Damage(ObjectPath(Share, model));
        var clone = Temp.Combine("clone");
        GitRepository.Clone(project, clone);

        var pull = Repro.Run(clone, "pull", runId);

        Assert.Equal(3, pull.ExitCode);
        Assert.Contains($"object {model} from share", pull.Stderr, StringComparison.Ordinal);
        Assert.Contains("is damaged", pull.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(ObjectPath(StoreOf(clone), model)));
        Assert.Empty(RunIds(StoreOf(clone)));
        Assert.DoesNotContain(Directory.GetFiles(Path.Combine(StoreOf(clone), "objects"), "*", SearchOption.AllDirectories), f => f.Contains(model[2..], StringComparison.Ordinal));
    }

    [Fact]
    public void Checkout_ObjectMissingLocally_IsFetchedFromTheDefaultRemote()
    {
        var (project, _, runId) = RecordedProject("-P", "n=9");
        Directory.CreateDirectory(Share);
        Repro.Run(project, "remote", "add", "share", Share, "--default");
        Assert.Equal(0, Repro.Run(project, "push", runId).ExitCode);
        var modelPath = Path.Combine(project, "out", "model.bin");
        var model = Sha256Of(modelPath);
        File.Delete(ObjectPath(StoreOf(project), model));
        File.Delete(modelPath);

        var result = Repro.Run(project, "checkout", runId, "out/model.bin");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("fetched 1 object(s) from share", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("model 9\n", File.ReadAllText(modelPath));
        Assert.True(File.Exists(ObjectPath(StoreOf(project), model)));
    }

    [Fact]
    public void Verify_ChangedInputWhoseObjectIsOnlyOnTheRemote_FetchesItRestoresItAndReproduces()
    {
        var (project, _, runId) = RecordedProject("-P", "n=4");
        Directory.CreateDirectory(Share);
        Repro.Run(project, "remote", "add", "share", Share, "--default");
        Assert.Equal(0, Repro.Run(project, "push", runId).ExitCode);
        var input = Path.Combine(project, "data", "in.csv");
        var recorded = Sha256Of(input);
        File.Delete(ObjectPath(StoreOf(project), recorded));
        File.WriteAllText(input, "changed since\n");

        var result = Repro.Run(project, "verify", runId);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("REPRODUCED", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("input data/in.csv: workspace differs, restored from store (fetched from share", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(recorded, Sha256Of(ObjectPath(StoreOf(project), recorded)));
        Assert.Equal("changed since\n", File.ReadAllText(input));
    }

    [Fact]
    public void PushThenPullIntoAFreshCloneOfAMovedProject_VerifiesThereAsReproduced()
    {
        var (project, git, runId) = RecordedProject("-P", "n=5");
        Directory.CreateDirectory(Share);
        Repro.Run(project, "remote", "add", "share", Share, "--default");
        git.CommitAll("remotes");
        Assert.Equal(0, Repro.Run(project, "push", runId).ExitCode);
        var clone = Temp.Combine("clone");
        GitRepository.Clone(project, clone);
        // The teammate's machine has no trace of the original project: only the clone and the remote.
        Directory.Move(project, Temp.Combine("gone"));
        Assert.Equal(0, Repro.Run(clone, "pull", runId).ExitCode);

        var result = Repro.Run(clone, "verify", runId, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("REPRODUCED", (string?)ParseJson(result.Stdout)["verdict"]);
    }

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
