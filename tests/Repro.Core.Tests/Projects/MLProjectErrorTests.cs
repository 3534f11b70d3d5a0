using Repro.Core.Errors;
using Repro.Core.Projects;

namespace Repro.Core.Tests.Projects;

/// <summary>Every problem in an MLproject file is reported as FILE:LINE:COL: message.</summary>
public sealed class MLProjectErrorTests
{
    [Fact]
    public void Load_TabIndentation_PointsAtTheTab()
    {
        using var project = new TempProject().WithMLproject("entry_points:\n  main:\n\tcommand: echo hi\n");

        project.LoadFailsAt(3, 1, "tab", "spaces");
    }

    [Fact]
    public void Load_TabBeforeNestedKey_PointsAtTheTab()
    {
        using var project = new TempProject().WithMLproject("entry_points:\n  main:\n    command: x\n    parameters:\n      a: 1\n  \t  b: 2\n");

        project.LoadFailsAt(6, 3, "tab");
    }

    [Fact]
    public void Load_UnclosedQuote_PointsAtTheQuote()
    {
        using var project = new TempProject().WithMLproject("entry_points:\n  main:\n    command: \"python train.py\n");

        project.LoadFailsAt(3, 14, "invalid YAML: while scanning a quoted scalar");
    }

    [Fact]
    public void Load_UnclosedFlowList_IsLocated()
    {
        using var project = new TempProject().WithMLproject("entry_points:\n  main:\n    command: x\n    inputs: [a, b\n");

        project.LoadFailsAt(5, 1, "invalid YAML");
    }

    [Fact]
    public void Load_EmptyFile_FailsAtFirstLine()
    {
        using var project = new TempProject().WithMLproject(string.Empty);

        project.LoadFailsAt(1, 1, "the file is empty");
    }

    [Fact]
    public void Load_CommentsOnly_CountsAsEmpty()
    {
        using var project = new TempProject().WithMLproject("# nothing here\n\n");

        project.LoadFailsAt(1, 1, "the file is empty");
    }

    [Fact]
    public void Load_ScalarDocument_FailsExpectingMapping()
    {
        using var project = new TempProject().WithMLproject("\nhello\n");

        project.LoadFailsAt(2, 1, "an MLproject file must be a mapping", "not a single value");
    }

    [Fact]
    public void Load_ListWhereEntryPointsMappingBelongs_PointsAtTheList()
    {
        using var project = new TempProject().WithMLproject("entry_points:\n  - main\n  - other\n");

        project.LoadFailsAt(2, 3, "entry_points must be a mapping", "not a list");
    }

    [Fact]
    public void Load_ScalarWhereEntryPointBelongs_PointsAtTheScalar()
    {
        using var project = new TempProject().WithMLproject("entry_points:\n  main: python train.py\n");

        project.MainFailsAt(2, 9, "entry point 'main' must be a mapping");
    }

    [Fact]
    public void Load_ListWhereParametersMappingBelongs_PointsAtTheList()
    {
        using var project = new TempProject().WithMLproject("entry_points:\n  main:\n    parameters: [alpha]\n    command: x\n");

        project.MainFailsAt(3, 17, "the parameters of entry point 'main' must be a mapping");
    }

    [Fact]
    public void Load_ParameterWithoutType_PointsAtIt()
    {
        using var project = new TempProject().WithMLproject("entry_points:\n  main:\n    parameters:\n      alpha:\n    command: x\n");

        project.MainFailsAt(4, 13, "parameter 'alpha' of entry point 'main' must be a type word", "MLflow fails on it too");
    }

    [Fact]
    public void Load_ListDefault_IsPassedAsPythonPrintsItWithWarning()
    {
        using var project = new TempProject().WithMLproject("entry_points:\n  main:\n    parameters:\n      a: {type: string, default: [1, 'x', true, null]}\n    command: echo {a}\n");

        var rendered = CommandRenderer.Render(project.Project, "main", [], shell: null);

        Assert.Equal("echo '[1, '\"'\"'x'\"'\"', True, None]'", rendered.Command);
        Assert.Equal([$"{project.MLprojectPath}:4:34: warning: the default of parameter 'a' is a list; it is passed as Python prints it, [1, 'x', True, None], as MLflow does"], rendered.Warnings);
    }

    [Fact]
    public void Load_DuplicateTopLevelKey_KeepsTheLastWithWarningNamingTheFirst()
    {
        using var project = new TempProject().WithMLproject("name: a\nentry_points: {}\nname: b\n");

        var loaded = project.Load();

        Assert.Equal("b", loaded.Project.Name);
        Assert.Equal([$"{project.MLprojectPath}:3:1: warning: duplicate key 'name' (first at line 1, column 1); the last one is used, as MLflow's YAML reader (PyYAML) does"], loaded.Warnings);
    }

    [Fact]
    public void Load_DuplicateEntryPoint_KeepsTheLastInTheFirstPlace()
    {
        using var project = new TempProject().WithMLproject("entry_points:\n  main:\n    command: a\n  other:\n    command: c\n  main:\n    command: b\n");

        var loaded = project.Load();

        Assert.Equal(["main", "other"], loaded.Project.EntryPoints.Keys);
        Assert.Equal("b", loaded.Project.EntryPoints["main"].Command);
        Assert.Contains(loaded.Warnings, warning => warning.StartsWith($"{project.MLprojectPath}:6:3: warning: duplicate key 'main' (first at line 2, column 3)", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_DuplicateParameter_KeepsTheLastWithWarningInItsEntryPoint()
    {
        using var project = new TempProject().WithMLproject("entry_points:\n  main:\n    parameters:\n      a: float\n      a: int\n    command: x\n");

        var main = project.Project.EntryPoints["main"];

        Assert.Equal("int", Assert.Single(main.Parameters).Type);
        Assert.Equal($"{project.MLprojectPath}:5:7: warning: duplicate key 'a' (first at line 4, column 7); the last one is used, as MLflow's YAML reader (PyYAML) does", Assert.Single(main.Diagnostics).ToString());
    }

    [Fact]
    public void Load_DuplicateKeyInFlowMapping_KeepsTheLast()
    {
        using var project = new TempProject().WithMLproject("entry_points:\n  main:\n    parameters:\n      a: {type: float, type: int}\n    command: x\n");

        var main = project.Project.EntryPoints["main"];

        Assert.Equal("int", Assert.Single(main.Parameters).Type);
        Assert.Equal(new SourceLocation(project.MLprojectPath, 4, 24), Assert.Single(main.Diagnostics).Location);
    }

    [Fact]
    public void Load_UnknownEntryPointKey_IsIgnoredWithWarningAndTheMissingCommandNamesIt()
    {
        using var project = new TempProject().WithMLproject("entry_points:\n  main:\n    comand: python train.py\n");

        project.MainFailsAt(2, 3, "entry point 'main' has no command", "line 3 has 'comand': did you mean 'command'?");
    }

    [Fact]
    public void Load_UnknownParameterKey_IsIgnoredWithDidYouMean()
    {
        using var project = new TempProject().WithMLproject("entry_points:\n  main:\n    parameters:\n      a: {type: float, defualt: 1}\n    command: x\n");

        var warning = Assert.Single(project.Project.EntryPoints["main"].Diagnostics);

        Assert.Equal($"{project.MLprojectPath}:4:24: warning: unknown key 'defualt' in parameter 'a' of entry point 'main' ignored, as MLflow ignores it, so the parameter has no default and must be given with -P; did you mean 'default'?", warning.ToString());
    }

    [Fact]
    public void Load_EntryPointWithoutCommand_PointsAtItsName()
    {
        using var project = new TempProject().WithMLproject("entry_points:\n  main:\n    parameters: {}\n");

        project.MainFailsAt(2, 3, "entry point 'main' has no command");
    }

    [Fact]
    public void Load_ListCommand_IsAnError()
    {
        using var project = new TempProject().WithMLproject("entry_points:\n  main:\n    command: [python, train.py]\n");

        project.MainFailsAt(3, 14, "the command of entry point 'main' must be a single value");
    }

    [Fact]
    public void Load_MissingPythonEnvFile_PointsAtTheValue()
    {
        using var project = new TempProject().WithMLproject("name: x\npython_env: python_env.yaml\n");

        project.LoadFailsAt(2, 13, "python_env file 'python_env.yaml' does not exist");
    }

    [Fact]
    public void Load_MissingCondaEnvFile_PointsAtTheValue()
    {
        using var project = new TempProject().WithMLproject("conda_env: conda.yaml\n");

        project.LoadFailsAt(1, 12, "conda_env file 'conda.yaml' does not exist");
    }

    [Fact]
    public void Load_TwoEnvironments_PointsAtTheSecond()
    {
        using var project = new TempProject().With("python_env.yaml").With("conda.yaml").WithMLproject("python_env: python_env.yaml\nconda_env: conda.yaml\n");

        project.LoadFailsAt(2, 1, "'conda_env' is given after 'python_env'", "at most one");
    }

    [Fact]
    public void Load_DockerEnvWithoutImage_IsAnError()
    {
        using var project = new TempProject().WithMLproject("docker_env:\n  volumes: []\n");

        project.LoadFailsAt(2, 3, "docker_env needs an image");
    }

    [Fact]
    public void Load_DockerEnvAsString_IsAnError()
    {
        using var project = new TempProject().WithMLproject("docker_env: my-image\n");

        project.LoadFailsAt(1, 13, "docker_env must be a mapping");
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("4294967296")]
    [InlineData("1.5")]
    [InlineData("abc")]
    [InlineData("0x10")]
    [InlineData("'12 '")]
    public void Load_SeedOutOfRangeOrNotInteger_NamesTheValue(string seed)
    {
        using var project = new TempProject().WithMLproject($"name: x\nseed: {seed}\n");

        project.LoadFailsAt(2, 7, "seed must be an integer from 0 to 4294967295");
    }

    [Fact]
    public void Load_TwoDocuments_IsAnError()
    {
        using var project = new TempProject().WithMLproject("name: a\n---\nname: b\n");

        project.LoadFailsAt(2, 1, "more than one YAML document");
    }

    [Fact]
    public void Load_UnknownAlias_IsAnError()
    {
        using var project = new TempProject().WithMLproject("name: *missing\n");

        project.LoadFailsAt(1, 7, "*missing");
    }

    [Fact]
    public void Load_MappingAsKey_IsAnError()
    {
        using var project = new TempProject().WithMLproject("{[a, b]: c}\n");

        project.LoadFailsAt(1, 2, "a key must be a single value");
    }

    [Fact]
    public void Load_MappingWhereNameBelongs_IsIgnoredWithWarning()
    {
        using var project = new TempProject().WithMLproject("name: {first: a}\n");

        var loaded = project.Load();

        Assert.Null(loaded.Project.Name);
        Assert.Equal([$"{project.MLprojectPath}:1:7: warning: name should be a single value, not a mapping; repro ignores it"], loaded.Warnings);
    }

    [Fact]
    public void Load_AbsurdlyDeepNesting_IsRefusedWithLocation()
    {
        using var project = new TempProject().WithMLproject("name: " + new string('[', 100) + new string(']', 100) + "\n");

        project.LoadFailsAt(1, 70, "nested more than 64 levels");
    }
}
