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
    public async Task PackageEntryPoint_RunThenVerifyFromAFreshClone_RebuildsTheToolPackagesBitForBit()
    {
        var clone = FreshClone();

        var run = await Repro.RunAsync(clone, ["run", ".", "-e", "package", "--json"], SampleTimeout);

        Assert.True(run.ExitCode == 0, run.ToString());
        var packages = Directory.GetFiles(Path.Combine(clone, "outputs", "package"), "*.nupkg").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(3, packages.Count);
        Assert.Contains(packages, name => name!.StartsWith("repro.linux-x64.", StringComparison.Ordinal));
        Assert.Contains(packages, name => name!.StartsWith("repro.any.", StringComparison.Ordinal));
        var manifest = OnlyManifest(StoreOf(clone));
        Assert.Equal(3, manifest["outputs"]![0]!["files"]!.AsArray().Count);

        // The verification builds again from a materialised checkout: another path, later, and not a git repository.
        var verify = await Repro.RunAsync(clone, ["verify", "latest", "--json"], SampleTimeout);

        Assert.True(verify.ExitCode == 0, verify.ToString());
        var report = ParseJson(verify.Stdout);
        Assert.Equal("REPRODUCED", (string?)report["verdict"]);
        var compared = report["outputs"]!.AsArray().ToDictionary(node => (string)node!["path"]!, node => (string?)node!["outcome"], StringComparer.Ordinal);
        Assert.Equal(packages.Select(name => $"outputs/package/{name}").Order(StringComparer.Ordinal), compared.Keys.Order(StringComparer.Ordinal));
        Assert.All(compared.Values, outcome => Assert.Equal("identical", outcome));

        // README's install steps, from the packages just built: the tool installs and runs.
        var tools = Temp.Combine("tools");
        var home = new Dictionary<string, string?> { ["HOME"] = Temp.Combine("home"), ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" };
        var version = packages.Single(name => name!.StartsWith("repro.any.", StringComparison.Ordinal))!["repro.any.".Length..^".nupkg".Length];
        var install = await ProcessRunner.RunAsync("dotnet", ["tool", "install", "--tool-path", tools, "--add-source", Path.Combine(clone, "outputs", "package"), "repro", "--version", version], clone, home, SampleTimeout);
        Assert.True(install.ExitCode == 0, install.ToString());
        var installed = Path.Combine(tools, "repro");
        var installedVersion = await ProcessRunner.RunAsync(installed, ["--version"], clone, home);
        Assert.StartsWith(version, installedVersion.Stdout.Trim(), StringComparison.Ordinal);
        var shown = (await ProcessRunner.RunAsync(installed, ["show", "latest"], clone, home)).Stdout;
        Assert.Contains((string)report["verificationRunId"]!, shown, StringComparison.Ordinal);
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
