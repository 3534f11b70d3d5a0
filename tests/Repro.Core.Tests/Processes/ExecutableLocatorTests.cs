using Repro.Core.Processes;

namespace Repro.Core.Tests.Processes;

public sealed class ExecutableLocatorTests : IDisposable
{
    private readonly TempDirectory _temp = new("locate");

    public void Dispose() => _temp.Dispose();

    [UnixFact]
    public void Find_BareName_IsTheFirstExecutableOnPath()
    {
        var first = _temp.WriteScript("first/tool", "exit 0");
        _temp.WriteScript("second/tool", "exit 0");
        _temp.Write("plain/tool", "not executable");

        var found = ExecutableLocator.Find("tool", Path(_temp.Combine("plain"), _temp.Combine("first"), _temp.Combine("second")), "/");

        Assert.Equal(first, found);
    }

    [UnixFact]
    public void Find_RelativePathEntry_IsSkipped()
    {
        _temp.WriteScript("bin/tool", "exit 0");

        Assert.Null(ExecutableLocator.Find("tool", Path("bin"), _temp.Path));
    }

    [UnixFact]
    public void Find_WordWithASlash_IsResolvedFromTheWorkingDirectory()
    {
        var tool = _temp.WriteScript("venv/bin/python", "exit 0");

        Assert.Equal(tool, ExecutableLocator.Find("./venv/bin/python", Path(), _temp.Path));
        Assert.Null(ExecutableLocator.Find("./venv/bin/missing", Path(), _temp.Path));
    }

    [Fact]
    public void Find_NoPath_FindsNothing()
    {
        Assert.Null(ExecutableLocator.Find("sh", new Dictionary<string, string>(), "/"));
    }

    private static Dictionary<string, string> Path(params string[] directories) =>
        new() { ["PATH"] = string.Join(System.IO.Path.PathSeparator, directories) };
}
