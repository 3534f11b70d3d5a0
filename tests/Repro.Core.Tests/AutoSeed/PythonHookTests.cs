using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Repro.Core.AutoSeed;

namespace Repro.Core.Tests.AutoSeed;

public sealed class PythonHookTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("repro-hook-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Materialize_NewFolder_WritesEveryHookFileAsEmbedded()
    {
        var hook = PythonHook.Materialize(Path.Combine(_directory, "nested", "hook"));

        Assert.Equal(Path.Combine(_directory, "nested", "hook"), hook.Path);
        Assert.Equal(PythonHook.FileNames.Order(StringComparer.Ordinal), Directory.GetFiles(hook.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var name in PythonHook.FileNames)
        {
            Assert.Equal(PythonHook.Content(name).ToArray(), File.ReadAllBytes(Path.Combine(hook.Path, name)));
        }
    }

    [Fact]
    public void Materialize_FolderWithStaleHook_ReplacesIt()
    {
        var folder = Path.Combine(_directory, "hook");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "sitecustomize.py"), "raise SystemExit('stale')\n");

        PythonHook.Materialize(folder);

        Assert.Equal(PythonHook.Content("sitecustomize.py").ToArray(), File.ReadAllBytes(Path.Combine(folder, "sitecustomize.py")));
    }

    [Fact]
    public void Materialize_FolderAlreadyHoldingTheHook_LeavesItsFilesUntouched()
    {
        var folder = Path.Combine(_directory, "hook");
        PythonHook.Materialize(folder);
        var past = new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);
        foreach (var name in PythonHook.FileNames)
        {
            File.SetLastWriteTimeUtc(Path.Combine(folder, name), past);
        }

        PythonHook.Materialize(folder);

        // Python's bytecode cache is keyed on the source's modification time: rewriting would make every run recompile.
        Assert.All(PythonHook.FileNames, name => Assert.Equal(past, File.GetLastWriteTimeUtc(Path.Combine(folder, name))));
    }

    [Fact]
    public void VersionedFolderName_NamesTheHooksDigest()
    {
        Assert.Equal("python-hook-" + PythonHook.Sha256[..16], PythonHook.VersionedFolderName);
    }

    [Fact]
    public void Sha256_IsTheDocumentedDigestOfTheWrittenFiles()
    {
        var hook = PythonHook.Materialize(Path.Combine(_directory, "hook"));

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var name in PythonHook.FileNames)
        {
            var content = File.ReadAllBytes(Path.Combine(hook.Path, name));
            hash.AppendData(Encoding.UTF8.GetBytes($"{name}\0{content.Length.ToString(CultureInfo.InvariantCulture)}\0"));
            hash.AppendData(content);
        }

        Assert.Equal(Convert.ToHexStringLower(hash.GetHashAndReset()), hook.Sha256);
        Assert.Equal(PythonHook.Sha256, hook.Sha256);
    }

    [Fact]
    public void Content_UnknownFile_Throws()
    {
        Assert.Throws<ArgumentException>(() => PythonHook.Content("usercustomize.py"));
    }

    [Fact]
    public void PythonPath_WithInheritedPath_PutsTheHookFirstAndKeepsTheRest()
    {
        Assert.Equal($"/run/hook{Path.PathSeparator}/user/lib{Path.PathSeparator}/more", PythonHook.PythonPath("/run/hook", $"/user/lib{Path.PathSeparator}/more"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void PythonPath_NothingInherited_IsTheHookAlone(string? inherited)
    {
        Assert.Equal("/run/hook", PythonHook.PythonPath("/run/hook", inherited));
    }

    [Fact]
    public void Hook_HasNoMarkersOfUnfinishedWork()
    {
        foreach (var name in PythonHook.FileNames)
        {
            var text = Encoding.UTF8.GetString(PythonHook.Content(name).Span);
            Assert.DoesNotContain("TODO", text, StringComparison.Ordinal);
            Assert.DoesNotContain("FIXME", text, StringComparison.Ordinal);
            Assert.DoesNotContain("HACK", text, StringComparison.Ordinal);
        }
    }
}
