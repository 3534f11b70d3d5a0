using Repro.Core.Caching;
using Repro.Core.Errors;

namespace Repro.Core.Tests.Caching;

public sealed class CacheRootTests
{
    [Fact]
    public void Resolve_ReproCacheDirSet_IsThatFolder()
    {
        var root = CacheRoot.Resolve(new Dictionary<string, string> { ["REPRO_CACHE_DIR"] = "/data/cache/", ["HOME"] = "/home/ana" });

        Assert.Equal("/data/cache/", root);
    }

    [Fact]
    public void Resolve_RelativeReproCacheDir_IsRefused()
    {
        var error = Assert.Throws<InputException>(() => CacheRoot.Resolve(new Dictionary<string, string> { ["REPRO_CACHE_DIR"] = "cache" }));

        Assert.Equal("REPRO_CACHE_DIR must be an absolute path, not 'cache'", error.Message);
    }

    [Fact]
    public void Resolve_XdgCacheHomeSet_IsItsReproFolder()
    {
        var root = CacheRoot.Resolve(new Dictionary<string, string> { ["XDG_CACHE_HOME"] = "/var/cache/ana", ["HOME"] = "/home/ana" });

        Assert.Equal(Path.Combine("/var/cache/ana", "repro"), root);
    }

    [Fact]
    public void Resolve_NothingSet_IsDotCacheReproInHome()
    {
        var root = CacheRoot.Resolve(new Dictionary<string, string> { ["HOME"] = "/home/ana" });

        Assert.Equal(Path.Combine("/home/ana", ".cache", "repro"), root);
    }
}
