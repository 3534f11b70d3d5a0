using System.Diagnostics;
using Repro.Core.Capture.Environment;

namespace Repro.Core.Tests.Capture.Environment;

public sealed class DotnetSdkResolverTests
{
    private static readonly string[] Installed =
        ["8.0.100", "8.0.303", "8.0.310", "9.0.100-rc.1.24452.12", "9.0.101", "10.0.100", "10.0.401"];

    [Theory]
    [InlineData("{}", null, "LatestMajor", true)]
    [InlineData("""{ "sdk": null }""", null, "LatestMajor", true)]
    [InlineData("""{ "sdk": { } }""", null, "LatestMajor", true)]
    [InlineData("""{ "sdk": { "version": "8.0.300" } }""", "8.0.300", "Patch", true)]
    [InlineData("""{ "sdk": { "version": "8.0.300", "rollForward": "LATESTfeature" } }""", "8.0.300", "LatestFeature", true)]
    [InlineData("""{ "sdk": { "rollForward": "latestMajor", "allowPrerelease": false } }""", null, "LatestMajor", false)]
    [InlineData("""{ "sdk": { "version": "10.0.100-rc.2.1", "allowPrerelease": false } }""", "10.0.100-rc.2.1", "Patch", true)]
    [InlineData("// the SDK\n{ \"sdk\": { \"version\": \"8.0.300\", }, }", "8.0.300", "Patch", true)]
    [InlineData("""{ "msbuild-sdks": { "Foo": "1.0.0" }, "sdk": { "version": "8.0.300", "errorMessage": "install it" } }""", "8.0.300", "Patch", true)]
    public void ReadSettings_ValidGlobalJson_GivesTheHostsSettings(string json, string? version, string policy, bool allowPrerelease)
    {
        var settings = DotnetSdkResolver.ReadSettings(json);

        Assert.NotNull(settings);
        Assert.Equal(version, settings.Version?.Text);
        Assert.Equal(policy, settings.RollForward.ToString());
        Assert.Equal(allowPrerelease, settings.AllowPrerelease);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    [InlineData("""{ "sdk": "8.0.300" }""")]
    [InlineData("""{ "sdk": { "version": 8 } }""")]
    [InlineData("""{ "sdk": { "version": "8.0" } }""")]
    [InlineData("""{ "sdk": { "version": "8.0.050" } }""")]
    [InlineData("""{ "sdk": { "version": "8.0.300", "rollForward": "sideways" } }""")]
    [InlineData("""{ "sdk": { "version": "8.0.300", "rollForward": "1" } }""")]
    [InlineData("""{ "sdk": { "version": "8.0.300", "rollForward": "patch,feature" } }""")]
    [InlineData("""{ "sdk": { "rollForward": "latestFeature" } }""")]
    [InlineData("""{ "sdk": { "allowPrerelease": "no" } }""")]
    [InlineData("""{ "sdk": { "paths": [".dotnet", "$host$"] } }""")]
    [InlineData("""{ "sdk": { "version": "8.0.300", "version": "9.0.100" } }""")]
    public void ReadSettings_WhatTheHostWouldNotTakeAsItIs_IsUnsure(string json)
    {
        Assert.Null(DotnetSdkResolver.ReadSettings(json));
    }

    [Theory]
    [InlineData("{}", "10.0.401")]
    [InlineData("""{ "sdk": { "version": "8.0.300" } }""", "8.0.310")]
    [InlineData("""{ "sdk": { "version": "8.0.304", "rollForward": "latestPatch" } }""", "8.0.310")]
    [InlineData("""{ "sdk": { "version": "8.0.200", "rollForward": "feature" } }""", "8.0.310")]
    [InlineData("""{ "sdk": { "version": "8.0.100", "rollForward": "latestFeature" } }""", "8.0.310")]
    [InlineData("""{ "sdk": { "version": "8.0.100", "rollForward": "minor" } }""", "8.0.100")]
    [InlineData("""{ "sdk": { "version": "8.0.400", "rollForward": "major" } }""", "9.0.101")]
    [InlineData("""{ "sdk": { "version": "8.0.400", "rollForward": "latestMajor" } }""", "10.0.401")]
    [InlineData("""{ "sdk": { "version": "9.0.100-rc.1.24452.12", "rollForward": "patch" } }""", "9.0.101")]
    [InlineData("""{ "sdk": { "version": "9.0.100-rc.1.24452.12", "rollForward": "disable" } }""", null)]
    [InlineData("""{ "sdk": { "version": "8.0.400", "rollForward": "latestMinor" } }""", null)]
    [InlineData("""{ "sdk": { "version": "10.0.500" } }""", null)]
    public void Choose_InstalledSdks_PicksWhatTheHostPicks(string json, string? expected)
    {
        var settings = DotnetSdkResolver.ReadSettings(json)!;

        var chosen = DotnetSdkResolver.Choose(settings, Installed.Reverse().Select(text => DotnetSdkVersion.Parse(text)!));

        Assert.Equal(expected, chosen?.Text);
    }

    [Fact]
    public void Choose_NewestIsAPrerelease_TakesItUnlessPrereleasesAreRefused()
    {
        var installed = new[] { "10.0.100", "11.0.100-preview.3.25201.16" }.Select(text => DotnetSdkVersion.Parse(text)!).ToList();

        Assert.Equal("11.0.100-preview.3.25201.16", DotnetSdkResolver.Choose(GlobalJsonSettings.Default, installed)?.Text);
        Assert.Equal("10.0.100", DotnetSdkResolver.Choose(DotnetSdkResolver.ReadSettings("""{ "sdk": { "allowPrerelease": false } }""")!, installed)?.Text);
    }

    [Theory]
    [InlineData("10.0.100-rc.2.25502.107", "10.0.100")]
    [InlineData("10.0.100-rc.2", "10.0.100-rc.10")]
    [InlineData("10.0.100-alpha", "10.0.100-beta")]
    [InlineData("10.0.100-1", "10.0.100-alpha")]
    [InlineData("10.0.100-rc", "10.0.100-rc.1")]
    [InlineData("9.0.999", "10.0.100")]
    [InlineData("10.0.99", "10.0.100")]
    public void Version_Ordering_FollowsTheHost(string lower, string higher)
    {
        Assert.True(DotnetSdkVersion.Parse(lower)!.CompareTo(DotnetSdkVersion.Parse(higher)) < 0);
        Assert.True(DotnetSdkVersion.Parse(higher)!.CompareTo(DotnetSdkVersion.Parse(lower)) > 0);
    }

    [Theory]
    [InlineData("10.0")]
    [InlineData("10.0.1.2")]
    [InlineData("v10.0.100")]
    [InlineData("10.0.100-")]
    [InlineData("10.0.100-rc.01")]
    [InlineData("010.0.100")]
    [InlineData("10.0.100+")]
    public void Version_NotAVersion_IsNull(string text)
    {
        Assert.Null(DotnetSdkVersion.Parse(text));
    }

    [UnixFact]
    public void TryResolve_DotnetLinkedIntoAnInstallation_ReadsItsSdkFoldersAndTheNearestGlobalJson()
    {
        using var temp = new TempDirectory();
        var root = Path.Combine(temp.Path, "dotnet-root");
        temp.Write("dotnet-root/dotnet", string.Empty);
        temp.Write("dotnet-root/sdk/8.0.303/dotnet.dll", string.Empty);
        temp.Write("dotnet-root/sdk/8.0.310/dotnet.dll", string.Empty);
        Directory.CreateDirectory(Path.Combine(root, "sdk", "8.0.399"));
        temp.Write("dotnet-root/sdk/NuGetFallbackFolder/dotnet.dll", string.Empty);
        Directory.CreateDirectory(Path.Combine(temp.Path, "bin"));
        var onPath = Path.Combine(temp.Path, "bin", "dotnet");
        File.CreateSymbolicLink(onPath, Path.Combine(root, "dotnet"));
        temp.Write("repo/global.json", """{ "sdk": { "version": "8.0.303", "rollForward": "disable" } }""");
        var project = Path.Combine(temp.Path, "repo", "projects", "one");
        Directory.CreateDirectory(project);
        var elsewhere = Path.Combine(temp.Path, "elsewhere");
        Directory.CreateDirectory(elsewhere);

        Assert.Equal("8.0.303", DotnetSdkResolver.TryResolve(onPath, project));
        Assert.Equal("8.0.310", DotnetSdkResolver.TryResolve(onPath, elsewhere));
    }

    [UnixFact]
    public void TryResolve_ProjectReachedThroughALink_IsUnsure()
    {
        using var temp = new TempDirectory();
        temp.Write("dotnet-root/dotnet", string.Empty);
        temp.Write("dotnet-root/sdk/8.0.303/dotnet.dll", string.Empty);
        var real = Path.Combine(temp.Path, "real");
        Directory.CreateDirectory(real);
        var link = Path.Combine(temp.Path, "link");
        Directory.CreateSymbolicLink(link, real);

        Assert.Null(DotnetSdkResolver.TryResolve(Path.Combine(temp.Path, "dotnet-root", "dotnet"), link));
        Assert.Equal("8.0.303", DotnetSdkResolver.TryResolve(Path.Combine(temp.Path, "dotnet-root", "dotnet"), real));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("""{ "sdk": { "allowPrerelease": false } }""")]
    [InlineData("""{ "sdk": { "version": "INSTALLED", "rollForward": "disable" } }""")]
    [InlineData("""{ "sdk": { "version": "LOWEST_BAND", "rollForward": "latestFeature" } }""")]
    public async Task TryResolve_OnThisMachine_AgreesWithDotnetVersion(string? globalJson)
    {
        var dotnet = DotnetOnThisMachine();
        using var project = new TempDirectory();
        var installed = (await RunDotnetAsync(dotnet, project.Path, "--version")).Trim();
        if (globalJson is not null)
        {
            var band = DotnetSdkVersion.Parse(installed)!;
            project.Write("global.json", globalJson
                .Replace("INSTALLED", installed, StringComparison.Ordinal)
                .Replace("LOWEST_BAND", $"{band.Major}.{band.Minor}.100", StringComparison.Ordinal));
        }

        var expected = (await RunDotnetAsync(dotnet, project.Path, "--version")).Trim();

        Assert.Equal(expected, DotnetSdkResolver.TryResolve(dotnet, project.Path));
    }

    private static string DotnetOnThisMachine()
    {
        var host = System.Environment.ProcessPath;
        if (host is not null && Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            return host;
        }

        return (System.Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "dotnet"))
            .First(File.Exists);
    }

    private static async Task<string> RunDotnetAsync(string dotnet, string workingDirectory, string argument)
    {
        var startInfo = new ProcessStartInfo(dotnet, [argument])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(startInfo)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        return output;
    }
}
