using Repro.Core.FileSystem;

namespace Repro.Core.Tests.FileSystem;

public sealed class PathContainmentTests
{
    [Theory]
    [InlineData("/p", "/p", true)]
    [InlineData("/p", "/p/", true)]
    [InlineData("/p/", "/p/a", true)]
    [InlineData("/p", "/p/a/b.csv", true)]
    [InlineData("/p", "/p/..x", true)]
    [InlineData("/p", "/p/x..", true)]
    [InlineData("/p", "/p/.../x", true)]
    [InlineData("/p", "/p/a/../b", true)]
    [InlineData("/p", "/p2", false)]
    [InlineData("/p", "/p2/a", false)]
    [InlineData("/p", "/", false)]
    [InlineData("/p", "/p/../q", false)]
    [InlineData("/p/a", "/p", false)]
    [InlineData("/", "/anything", true)]
    public void IsInside_ComparesWholeSegments(string root, string path, bool expected)
    {
        Assert.Equal(expected, PathContainment.IsInside(root, path));
    }

    [Theory]
    [InlineData("/p", "/p", "")]
    [InlineData("/p", "/p/..x", "..x")]
    [InlineData("/p/", "/p/data/train.csv", "data/train.csv")]
    [InlineData("/p", "/p/a/./b/../c", "a/c")]
    [InlineData("/", "/etc/passwd", "etc/passwd")]
    public void RelativeInside_PathInside_IsRelativeWithForwardSlashes(string root, string path, string expected)
    {
        Assert.Equal(expected, PathContainment.RelativeInside(root, path));
    }

    [Theory]
    [InlineData("/p", "/q/x")]
    [InlineData("/p", "/p/../x")]
    [InlineData("/p/x", "/p/xy")]
    public void RelativeInside_PathOutside_IsNull(string root, string path)
    {
        Assert.Null(PathContainment.RelativeInside(root, path));
    }

    [Fact]
    public void IsInside_RelativePaths_AreResolvedFromTheCurrentDirectoryAlike()
    {
        Assert.True(PathContainment.IsInside("some/root", "some/root/file"));
        Assert.False(PathContainment.IsInside("some/root", "some/rooted"));
    }
}
