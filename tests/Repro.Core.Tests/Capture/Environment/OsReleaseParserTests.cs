using Repro.Core.Capture.Environment;

namespace Repro.Core.Tests.Capture.Environment;

public sealed class OsReleaseParserTests
{
    [Theory]
    [InlineData("os-release-debian12.txt", "Debian GNU/Linux", "12")]
    [InlineData("os-release-ubuntu2204.txt", "Ubuntu", "22.04")]
    [InlineData("os-release-alpine319.txt", "Alpine Linux", "3.19.1")]
    [InlineData("os-release-arch.txt", "Arch Linux", "rolling")]
    public void Parse_DistributionFile_GivesNameAndVersionId(string fixture, string name, string version)
    {
        var (parsedName, parsedVersion) = OsReleaseParser.Parse(Fixture.Read(fixture));

        Assert.Equal(name, parsedName);
        Assert.Equal(version, parsedVersion);
    }

    [Fact]
    public void Parse_NoVersionId_FallsBackToVersion()
    {
        var (_, version) = OsReleaseParser.Parse("NAME='Some Linux'\nVERSION=\"7 (Core)\"\n");

        Assert.Equal("7 (Core)", version);
    }

    [Fact]
    public void Parse_EmptyText_GivesUnknown()
    {
        Assert.Equal((null, null), OsReleaseParser.Parse(string.Empty));
    }

    [Fact]
    public void ParseAssignments_QuotedValueWithEscapes_IsUnescaped()
    {
        var values = OsReleaseParser.ParseAssignments("# comment\nPRETTY_NAME=\"A \\\"quoted\\\" name\"\nEMPTY=\n");

        Assert.Equal("A \"quoted\" name", values["PRETTY_NAME"]);
        Assert.False(values.ContainsKey("EMPTY"));
    }
}
