using Repro.Core.Capture.Environment;

namespace Repro.Core.Tests.Capture.Environment;

public sealed class VersionOutputParserTests
{
    [Theory]
    [InlineData("Python 3.11.7\n", "3.11.7")]
    [InlineData("\nPython 2.7.18\r\n", "2.7.18")]
    [InlineData("Python 3.13.0rc1\n", "3.13.0rc1")]
    public void ParsePython_VersionLine_GivesVersion(string output, string version)
    {
        Assert.Equal(version, VersionOutputParser.ParsePython(output));
    }

    [Theory]
    [InlineData("")]
    [InlineData("pyenv: python3: command not found\n")]
    public void ParsePython_OtherOutput_GivesNull(string output)
    {
        Assert.Null(VersionOutputParser.ParsePython(output));
    }

    [Theory]
    [InlineData("10.0.401\n", "10.0.401")]
    [InlineData("10.0.100-rc.2.25502.107\n", "10.0.100-rc.2.25502.107")]
    public void ParseDotnetSdk_VersionLine_GivesVersion(string output, string version)
    {
        Assert.Equal(version, VersionOutputParser.ParseDotnetSdk(output));
    }

    [Fact]
    public void ParseDotnetSdk_InstalledSdkList_GivesNull()
    {
        Assert.Null(VersionOutputParser.ParseDotnetSdk("10.0.401 [/usr/share/dotnet/sdk]\n"));
    }

    [Fact]
    public void DescribeDotnetFailure_MissingGlobalJsonSdk_NamesTheRequestedVersion()
    {
        const string stderr = """
            The command could not be loaded, possibly because:
              * You intended to execute a .NET SDK command:
                  A compatible .NET SDK was not found.

            Requested SDK version: 99.0.100
            global.json file: /tmp/p/global.json
            """;

        Assert.Equal(
            "global.json asks for an SDK that is not installed (Requested SDK version: 99.0.100)",
            VersionOutputParser.DescribeDotnetFailure(stderr));
    }
}
