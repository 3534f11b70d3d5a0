using System.Runtime.Versioning;

namespace Repro.Cli.IntegrationTests.Fixtures;

/// <summary>
/// The behaviours every remote kind must have, written once: push then pull into a fresh clone of a project that is
/// gone, checkout and verify there; a damaged object refused on download; checkout and verify fetching what the local
/// store lacks. Each kind's test class calls these from its own test methods, so that each keeps its own attribute
/// (the S3 ones skip on a machine without s3rver but run, and fail, under CI=true: <see cref="S3FactAttribute"/>).
/// </summary>
public abstract class RemoteTestBase : DataTestBase
{
    /// <summary>The name the remote is added under, as messages name it.</summary>
    protected abstract string RemoteName { get; }

    /// <summary>Adds the remote to <paramref name="project"/> as its default, with extra <c>remote add</c> arguments.</summary>
    protected abstract void AddDefaultRemote(string project, params string[] arguments);

    /// <summary>The file that holds the bytes of an object on the remote.</summary>
    protected abstract string RemoteObjectFile(string sha256);

    /// <summary>
    /// Records a run, pushes it, clones the project, moves the original away (the teammate's machine has only the
    /// clone and the remote), pulls into the clone, checks the run's data out there and verifies it: REPRODUCED.
    /// </summary>
    /// <returns>Where the original project now is, the clone, the run and the results of push and pull.</returns>
    protected (string Original, string Clone, string RunId, ProcessResult Push, ProcessResult Pull) PushPullCheckoutAndVerifyInAFreshClone(
        string[] runArguments, params string[] remoteArguments)
    {
        var (project, git, runId) = RecordedProject(runArguments);
        AddDefaultRemote(project, remoteArguments);
        git.CommitAll("remotes");
        var model = Sha256Of(Path.Combine(project, "out", "model.bin"));
        var modelBytes = File.ReadAllBytes(Path.Combine(project, "out", "model.bin"));

        var push = Repro.Run(project, "push", runId);
        var clone = Temp.Combine("clone");
        GitRepository.Clone(project, clone);
        var original = Temp.Combine("gone");
        Directory.Move(project, original);
        var pull = Repro.Run(clone, "pull", runId);
        var list = Repro.Run(clone, "list");
        var checkout = Repro.Run(clone, "checkout", runId, "--json");
        var verify = Repro.Run(clone, "verify", runId, "--json");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Equal(model, Sha256Of(RemoteObjectFile(model)));
        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Contains("FINISHED (pulled)", list.Stdout, StringComparison.Ordinal);
        Assert.Equal(
            File.ReadAllBytes(Path.Combine(StoreOf(original), "runs", runId, "run.json")),
            File.ReadAllBytes(Path.Combine(StoreOf(clone), "runs", runId, "run.json")));
        Assert.True(checkout.ExitCode == 0, checkout.ToString());
        Assert.Equal(
            new Dictionary<string, string> { ["data/in.csv"] = "identical", ["data/ref.csv"] = "identical", ["out/copy.csv"] = "restored", ["out/model.bin"] = "restored" },
            States(checkout.Stdout));
        Assert.Equal(modelBytes, File.ReadAllBytes(Path.Combine(clone, "out", "model.bin")));
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Equal("REPRODUCED", (string?)ParseJson(verify.Stdout)["verdict"]);
        return (original, clone, runId, push, pull);
    }

    /// <summary>A pushed object damaged on the remote (one bit flipped, size kept): the pull says so and writes nothing.</summary>
    [UnsupportedOSPlatform("windows")]
    protected void PullOfAnObjectDamagedOnTheRemoteIsRefusedAndWritesNothing()
    {
        var (project, git, runId) = RecordedProject();
        AddDefaultRemote(project);
        git.CommitAll("remotes");
        Assert.Equal(0, Repro.Run(project, "push", runId).ExitCode);
        var model = Sha256Of(Path.Combine(project, "out", "model.bin"));
        Damage(RemoteObjectFile(model));
        var clone = Temp.Combine("clone");
        GitRepository.Clone(project, clone);

        var pull = Repro.Run(clone, "pull", "--all");

        Assert.Equal(3, pull.ExitCode);
        Assert.StartsWith("repro: ", pull.Stderr, StringComparison.Ordinal);
        Assert.Contains(RemoteName, pull.Stderr, StringComparison.Ordinal);
        Assert.Contains(model[2..], pull.Stderr, StringComparison.Ordinal);
        Assert.Contains("is damaged", pull.Stderr, StringComparison.Ordinal);
        Assert.Single(pull.Stderr.Trim().Split('\n'));
        Assert.Empty(RunIds(StoreOf(clone)));
        Assert.False(File.Exists(ObjectPath(StoreOf(clone), model)));
        var objects = Path.Combine(StoreOf(clone), "objects");
        Assert.DoesNotContain(
            Directory.Exists(objects) ? Directory.GetFiles(objects, "*", SearchOption.AllDirectories) : [],
            f => f.Contains(model[2..], StringComparison.Ordinal));
    }

    /// <summary>An output whose object and file are both gone locally: checkout fetches the object from the default remote.</summary>
    protected void CheckoutFetchesAnObjectMissingLocallyFromTheDefaultRemote()
    {
        var (project, _, runId) = RecordedProject("-P", "n=9");
        AddDefaultRemote(project);
        Assert.Equal(0, Repro.Run(project, "push", runId).ExitCode);
        var modelPath = Path.Combine(project, "out", "model.bin");
        var model = Sha256Of(modelPath);
        var content = File.ReadAllBytes(modelPath);
        File.Delete(ObjectPath(StoreOf(project), model));
        File.Delete(modelPath);

        var result = Repro.Run(project, "checkout", runId, "out/model.bin");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"fetched 1 object(s) from {RemoteName}", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(content, File.ReadAllBytes(modelPath));
        Assert.Equal(model, Sha256Of(ObjectPath(StoreOf(project), model)));
    }

    /// <summary>An input changed in the workspace whose recorded object only the remote has: verify fetches and restores it.</summary>
    protected void VerifyFetchesAChangedInputWhoseObjectOnlyTheRemoteHasAndReproduces()
    {
        var (project, _, runId) = RecordedProject("-P", "n=4");
        AddDefaultRemote(project);
        Assert.Equal(0, Repro.Run(project, "push", runId).ExitCode);
        var input = Path.Combine(project, "data", "in.csv");
        var recorded = Sha256Of(input);
        File.Delete(ObjectPath(StoreOf(project), recorded));
        File.WriteAllText(input, "changed since\n");

        var result = Repro.Run(project, "verify", runId);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("REPRODUCED", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"input data/in.csv: workspace differs, restored from store (fetched from {RemoteName}", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(recorded, Sha256Of(ObjectPath(StoreOf(project), recorded)));
        Assert.Equal("changed since\n", File.ReadAllText(input));
    }
}
