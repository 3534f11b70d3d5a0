using Repro.Core.Environments.Python;
using Repro.Core.Errors;

namespace Repro.Core.Tests.Environments.Python;

public sealed class PythonEnvFileReaderTests
{
    private static PythonEnvSpec Parse(string text) => PythonEnvFileReader.Parse("/project/python_env.yaml", "python_env.yaml", text);

    private static string ErrorOf(string text) => Assert.Throws<InputException>(() => Parse(text)).Message;

    [Fact]
    public void Parse_MlflowFormat_ReadsVersionAndBothLists()
    {
        var spec = Parse("""
            python: "3.11"
            build_dependencies:
              - pip==23.2.1
              - setuptools
            dependencies:
              - -r requirements.txt
              - numpy==1.26.4
            """);

        Assert.Equal("/project/python_env.yaml", spec.File);
        Assert.Equal("3.11", spec.Python);
        Assert.Equal(["pip==23.2.1", "setuptools"], spec.BuildDependencies.Select(line => line.Text));
        Assert.Equal(["-r requirements.txt", "numpy==1.26.4"], spec.Dependencies.Select(line => line.Text));
        Assert.Equal("python_env.yaml:6:5", spec.Dependencies[0].Location.ToString());
    }

    [Fact]
    public void Parse_PatchVersionWithoutQuotes_IsAString()
    {
        Assert.Equal("3.11.7", Parse("python: 3.11.7\n").Python);
    }

    [Fact]
    public void Parse_NoPythonAndNoLists_MeansCurrentPythonAndNothingToInstall()
    {
        var spec = Parse("dependencies:\n");

        Assert.Null(spec.Python);
        Assert.Empty(spec.BuildDependencies);
        Assert.Empty(spec.Dependencies);
    }

    [Fact]
    public void Parse_UnquotedMinorVersion_IsRefusedSayingYamlReadsANumber()
    {
        Assert.Equal(
            "python_env.yaml:1:9: python must be a string, and YAML reads 3.10 as a float (3.1); quote it: python: \"3.10\"",
            ErrorOf("python: 3.10\n"));
    }

    [Fact]
    public void Parse_VersionThatIsNoVersion_IsRefused()
    {
        Assert.StartsWith("python_env.yaml:1:9: python must be a version", ErrorOf("python: three\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownKey_IsRefusedAsMlflowDoes()
    {
        Assert.Equal(
            "python_env.yaml:2:1: unknown key 'channels' in a python_env file; expected one of: python, build_dependencies, dependencies",
            ErrorOf("python: \"3.11\"\nchannels: [conda-forge]\n"));
    }

    [Fact]
    public void Parse_DependenciesThatAreNotAList_AreRefused()
    {
        Assert.Equal("python_env.yaml:1:15: dependencies must be a list, not a single value", ErrorOf("dependencies: numpy\n"));
    }

    [Fact]
    public void Parse_EmptyItem_IsRefusedWhereItIs()
    {
        Assert.Equal("python_env.yaml:3:4: an item of dependencies is empty", ErrorOf("dependencies:\n  - numpy\n  -\n"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    public void Parse_EmptyFile_IsRefused(string text)
    {
        Assert.StartsWith("python_env.yaml:1:1: the file is empty", ErrorOf(text), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidYaml_IsLocated()
    {
        Assert.StartsWith("python_env.yaml:2:", ErrorOf("python: \"3.11\"\n  dependencies: [\n"), StringComparison.Ordinal);
    }
}
