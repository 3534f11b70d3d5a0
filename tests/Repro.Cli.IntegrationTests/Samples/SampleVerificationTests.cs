using System.Security.Cryptography;
using Repro.Cli.IntegrationTests.Fixtures;

namespace Repro.Cli.IntegrationTests.Samples;

/// <summary>
/// The promise end to end, on the repository's own MLproject.yaml: from a fresh clone, <c>repro run</c> then
/// <c>repro verify</c> re-creates each sample bit for bit. The clone is made from the commit under test, so what is
/// verified is exactly what CI checked out.
/// </summary>
public sealed class SampleVerificationTests : ReproTestBase
{
    private static readonly TimeSpan SampleTimeout = TimeSpan.FromMinutes(10);

    [Theory]
    [InlineData("main", "outputs/bikes/train/model.zip")]
    [InlineData("torch", "outputs/torch/model.bin")]
    [InlineData("python", "outputs/python/route.json")]
    public async Task Sample_RunThenVerifyFromAFreshClone_IsReproduced(string entryPoint, string output)
    {
        var clone = FreshClone();

        var run = await Repro.RunAsync(clone, ["run", ".", "-e", entryPoint, "--json"], SampleTimeout);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(File.Exists(Path.Combine(clone, output)), $"{output} was not written");
        var manifest = OnlyManifest(StoreOf(clone));
        if (entryPoint != "python")
        {
            // The .NET samples use Repro.Sdk: its report of what it set lands in the manifest.
            Assert.Equal((long)manifest["seed"]!["value"]!, (long)manifest["sdk"]!["seed"]!["value"]!);
            Assert.NotNull(manifest["sdk"]![entryPoint == "torch" ? "torch" : "mlnet"]);
        }

        var verify = await Repro.RunAsync(clone, ["verify", "latest", "--json"], SampleTimeout);

        Assert.True(verify.ExitCode == 0, verify.ToString());
        var report = ParseJson(verify.Stdout);
        Assert.Equal("REPRODUCED", (string?)report["verdict"]);
        Assert.Contains(report["outputs"]!.AsArray(), node => (string?)node!["path"] == output && (string?)node["outcome"] == "identical");
        Assert.NotEmpty(report["metrics"]!.AsArray());
        Assert.Equal(string.Empty, GitRepository.Run(clone, "status", "--porcelain").Trim());
    }

    [Fact]
    public async Task PythonSample_BareRunsDifferButRunsUnderReproAreIdentical()
    {
        var clone = FreshClone();
        var script = Path.Combine(clone, "samples", "python", "hashing.py");

        var bare = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var directory = Temp.Combine($"bare-{i}");
            var result = await ProcessRunner.RunAsync("python3", [script, "--draws", "1000", "--output-dir", directory], clone, new Dictionary<string, string?> { ["PYTHONHASHSEED"] = null, ["REPRO_SEED"] = null });
            Assert.True(result.ExitCode == 0, result.ToString());
            bare.Add(Sha256(Path.Combine(directory, "route.json")));
        }

        var underRepro = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var run = await Repro.RunAsync(clone, ["run", ".", "-e", "python"], SampleTimeout);
            Assert.True(run.ExitCode == 0, run.ToString());
            underRepro.Add(Sha256(Path.Combine(clone, "outputs", "python", "route.json")));
        }

        Assert.NotEqual(bare[0], bare[1]);
        Assert.Equal(underRepro[0], underRepro[1]);
    }

    private string FreshClone()
    {
        var clone = Temp.Combine("clone");
        GitRepository.Clone(DotnetHost.RepositoryRoot(), clone);
        return clone;
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}
