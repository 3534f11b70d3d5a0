using Repro.Core.Errors;
using Repro.Core.Remotes;
using Repro.Core.Tests.Capture.Data;

namespace Repro.Core.Tests.Remotes;

public sealed class RemoteConfigurationTests : IDisposable
{
    private readonly DataTestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private string ProjectFile => Path.Combine(_directory.Project, RemoteConfiguration.ProjectFileName);

    [Fact]
    public void Load_NoFiles_HasNoRemotesAndNoDefault()
    {
        var configuration = RemoteConfiguration.Load(_directory.Project, _directory.Store);

        Assert.Empty(configuration.Remotes);
        Assert.Null(configuration.Default);
        Assert.Contains("repro remote add", Assert.Throws<InputException>(() => configuration.Get(null)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_ThenLoad_RoundTripsEverySetting()
    {
        var configuration = RemoteConfiguration.Load(_directory.Project, _directory.Store);
        configuration.Add(
            new RemoteDefinition
            {
                Name = "origin",
                Location = RemoteLocation.Parse("s3://bucket/team", _directory.Project),
                Endpoint = "http://127.0.0.1:9000",
                Region = "eu-west-1",
                ChunkedUpload = true,
                MultipartThreshold = 8L << 20,
                PartSize = 6L << 20,
            },
            makeDefault: true);

        var loaded = RemoteConfiguration.Load(_directory.Project, _directory.Store);

        var origin = loaded.Get(null);
        Assert.Equal("origin", origin.Name);
        Assert.Equal("bucket", origin.Location.Bucket);
        Assert.Equal("team", origin.Location.Prefix);
        Assert.Equal("http://127.0.0.1:9000", origin.Endpoint);
        Assert.Equal("eu-west-1", origin.Region);
        Assert.True(origin.ChunkedUpload);
        Assert.Equal(8L << 20, origin.MultipartThreshold);
        Assert.Equal(6L << 20, origin.PartSize);
        Assert.Equal(RemoteScope.Project, origin.Scope);
    }

    [Fact]
    public void Load_LocalFile_OverridesTheProjectsRemoteAndDefault()
    {
        File.WriteAllText(ProjectFile, "default: team\nremotes:\n  team:\n    url: /mnt/team\n  origin:\n    url: s3://bucket/p\n");
        Directory.CreateDirectory(_directory.Store);
        File.WriteAllText(Path.Combine(_directory.Store, RemoteConfiguration.LocalFileName), "default: origin\nremotes:\n  origin:\n    url: s3://mine/p\n    endpoint: http://localhost:9000\n");

        var configuration = RemoteConfiguration.Load(_directory.Project, _directory.Store);

        var origin = configuration.Get(null);
        Assert.Equal("mine", origin.Location.Bucket);
        Assert.Equal(RemoteScope.Local, origin.Scope);
        Assert.Equal(["origin", "team"], configuration.Remotes.Select(r => r.Name));
    }

    [Theory]
    [InlineData("remotes:\n  origin:\n    url: s3://bucket/p\n    aws_secret_access_key: abc\n", "4:5", "credentials never go in a remotes file")]
    [InlineData("remotes:\n  origin:\n    url: s3://bucket/p\n    access_key: AKIA\n", "4:5", "credentials never go in a remotes file")]
    [InlineData("remotes:\n  origin:\n    url: http://example.com\n", "3:10", "unsupported remote URL")]
    [InlineData("remotes:\n  origin:\n    url: s3://bucket/p\n    endpoint: ftp://x\n", "4:15", "not an http:// or https:// URL")]
    [InlineData("remotes:\n  origin:\n    url: s3://bucket/p\n    endpont: http://x\n", "4:5", "unknown remote setting 'endpont'")]
    [InlineData("remotes:\n  origin:\n    endpoint: http://x\n", "2:3", "has no 'url'")]
    [InlineData("remotes:\n  share:\n    url: /mnt/share\n    region: us-east-1\n", "2:3", "'endpoint' and 'region' are S3 settings")]
    [InlineData("remotes:\n  origin:\n    url: s3://bucket/p\n    part_size: 1MiB\n", "4:16", "part_size must be a size of at least")]
    [InlineData("remotes: [a, b]\n", "1:10", "maps each remote's name")]
    [InlineData("remote:\n  x: 1\n", "1:1", "unknown key 'remote'")]
    [InlineData("remotes:\n  origin: {url: /x\n", "3:1", "")]
    public void Load_InvalidFile_IsBadInputAtFileLineColumn(string text, string position, string message)
    {
        File.WriteAllText(ProjectFile, text);

        var error = Assert.Throws<InputException>(() => RemoteConfiguration.Load(_directory.Project, _directory.Store));

        Assert.StartsWith($"{ProjectFile}:{position}", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_NamingAnUndefinedRemote_IsBadInputAtItsPosition()
    {
        File.WriteAllText(ProjectFile, "default: nowhere\nremotes:\n  team:\n    url: /mnt/team\n");

        var error = Assert.Throws<InputException>(() => RemoteConfiguration.Load(_directory.Project, _directory.Store).Get(null));

        Assert.Equal($"{ProjectFile}:1:10: the default remote 'nowhere' is not defined", error.Message);
    }

    [Fact]
    public void Remove_TheDefault_ClearsTheDefault()
    {
        File.WriteAllText(ProjectFile, "default: team\nremotes:\n  team:\n    url: /mnt/team\n  other:\n    url: /mnt/other\n");
        var configuration = RemoteConfiguration.Load(_directory.Project, _directory.Store);

        configuration.Remove("team", RemoteScope.Project);

        var loaded = RemoteConfiguration.Load(_directory.Project, _directory.Store);
        Assert.Equal(["other"], loaded.Remotes.Select(r => r.Name));
        Assert.Null(loaded.Default);
    }
}
