using Repro.Cli.Commands;
using Repro.Core.Errors;
using Repro.Core.Remotes;

namespace Repro.Cli.Tests.Commands;

public sealed class RemoteCommandTests
{
    [Theory]
    [InlineData("-origin")]
    [InlineData("my remote")]
    [InlineData("a/b")]
    public void Parse_BadName_IsOneErrorQuotingIt(string name)
    {
        Assert.StartsWith($"'{name}' is not a remote name", CommandLine.SingleError("remote", "add", name, "/mnt/share"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--endpoint", "http://key:secret@127.0.0.1:9000", "--endpoint: ")]
    [InlineData("--endpoint", "ftp://127.0.0.1", "--endpoint: ")]
    [InlineData("--region", "us east", "--region: 'us east' is not a region name")]
    [InlineData("--part-size", "1MiB", "--part-size must be a size of at least 5242880 bytes")]
    [InlineData("--multipart-threshold", "lots", "--multipart-threshold must be a size")]
    public void Parse_BadS3Setting_IsOneErrorNamingTheOption(string option, string value, string message)
    {
        Assert.StartsWith(message, CommandLine.SingleError("remote", "add", "origin", "s3://bucket/x", option, value), StringComparison.Ordinal);
    }

    [Fact]
    public void DefinitionOf_S3WithSettings_CarriesThemAndTheScope()
    {
        var (command, result) = CommandLine.ParseFor<RemoteAddCommand>(
            "remote", "add", "origin", "s3://bucket/team", "--endpoint", "http://127.0.0.1:9000", "--region", "eu-west-1", "--part-size", "8MiB", "--local", "--default");

        var remote = command.DefinitionOf(result, "/project");

        Assert.Equal(("origin", RemoteKind.S3, "bucket", "team"), (remote.Name, remote.Location.Kind, remote.Location.Bucket, remote.Location.Prefix.TrimEnd('/')));
        Assert.Equal(("http://127.0.0.1:9000", "eu-west-1"), (remote.Endpoint, remote.Region));
        Assert.Equal((8L << 20, RemoteDefinition.DefaultMultipartThreshold, RemoteScope.Local), (remote.PartSize, remote.MultipartThreshold, remote.Scope));
        Assert.True(result.GetValue(command.MakeDefault));
    }

    [Fact]
    public void DefinitionOf_RelativeFolder_IsResolvedAgainstTheProject()
    {
        var (command, result) = CommandLine.ParseFor<RemoteAddCommand>("remote", "add", "share", "../share");

        var remote = command.DefinitionOf(result, "/work/project");

        Assert.Equal((RemoteKind.Directory, "/work/share"), (remote.Location.Kind, remote.Location.DirectoryPath));
        Assert.Equal(RemoteScope.Project, remote.Scope);
    }

    [Fact]
    public void DefinitionOf_FolderWithAnS3Setting_IsBadInput()
    {
        var (command, result) = CommandLine.ParseFor<RemoteAddCommand>("remote", "add", "share", "/mnt/share", "--region", "us-east-1");

        var error = Assert.Throws<InputException>(() => command.DefinitionOf(result, "/project"));

        Assert.Contains("are for S3 remotes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s3://", "names no bucket")]
    [InlineData("s3://KEY:SECRET@bucket/x", "carries credentials")]
    [InlineData("https://example.com/x", "unsupported remote URL")]
    public void DefinitionOf_MalformedUrl_IsBadInput(string url, string message)
    {
        var (command, result) = CommandLine.ParseFor<RemoteAddCommand>("remote", "add", "origin", url);

        var error = Assert.Throws<InputException>(() => command.DefinitionOf(result, "/project"));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RemoveWithoutName_IsAnError()
    {
        Assert.NotEmpty(CommandLine.Parse("remote", "remove").Errors);
    }
}
