using System.Runtime.Versioning;

namespace Repro.Cli.IntegrationTests.Fixtures;

/// <summary>
/// The push, pull and fetch behaviour every kind of remote owes the user, written once. Each kind's test class says
/// how its remote is set up and where an object lands on it, and runs each body from a test of its own, so a kind
/// keeps its own attribute (the S3 tests fail rather than skip under <c>CI=true</c> when s3rver cannot start).
/// </summary>
public abstract class RemoteRoundTripTests : DataTestBase
{
    /// <summary>The remote's name, as <c>remote add</c> gave it and as messages name it.</summary>
    protected abstract string RemoteName { get; }

    /// <summary>A recorded project whose default remote is this kind's, committed with the project.</summary>
    /// <param name="remoteArguments">Extra arguments for <c>repro remote add</c>.</param>
    protected abstract (string Project, GitRepository Git, string RunId) ProjectWithRemote(params string[] remoteArguments);

    /// <summary>The local file that holds the object <paramref name="sha256"/> on the remote, once pushed.</summary>
    protected abstract string RemoteObjectFile(string sha256);

    /// <summary>
    /// Push, then pull into a fresh clone: the run is listed as pulled with its manifest byte for byte, the object is
    /// on the remote intact, and checkout there restores the outputs identically.
    /// </summary>
    protected (string Project, string Clone) PushThenPullIntoAFreshClone(params string[] remoteArguments)
    {
        var (project, _, runId) = ProjectWithRemote(remoteArguments);

        var push = Repro.Run(project, "push", runId);
        var clone = Temp.Combine("clone");
        GitRepository.Clone(project, clone);
        var pull = Repro.Run(clone, "pull", "latest");
        var list = Repro.Run(clone, "list", "--json");
        var checkout = Repro.Run(clone, "checkout", runId, "--outputs", "--json");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Contains($"pushed     {runId}", push.Stdout, StringComparison.Ordinal);
        var model = Sha256Of(Path.Combine(project, "out", "model.bin"));
        Assert.Equal(model, Sha256Of(RemoteObjectFile(model)));
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
        return (project, clone);
    }

    /// <summary>An object damaged on the remote is caught on download: one line, exit 3, nothing written.</summary>
    [UnsupportedOSPlatform("windows")]
    protected void PullOfAnObjectDamagedOnTheRemote()
    {
        var (project, _, runId) = ProjectWithRemote();
        Assert.Equal(0, Repro.Run(project, "push", runId).ExitCode);
        var model = Sha256Of(Path.Combine(project, "out", "model.bin"));
        Damage(RemoteObjectFile(model));
        var clone = Temp.Combine("clone");
        GitRepository.Clone(project, clone);

        var pull = Repro.Run(clone, "pull", "--all");

        Assert.Equal(3, pull.ExitCode);
        Assert.StartsWith("repro: ", pull.Stderr, StringComparison.Ordinal);
        Assert.Contains(model[2..], pull.Stderr, StringComparison.Ordinal);
        Assert.Contains("is damaged", pull.Stderr, StringComparison.Ordinal);
        Assert.Single(pull.Stderr.Trim().Split('\n'));
        Assert.Empty(RunIds(StoreOf(clone)));
        Assert.False(File.Exists(ObjectPath(StoreOf(clone), model)));
        var objects = Path.Combine(StoreOf(clone), "objects");
        Assert.DoesNotContain(Directory.Exists(objects) ? Directory.GetFiles(objects, "*", SearchOption.AllDirectories) : Array.Empty<string>(), f => f.Contains(model[2..], StringComparison.Ordinal));
    }

    /// <summary><c>repro checkout</c> fetches an object the local store lacks from the default remote.</summary>
    protected void CheckoutOfAnObjectMissingLocally()
    {
        var (project, _, runId) = ProjectWithRemote();
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

    /// <summary>
    /// <c>repro verify</c> of a run whose input changed and whose object is only on the remote fetches it, restores it
    /// in its throwaway checkout and reproduces, leaving the workspace as it was.
    /// </summary>
    protected void VerifyOfAChangedInputWhoseObjectIsOnlyOnTheRemote()
    {
        var (project, _, runId) = ProjectWithRemote();
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
