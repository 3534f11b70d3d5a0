using Repro.Core.Projects;

namespace Repro.Core.Tests.Projects;

/// <summary>This repository's own project: MLproject.yaml for repro, and an MLproject link to it for mlflow run.</summary>
public sealed class RootProjectTests
{
    private static readonly string s_root = DotnetHost.RepositoryRoot();

    [Fact]
    public void RootProject_HasMLprojectLinkToMLprojectYaml()
    {
        var link = new FileInfo(Path.Join(s_root, "MLproject"));

        Assert.Equal("MLproject.yaml", link.LinkTarget);
    }

    [Fact]
    public void RootProject_LoadsOnceUnderItsRealName()
    {
        var loaded = MLProjectLoader.Load(s_root);

        Assert.Equal("MLproject.yaml", loaded.Project.FileName);
        Assert.Empty(loaded.Warnings);
        Assert.Empty(loaded.Project.BrokenEntryPoints);
    }

    [Theory]
    [InlineData("MLproject")]
    [InlineData("MLproject.yaml")]
    public void RootProject_LoadsTheSameUnderEitherName(string name)
    {
        using var copy = new TempProject().With(name, File.ReadAllText(Path.Join(s_root, "MLproject.yaml")));
        var fromCopy = copy.Load();
        var fromRoot = MLProjectLoader.Load(s_root);

        Assert.Equal(name, fromCopy.Project.FileName);
        Assert.Equal(fromRoot.Project.EntryPoints.Keys, fromCopy.Project.EntryPoints.Keys);
        foreach (var entryPoint in fromRoot.Project.EntryPoints.Values)
        {
            var other = fromCopy.Project.EntryPoints[entryPoint.Name];
            Assert.Equal(entryPoint.Command, other.Command);
            Assert.Equal(entryPoint.Parameters.Select(parameter => (parameter.Name, parameter.Type, parameter.Default)), other.Parameters.Select(parameter => (parameter.Name, parameter.Type, parameter.Default)));
            Assert.Empty(other.Diagnostics);
        }
    }

    [Fact]
    public void RootProject_EveryEntryPointRendersWithItsDefaultsWithoutWarnings()
    {
        var result = ProjectChecker.Check(s_root, strict: true);

        Assert.True(result.Passed, string.Join('\n', result.Diagnostics));
        Assert.Equal(["main", "evaluate", "torch", "python"], result.EntryPoints.Select(entryPoint => entryPoint.Name));
    }

    [Fact]
    public void Load_TwoNamesLinkedToOneFile_IsOneFileNamedByTheRealOne()
    {
        using var project = new TempProject().With("MLproject.yml", "entry_points:\n  main:\n    command: echo ok\n");
        File.CreateSymbolicLink(Path.Join(project.Directory, "MLproject"), "MLproject.yml");

        Assert.Equal("MLproject.yml", project.Project.FileName);
    }

    [Fact]
    public void Load_OtherCaseLinkWithAbsoluteTarget_IsOneFile()
    {
        using var project = new TempProject().With("MLproject.yaml", "entry_points:\n  main:\n    command: echo ok\n");
        File.CreateSymbolicLink(Path.Join(project.Directory, "mlproject"), Path.Join(project.Directory, "MLproject.yaml"));

        Assert.Equal("MLproject.yaml", project.Project.FileName);
    }
}
