using System.Runtime.Versioning;
using Repro.Cli.IntegrationTests.Fixtures;

namespace Repro.Cli.IntegrationTests.Commands;

/// <summary>push, pull and checkout with an S3 remote: a real s3rver on 127.0.0.1, through the AWS SDK.</summary>
public sealed class S3RemoteTests(S3rverFixture fixture) : RemoteTestBase, IClassFixture<S3rverFixture>
{
    private const string Secret = "repro-test-secret-7f3e91c2";

    private readonly string _prefix = $"t{Guid.NewGuid():N}"[..13];

    private S3rver Server => fixture.Server;

    /// <inheritdoc />
    protected override string RemoteName => "origin";

    /// <inheritdoc />
    protected override void AddDefaultRemote(string project, params string[] arguments)
    {
        Server.Configure(Repro, Secret);
        var add = Repro.Run(project, ["remote", "add", "origin", $"s3://{S3rver.Bucket}/{_prefix}", "--endpoint", Server.Endpoint, "--default", .. arguments]);
        Assert.True(add.ExitCode == 0, add.ToString());
    }

    /// <inheritdoc />
    protected override string RemoteObjectFile(string sha256) => Server.ObjectFile($"{_prefix}/objects/sha256/{sha256[..2]}/{sha256[2..]}");

    /// <summary>A recorded project with an S3 default remote under a prefix of its own, committed.</summary>
    private (string Project, GitRepository Git, string RunId) ProjectWithRemote(params string[] addArguments)
    {
        var (project, git, runId) = RecordedProject("-P", "n=5", "-P", "big=12");
        AddDefaultRemote(project, addArguments);
        git.CommitAll("remotes");
        return (project, git, runId);
    }

    [S3Fact]
    public void PushThenPullIntoAFreshCloneOfAMovedProject_ChecksOutIdenticalFilesVerifiesAndWritesNoCredential()
    {
        // 12 MiB in 5 MiB parts: the model goes up as a three-part multipart upload.
        var (original, clone, runId, _, _) = PushPullCheckoutAndVerifyInAFreshClone(
            ["-P", "n=5", "-P", "big=12"], "--multipart-threshold", "5MiB", "--part-size", "5MiB");

        Assert.Contains($"{_prefix}/runs/{runId}/run.json", Server.Keys(_prefix));
        foreach (var root in new[] { original, clone, Temp.Combine("home") })
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
    public void Pull_ObjectDamagedOnTheRemote_IsDetectedAndNothingIsWritten() => PullOfAnObjectDamagedOnTheRemoteIsRefusedAndWritesNothing();

    [S3Fact]
    public void Checkout_ObjectMissingLocally_IsFetchedFromTheS3DefaultRemote() => CheckoutFetchesAnObjectMissingLocallyFromTheDefaultRemote();

    [S3Fact]
    public void Verify_ChangedInputWhoseObjectIsOnlyOnS3_FetchesItRestoresItAndReproduces() => VerifyFetchesAChangedInputWhoseObjectOnlyTheRemoteHasAndReproduces();

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
