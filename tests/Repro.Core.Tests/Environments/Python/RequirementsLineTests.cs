using Repro.Core.Environments.Python;

namespace Repro.Core.Tests.Environments.Python;

public sealed class RequirementsLineTests
{
    [Theory]
    [InlineData("-r requirements.txt", "requirements.txt", false)]
    [InlineData("-rrequirements.txt", "requirements.txt", false)]
    [InlineData("--requirement dev.txt", "dev.txt", false)]
    [InlineData("--requirement=dev.txt", "dev.txt", false)]
    [InlineData("-r 'with space.txt'", "with space.txt", false)]
    [InlineData("-c constraints.txt", "constraints.txt", true)]
    [InlineData("--constraint=pins.txt  # pinned", "pins.txt", true)]
    public void Parse_IncludeLine_NamesTheFile(string line, string file, bool constraint)
    {
        var parsed = RequirementsLine.Parse(line);

        Assert.Equal(file, parsed.IncludedFile);
        Assert.Equal(constraint, parsed.IsConstraint);
    }

    [Theory]
    [InlineData("numpy==1.26.4 --hash=sha256:abcd", true)]
    [InlineData("numpy==1.26.4 \\ --hash sha256:abcd", true)]
    [InlineData("numpy==1.26.4", false)]
    [InlineData("# numpy==1.26.4 --hash=sha256:abcd", false)]
    public void Parse_RequirementLine_SaysWhetherItPinsAHash(string line, bool hasHash)
    {
        Assert.Equal(hasHash, RequirementsLine.Parse(line).HasHash);
    }

    [Theory]
    [InlineData(".", true)]
    [InlineData("./packages/tool", true)]
    [InlineData("-e .", true)]
    [InlineData("--editable=../lib", true)]
    [InlineData("tool @ file:///opt/wheels/tool-1.0-py3-none-any.whl", true)]
    [InlineData("-e git+https://github.com/org/tool.git#egg=tool", false)]
    [InlineData("tool @ https://example.com/tool-1.0.tar.gz", false)]
    [InlineData("numpy>=1.26", false)]
    [InlineData("--index-url https://pypi.example.com/simple", false)]
    public void Parse_Line_SaysWhetherItInstallsALocalPath(string line, bool local)
    {
        Assert.Equal(local, RequirementsLine.Parse(line).InstallsLocalPath);
    }

    [Fact]
    public void ReadFile_ContinuedLines_AreJoinedAndLocatedAtTheirFirstLine()
    {
        var lines = RequirementsLine.ReadFile("numpy==1.26.4 \\\n    --hash=sha256:abcd\r\n-r other.txt\n", "requirements.txt");

        Assert.Equal("numpy==1.26.4     --hash=sha256:abcd", lines[0].Text);
        Assert.Equal("requirements.txt:1:1", lines[0].Location.ToString());
        Assert.Equal("requirements.txt:3:1", lines[1].Location.ToString());
    }
}
