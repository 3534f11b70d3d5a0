using System.Text.Json.Nodes;

namespace Repro.Sdk.Torch.Tests.Build;

/// <summary>The opt-in CUDA build (build/TorchBackend.targets), checked by evaluation only: the CUDA package is not served here.</summary>
public sealed class TorchBackendTests
{
    private static readonly string Project =
        Path.Combine(DotnetHost.RepositoryRoot(), "tests", "Repro.Sdk.Torch.Tests", "Repro.Sdk.Torch.Tests.csproj");

    [Fact]
    public void Evaluate_TorchBackendCuda_SwapsTheRuntimeAndKeepsTheCommittedLockFile()
    {
        var result = Evaluate("-p:TorchBackend=cuda");

        Assert.Contains("libtorch-cuda-12.8-linux-x64", result.PackageReferences);
        Assert.DoesNotContain("libtorch-cpu-linux-x64", result.PackageReferences);
        Assert.NotEqual(Path.Combine(Path.GetDirectoryName(Project)!, "packages.lock.json"), result.LockFile);
        Assert.EndsWith(Path.Combine("obj", "packages.cuda.lock.json"), result.LockFile, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_Default_UsesTheCpuRuntime()
    {
        var result = Evaluate();

        Assert.Contains("libtorch-cpu-linux-x64", result.PackageReferences);
        Assert.DoesNotContain("libtorch-cuda-12.8-linux-x64", result.PackageReferences);
    }

    [Fact]
    public void CommittedLockFile_DefaultRestore_NeverMentionsCuda() =>
        Assert.DoesNotContain("cuda", File.ReadAllText(Path.Combine(Path.GetDirectoryName(Project)!, "packages.lock.json")), StringComparison.OrdinalIgnoreCase);

    private static (IReadOnlyList<string> PackageReferences, string LockFile) Evaluate(params string[] properties)
    {
        var output = DotnetHost.Run(
            ["msbuild", Project, "-getItem:PackageReference", "-getProperty:NuGetLockFilePath", "-nologo", .. properties],
            Path.GetTempPath());
        Assert.True(output.ExitCode == 0, output.Stdout + output.Stderr);

        var json = JsonNode.Parse(output.Stdout)!;
        var references = json["Items"]!["PackageReference"]!.AsArray().Select(i => i!["Identity"]!.GetValue<string>()).ToList();
        return (references, json["Properties"]!["NuGetLockFilePath"]!.GetValue<string>());
    }
}
