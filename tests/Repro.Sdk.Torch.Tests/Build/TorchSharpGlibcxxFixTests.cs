
namespace Repro.Sdk.Torch.Tests.Build;

/// <summary>
/// Runs build/TorchSharpGlibcxxFix.targets' task in a real MSBuild process on synthetic libraries (Mode=always, so
/// the outcome does not depend on this machine's libstdc++). That TorchSharp really loads after the fix is shown by
/// every torch test in this project.
/// </summary>
public sealed class TorchSharpGlibcxxFixTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Patch_HardLinkedCopyNeedingTheMarkerVersion_SetsWeakOnThatEntryOnlyAndSparesTheOriginal()
    {
        var elf = SyntheticElf.Build(needsGlibcxx332: true, SyntheticElf.MarkerSymbol);
        var cache = Write("cache/libLibTorchSharp.so", elf.Bytes);
        var copy = _temp.Combine("bin/libLibTorchSharp.so");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        HardLink(cache, copy);

        var output = RunTask(copy);

        var expected = elf.Bytes.ToArray();
        expected[elf.MarkerFlagsOffset] = 0x2;
        Assert.Equal(expected, File.ReadAllBytes(copy));
        Assert.Equal(elf.Bytes, File.ReadAllBytes(cache));
        Assert.Contains($"TorchSharp: marked GLIBCXX_3.4.32 weak in {copy}", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Patch_AlreadyPatchedCopy_IsLeftAsIs()
    {
        var copy = Write("bin/libLibTorchSharp.so", SyntheticElf.Build(needsGlibcxx332: true, SyntheticElf.MarkerSymbol).Bytes);
        RunTask(copy);
        var once = File.ReadAllBytes(copy);
        var time = File.GetLastWriteTimeUtc(copy);

        var output = RunTask(copy);

        Assert.Equal(once, File.ReadAllBytes(copy));
        Assert.Equal(time, File.GetLastWriteTimeUtc(copy));
        Assert.DoesNotContain("TorchSharp: marked", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Patch_FileWithoutTheEntry_IsLeftUntouched()
    {
        var elf = SyntheticElf.Build(needsGlibcxx332: false);
        var copy = Write("bin/libLibTorchSharp.so", elf.Bytes);

        RunTask(copy);

        Assert.Equal(elf.Bytes, File.ReadAllBytes(copy));
    }

    [Fact]
    public void Patch_VersionNeededByARealSymbol_IsRefusedWithAWarning()
    {
        var elf = SyntheticElf.Build(needsGlibcxx332: true, SyntheticElf.MarkerSymbol, "_ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE7reserveEv");
        var copy = Write("bin/libLibTorchSharp.so", elf.Bytes);

        var output = RunTask(copy);

        Assert.Equal(elf.Bytes, File.ReadAllBytes(copy));
        Assert.Contains("is needed by _ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE7reserveEv", output, StringComparison.Ordinal);
    }

    private string Write(string relativePath, byte[] bytes)
    {
        var path = _temp.Combine(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string RunTask(string file)
    {
        var targets = Path.Combine(DotnetHost.RepositoryRoot(), "build", "TorchSharpGlibcxxFix.targets");
        var project = _temp.Combine("patch.proj");
        File.WriteAllText(project, $"""
            <Project>
              <Import Project="{targets}" />
              <Target Name="Patch">
                <WeakenTorchSharpGlibcxxNeed Files="{file}" Mode="always" />
              </Target>
            </Project>
            """);

        var result = DotnetHost.Run(["msbuild", project, "-t:Patch", "-nologo", "-v:n", "-nodeReuse:false"], _temp.Path);

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        return result.Stdout;
    }

    private static void HardLink(string existing, string link)
    {
        ProcessRunner.RunChecked("ln", [existing, link], Path.GetDirectoryName(link)!);
        Assert.Equal(2, LinkCount(existing));
    }

    private static int LinkCount(string path)
    {
        var count = ProcessRunner.RunChecked("stat", ["-c", "%h", path], Path.GetDirectoryName(path)!).Trim();
        return int.Parse(count, System.Globalization.CultureInfo.InvariantCulture);
    }
}
