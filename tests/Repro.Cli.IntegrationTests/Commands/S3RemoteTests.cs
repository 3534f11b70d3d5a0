using System.Runtime.Versioning;
using Repro.Cli.IntegrationTests.Fixtures;

namespace Repro.Cli.IntegrationTests.Commands;

/// <summary>push, pull and checkout with an S3 remote: a real s3rver on 127.0.0.1, through the AWS SDK.</summary>
public sealed class S3RemoteTests(S3rverFixture fixture) : DataTestBase, IClassFixture<S3rverFixture>
{
    private const string Secret = "repro-test-secret-7f3e91c2";

    private readonly string _prefix = $"t{Guid.NewGuid():N}"[..13];

    private S3rver Server => fixture.Server;

    /// <summary>A recorded project with an S3 default remote under a prefix of its own, committed.</summary>
    private (string Project, GitRepository Git, string RunId) ProjectWithRemote(params string[] addArguments)
    {
        var (project, git, runId) = RecordedProject("-P", "n=5", "-P", "big=12");
        Server.Configure(Repro, Secret);
        var add = Repro.Run(project, ["remote", "add", "origin", $"s3://{S3rver.Bucket}/{_prefix}", "--endpoint", Server.Endpoint, "--default", .. addArguments]);
        Assert.True(add.ExitCode == 0, add.ToString());
        git.CommitAll("remotes");
        return (project, git, runId);
    }

    [S3Fact]
    public void PushThenPullIntoAFreshClone_ChecksOutIdenticalFilesAndWritesNoCredential()
    {
        // 12 MiB in 5 MiB parts: the model goes up as a three-part multipart upload.
        var (project, _, runId) = ProjectWithRemote("--multipart-threshold", "5MiB", "--part-size", "5MiB");

        var push = Repro.Run(project, "push", runId);
        var clone = Temp.Combine("clone");
        GitRepository.Clone(project, clone);
        var pull = Repro.Run(clone, "pull", "latest");
        var checkout = Repro.Run(clone, "checkout", runId, "--json");

        Assert.True(push.ExitCode == 0, push.ToString());
        var model = Sha256Of(Path.Combine(project, "out", "model.bin"));
        Assert.Contains($"{_prefix}/objects/sha256/{model[..2]}/{model[2..]}", Server.Keys(_prefix));
        Assert.Equal(model, Sha256Of(Server.ObjectFile($"{_prefix}/objects/sha256/{model[..2]}/{model[2..]}")));
        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Contains("(pulled)", Repro.Run(clone, "list").Stdout, StringComparison.Ordinal);
        Assert.True(checkout.ExitCode == 0, checkout.ToString());
        Assert.Equal(
            new Dictionary<string, string> { ["data/in.csv"] = "identical", ["data/ref.csv"] = "identical", ["out/copy.csv"] = "restored", ["out/model.bin"] = "restored" },
            States(checkout.Stdout));
        Assert.Equal(File.ReadAllBytes(Path.Combine(project, "out", "model.bin")), File.ReadAllBytes(Path.Combine(clone, "out", "model.bin")));
        foreach (var root in new[] { project, clone, Temp.Combine("home") })
        {
            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Where(f => !f.Contains("/.git/", StringComparison.Ordinal)))
            {
                Assert.False(File.ReadAllText(file).Contains(Secret, StringComparison.Ordinal), $"{file} holds the secret key");
            }
        }
    }

    [S3Fact]
    public void Push_ToARemoteMissingPartOfAnEarlierPush_SendsOnlyTheRest()
    {
        var (project, _, runId) = ProjectWithRemote();
        Assert.Equal(0, Repro.Run(project, "push", runId).ExitCode);
        var model = Sha256Of(Path.Combine(project, "out", "model.bin"));

        // What an interrupted push leaves: some objects there, the rest and the manifest (always last) not.
        Server.Delete($"{_prefix}/objects/sha256/{model[..2]}/{model[2..]}");
        Server.Delete($"{_prefix}/runs/{runId}/run.json");
        var resumed = Repro.Run(project, "push", runId, "--json");

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        var report = ParseJson(resumed.Stdout);
        Assert.Equal(1, (int)report["objectsSent"]!);
        Assert.Equal(1, (int)report["objectsAlreadyThere"]!);
        Assert.Equal(1, (int)report["filesSent"]!);
        Assert.Equal(model, Sha256Of(Server.ObjectFile($"{_prefix}/objects/sha256/{model[..2]}/{model[2..]}")));
    }

    [S3Fact]
    public void Push_ChunkedUploadsToAStoreThatMangledThem_IsCaughtBySizeAndExitsThree()
    {
        var (project, _, runId) = ProjectWithRemote("--chunked-upload");

        var result = Repro.Run(project, "push", runId);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("where", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("this store mangles aws-chunked uploads", result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.DoesNotContain(Server.Keys(_prefix), key => key.EndsWith("run.json", StringComparison.Ordinal));
    }

    [S3Fact]
    [UnsupportedOSPlatform("windows")]
    public void Pull_ObjectDamagedOnTheRemote_IsDetectedAndNothingIsWritten()
    {
        var (project, _, runId) = ProjectWithRemote();
        Assert.Equal(0, Repro.Run(project, "push", runId).ExitCode);
        var model = Sha256Of(Path.Combine(project, "out", "model.bin"));
        Damage(Server.ObjectFile($"{_prefix}/objects/sha256/{model[..2]}/{model[2..]}"));
        var clone = Temp.Combine("clone");
        GitRepository.Clone(project, clone);

        var pull = Repro.Run(clone, "pull", "--all");

        Assert.Equal(3, pull.ExitCode);
        Assert.Contains(model[2..], pull.Stderr, StringComparison.Ordinal);
        Assert.Contains("is damaged", pull.Stderr, StringComparison.Ordinal);
        Assert.Single(pull.Stderr.Trim().Split('\n'));
        Assert.Empty(RunIds(StoreOf(clone)));
        Assert.False(File.Exists(ObjectPath(StoreOf(clone), model)));
    }

    [S3Fact]
    public void Checkout_ObjectMissingLocally_IsFetchedFromTheS3DefaultRemote()
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
        Assert.Contains("fetched 1 object(s) from origin", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(content, File.ReadAllBytes(modelPath));
    }

    [S3Fact]
    public void Verify_ChangedInputWhoseObjectIsOnlyOnS3_FetchesItRestoresItAndReproduces()
    {
        var (project, _, runId) = ProjectWithRemote();
        Assert.Equal(0, Repro.Run(project, "push", runId).ExitCode);
        var input = Path.Combine(project, "data", "in.csv");
        var recorded = Sha256Of(input);
        File.Delete(ObjectPath(StoreOf(project), recorded));
        File.WriteAllText(input, "changed since\n");

        var result = Repro.Run(project, "verify", runId);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("input data/in.csv: workspace differs, restored from store (fetched from origin", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("REPRODUCED", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(recorded, Sha256Of(ObjectPath(StoreOf(project), recorded)));
    }

    [S3Fact]
    public void PushAndPull_MissingBucket_ExitThreeWithOneLineAndLeaveTheStoreAsItWas()
    {
        var (project, _, runId) = RecordedProject();
        Server.Configure(Repro);
        Repro.Run(project, "remote", "add", "origin", "s3://no-such-bucket/x", "--endpoint", Server.Endpoint, "--default");

        AssertFailsCleanly(project, runId, "bucket 'no-such-bucket' does not exist");
    }

    [S3Fact]
    public void PushAndPull_UnreachableEndpoint_ExitThreeWithOneLineAndLeaveTheStoreAsItWas()
    {
        var (project, _, runId) = RecordedProject();
        Server.Configure(Repro);
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        Repro.Run(project, "remote", "add", "origin", $"s3://{S3rver.Bucket}/x", "--endpoint", $"http://127.0.0.1:{port}", "--default");

        AssertFailsCleanly(project, runId, $"cannot reach http://127.0.0.1:{port}");
    }

    [S3Fact]
    public void PushAndPull_NoCredentials_ExitThreeWithOneLineAndLeaveTheStoreAsItWas()
    {
        var (project, _, runId) = RecordedProject();
        Server.Configure(Repro).With("AWS_ACCESS_KEY_ID", null).With("AWS_SECRET_ACCESS_KEY", null);
        Repro.Run(project, "remote", "add", "origin", $"s3://{S3rver.Bucket}/x", "--endpoint", Server.Endpoint, "--default");

        AssertFailsCleanly(project, runId, "no AWS credentials found");
    }

    [S3Fact]
    public void Push_EndpointFromAwsEndpointUrl_ReachesTheStoreWithoutASetting()
    {
        var (project, _, runId) = RecordedProject();
        Server.Configure(Repro).With("AWS_ENDPOINT_URL", Server.Endpoint);
        Repro.Run(project, "remote", "add", "origin", $"s3://{S3rver.Bucket}/{_prefix}", "--default");

        var result = Repro.Run(project, "push", runId);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"{_prefix}/runs/{runId}/run.json", Server.Keys(_prefix));
    }

    private void AssertFailsCleanly(string project, string runId, string message)
    {
        var before = FilesUnder(StoreOf(project));

        foreach (var arguments in new[] { new[] { "push", runId }, ["pull", "--all"] })
        {
            var result = Repro.Run(project, arguments);

            Assert.Equal(3, result.ExitCode);
            Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
            Assert.StartsWith("repro: remote origin (s3://", result.Stderr, StringComparison.Ordinal);
            Assert.Single(result.Stderr.Trim().Split('\n'));
        }

        var after = FilesUnder(StoreOf(project));
        Assert.Equal(before.Where(f => !f.Key.StartsWith("index.db", StringComparison.Ordinal)), after.Where(f => !f.Key.StartsWith("index.db", StringComparison.Ordinal)));
    }
}
