using Repro.Cli.IntegrationTests.Fixtures;

namespace Repro.Cli.IntegrationTests.Commands;

public sealed class RemoteCommandTests : ReproTestBase
{
    [Fact]
    public void RemoteAdd_ThenList_ShowsItInTheProjectFileWithTheDefaultMarked()
    {
        var (project, _) = CommittedProject(("MLproject", "entry_points:\n  main:\n    command: \"true\"\n"));

        var share = Repro.Run(project, "remote", "add", "share", "/mnt/share/repro");
        var origin = Repro.Run(project, "remote", "add", "origin", "s3://bucket/team", "--endpoint", "http://127.0.0.1:9000", "--region", "eu-west-1", "--default");
        var list = Repro.Run(project, "remote", "list");
        var json = Repro.Run(project, "remote", "list", "--json");

        Assert.True(share.ExitCode == 0, share.ToString());
        Assert.True(origin.ExitCode == 0, origin.ToString());
        Assert.Equal(
            "* origin  s3://bucket/team  (endpoint http://127.0.0.1:9000, region eu-west-1)\n  share   /mnt/share/repro\n",
            list.Stdout);
        var remotes = Assert.IsType<System.Text.Json.Nodes.JsonArray>(System.Text.Json.Nodes.JsonNode.Parse(json.Stdout));
        Assert.Equal(["s3", "directory"], remotes.Select(r => (string?)r!["kind"]));
        var file = File.ReadAllText(Path.Combine(project, ".repro-remotes.yaml"));
        Assert.Contains("default: origin\n", file, StringComparison.Ordinal);
        Assert.Contains("    url: s3://bucket/team\n    endpoint: http://127.0.0.1:9000\n    region: eu-west-1\n", file, StringComparison.Ordinal);
    }

    [Fact]
    public void RemoteAdd_Local_GoesToTheStoreWhichGitIgnores()
    {
        var (project, git) = CommittedProject(("MLproject", "entry_points:\n  main:\n    command: \"true\"\n"));

        var result = Repro.Run(project, "remote", "add", "mine", "/data/mine", "--local", "--default");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.Exists(Path.Combine(project, ".repro", "remotes.yaml")));
        Assert.False(File.Exists(Path.Combine(project, ".repro-remotes.yaml")));
        Assert.Equal(string.Empty, git.Git("status", "--porcelain"));
        Assert.Equal("* mine  /data/mine  (this user only)\n", Repro.Run(project, "remote", "list").Stdout);
    }

    [Fact]
    public void RemoteRemove_DropsItAndItsDefault()
    {
        var (project, _) = CommittedProject(("MLproject", "entry_points:\n  main:\n    command: \"true\"\n"));
        Repro.Run(project, "remote", "add", "share", "/mnt/share", "--default");

        var removed = Repro.Run(project, "remote", "remove", "share");
        var again = Repro.Run(project, "remote", "remove", "share");

        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Equal("no remotes (add one with `repro remote add NAME URL --default`)\n", Repro.Run(project, "remote", "list").Stdout);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("no remote named 'share'", again.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s3://", "names no bucket")]
    [InlineData("s3://KEY:SECRET@bucket/x", "carries credentials")]
    [InlineData("https://example.com/x", "unsupported remote URL")]
    public void RemoteAdd_MalformedUrl_ExitsTwoWithOneLineAndWritesNothing(string url, string message)
    {
        var (project, _) = CommittedProject(("MLproject", "entry_points:\n  main:\n    command: \"true\"\n"));

        var result = Repro.Run(project, "remote", "add", "origin", url);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.False(File.Exists(Path.Combine(project, ".repro-remotes.yaml")));
    }

    [Fact]
    public void RemoteAdd_EndpointWithCredentials_IsRefused()
    {
        var (project, _) = CommittedProject(("MLproject", "entry_points:\n  main:\n    command: \"true\"\n"));

        var result = Repro.Run(project, "remote", "add", "origin", "s3://bucket/x", "--endpoint", "http://key:secret@127.0.0.1:9000");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("carries credentials", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(project, ".repro-remotes.yaml")));
    }

    [Fact]
    public void Push_RemotesFileWithACredential_IsBadInputAtItsLine()
    {
        var (project, _) = CommittedProject(
            ("MLproject", "entry_points:\n  main:\n    command: \"true\"\n"),
            (".repro-remotes.yaml", "default: origin\nremotes:\n  origin:\n    url: s3://bucket/x\n    secret_access_key: abc\n"));
        RunOnce(project);

        var result = Repro.Run(project, "push", "--all");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            $"repro: {Path.Combine(project, ".repro-remotes.yaml")}:5:5: 'secret_access_key': credentials never go in a remotes file; S3 takes them from the AWS chain (environment, profile, instance role)\n",
            result.Stderr);
    }
}
