using Repro.Core.Errors;
using Repro.Core.Remotes;

namespace Repro.Core.Tests.Remotes;

public sealed class RemoteLocationTests
{
    [Theory]
    [InlineData("/mnt/share/repro", "/mnt/share/repro")]
    [InlineData("/mnt/share/repro/", "/mnt/share/repro")]
    [InlineData("file:///mnt/share/repro", "/mnt/share/repro")]
    [InlineData("file://localhost/mnt/share", "/mnt/share")]
    [InlineData("../shared", "/work/shared")]
    public void Parse_Folder_IsADirectoryRemoteWithAnAbsolutePath(string url, string expected)
    {
        var location = RemoteLocation.Parse(url, "/work/project");

        Assert.Equal(RemoteKind.Directory, location.Kind);
        Assert.Equal(expected, location.DirectoryPath);
        Assert.Equal(url, location.Url);
    }

    [Theory]
    [InlineData("s3://bucket", "bucket", "")]
    [InlineData("s3://my-bucket.data/team/repro/", "my-bucket.data", "team/repro")]
    [InlineData("s3://bucket/a", "bucket", "a")]
    public void Parse_S3Url_GivesBucketAndPrefix(string url, string bucket, string prefix)
    {
        var location = RemoteLocation.Parse(url, "/work/project");

        Assert.Equal(RemoteKind.S3, location.Kind);
        Assert.Equal(bucket, location.Bucket);
        Assert.Equal(prefix, location.Prefix);
    }

    [Theory]
    [InlineData("s3://", "names no bucket")]
    [InlineData("s3:///prefix", "names no bucket")]
    [InlineData("s3://Upper/x", "not a bucket name")]
    [InlineData("s3://ab/x", "not a bucket name")]
    [InlineData("s3://bucket/a/../b", "'..' segment")]
    [InlineData("s3://bucket/a//b", "empty")]
    [InlineData("s3://bucket/a?x=1", "may not contain")]
    [InlineData("s3://AKIAEXAMPLE:secret@bucket/x", "carries credentials")]
    [InlineData("file://user:pw@localhost/x", "carries credentials")]
    [InlineData("file://fileserver/share", "names the host")]
    [InlineData("https://example.com/repro", "unsupported remote URL")]
    [InlineData("gs://bucket/x", "unsupported remote URL")]
    [InlineData("   ", "cannot be empty")]
    public void Parse_MalformedOrUnsupported_IsBadInputSayingWhy(string url, string why)
    {
        var error = Assert.Throws<InputException>(() => RemoteLocation.Parse(url, "/work/project"));

        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("objects/sha256/ab/cdef", false)]
    [InlineData("objects/sha256/9f/86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", true)]
    [InlineData("objects/sha256/9f/.tmp-86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0", false)]
    public void TryParseObjectKey_AcceptsOnlyObjectNames(string key, bool expected)
    {
        Assert.Equal(expected, RemoteLayout.TryParseObjectKey(key, out _));
    }

    [Theory]
    [InlineData("runs/20261127-093015-042-1a2b3c4d/run.json", true)]
    [InlineData("runs/20261127-093015-042-1a2b3c4d/logs/a.txt", true)]
    [InlineData("runs/20261127-093015-042-1a2b3c4d/../../escape", false)]
    [InlineData("runs/20261127-093015-042-1a2b3c4d/.hidden", false)]
    [InlineData("runs/20261127-093015-042-1a2b3c4d//x", false)]
    [InlineData("runs/../run.json", false)]
    [InlineData("runs/not-a-run/run.json", false)]
    public void TryParseRunFileKey_NeverNamesAPlaceOutsideARunFolder(string key, bool expected)
    {
        Assert.Equal(expected, RemoteLayout.TryParseRunFileKey(key, out _, out _));
    }
}
