using Repro.Core.Errors;
using Repro.Core.Projects;

namespace Repro.Core.Tests.Projects;

public sealed class MLProjectLoaderTests
{
    private const string Minimal = """
        entry_points:
          main:
            command: python train.py
        """;

    [Theory]
    [InlineData("MLproject")]
    [InlineData("MLproject.yaml")]
    [InlineData("MLproject.yml")]
    [InlineData("mlproject")]
    [InlineData("MLPROJECT.YAML")]
    public void Load_FileNamedAnyAcceptedWay_ReadsItAndKeepsItsSpelling(string fileName)
    {
        using var project = new TempProject().With(fileName, Minimal);

        var loaded = project.Project;

        Assert.Equal(fileName, loaded.FileName);
        Assert.Equal(Path.Join(project.Directory, fileName), loaded.FilePath);
        Assert.Equal(project.Directory, loaded.Directory);
        Assert.Equal(["main"], loaded.EntryPoints.Keys);
    }

    [Fact]
    public void Load_TwoMLprojectFiles_FailsNamingBoth()
    {
        using var project = new TempProject().With("MLproject", Minimal).With("MLproject.yaml", Minimal);

        var error = Assert.Throws<InputException>(project.Load);

        Assert.Contains("more than one MLproject file", error.Message, StringComparison.Ordinal);
        Assert.Contains("MLproject, MLproject.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NoMLprojectFile_FailsNamingDirectory()
    {
        using var project = new TempProject().With("MLproject.txt", Minimal);

        var error = Assert.Throws<InputException>(project.Load);

        Assert.Contains($"no MLproject file in '{project.Directory}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingDirectory_FailsNamingIt()
    {
        using var project = new TempProject();
        var missing = Path.Join(project.Directory, "nowhere");

        var error = Assert.Throws<InputException>(() => MLProjectLoader.Load(missing));

        Assert.Contains($"'{missing}' does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FileInsteadOfDirectory_SaysSo()
    {
        using var project = new TempProject().WithMLproject(Minimal);

        var error = Assert.Throws<InputException>(() => MLProjectLoader.Load(project.MLprojectPath));

        Assert.Contains("is a file, not a directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DirectoryWithTrailingSeparator_RecordsItWithout()
    {
        using var project = new TempProject().WithMLproject(Minimal);

        var loaded = MLProjectLoader.Load(project.Directory + Path.DirectorySeparatorChar).Project;

        Assert.Equal(project.Directory, loaded.Directory);
    }

    [Fact]
    public void Load_FullFile_ReadsNameSeedEnvironmentAndEntryPointsInOrder()
    {
        using var project = new TempProject().With("python_env.yaml").WithMLproject("""
            name: tutorial
            python_env: python_env.yaml
            seed: 42
            entry_points:
              validate:
                parameters:
                  data_file: path
                command: "python validate.py {data_file}"
              main:
                parameters:
                  alpha: {type: float, default: 0.10}
                  l1_ratio: {type: float, default: 0.1}
                  note: {default: hello}
                command: "python train.py {alpha} {l1_ratio}"
            """);

        var loaded = project.Project;

        Assert.Equal("tutorial", loaded.Name);
        Assert.Equal(42u, loaded.Seed);
        Assert.Equal(new ProjectEnvironment("python_env", "python_env.yaml", null), loaded.Environment);
        Assert.Equal(["validate", "main"], loaded.EntryPoints.Keys);
        var main = loaded.EntryPoints["main"];
        Assert.Equal("python train.py {alpha} {l1_ratio}", main.Command);
        Assert.Equal(new SourceLocation(project.MLprojectPath, 14, 14), main.CommandLocation);
        Assert.Equal(
            [
                ("alpha", "float", "0.1", new SourceLocation(project.MLprojectPath, 11, 7)),
                ("l1_ratio", "float", "0.1", new SourceLocation(project.MLprojectPath, 12, 7)),
                ("note", "string", "hello", new SourceLocation(project.MLprojectPath, 13, 7)),
            ],
            main.Parameters.Select(parameter => (parameter.Name, parameter.Type, parameter.Default, parameter.Location)));
        var dataFile = Assert.Single(loaded.EntryPoints["validate"].Parameters);
        Assert.Equal("path", dataFile.Type);
        Assert.True(dataFile.IsRequired);
    }

    [Fact]
    public void Load_NoNameNoSeedNoEnvironment_LeavesThemNull()
    {
        using var project = new TempProject().WithMLproject(Minimal);

        var loaded = project.Load();

        Assert.Null(loaded.Project.Name);
        Assert.Null(loaded.Project.Seed);
        Assert.Equal(ProjectEnvironment.None, loaded.Project.Environment);
        Assert.Empty(loaded.Warnings);
    }

    [Fact]
    public void Load_NoEntryPoints_LoadsWithNone()
    {
        using var project = new TempProject().WithMLproject("name: scripts-only\n");

        Assert.Empty(project.Project.EntryPoints);
    }

    [Theory]
    [InlineData("default: 0", "0")]
    [InlineData("default: 0.10", "0.1")]
    [InlineData("default: 1e-3", "1e-3")]
    [InlineData("default: \"\"", "")]
    [InlineData("default: ''", "")]
    [InlineData("default: 'true'", "true")]
    [InlineData("default: !!str yes", "yes")]
    [InlineData("default: 007", "7")]
    [InlineData("default: \"007\"", "007")]
    [InlineData("default: \"null\"", "null")]
    [InlineData("default: None", "None")]
    public void Load_DefaultValue_IsPythonStrOfWhatPyYamlReads(string defaultLine, string expected)
    {
        using var project = new TempProject().WithMLproject($$"""
            entry_points:
              main:
                parameters:
                  p: {type: string, {{defaultLine}}}
                command: echo {p}
            """);

        var parameter = Assert.Single(project.Project.EntryPoints["main"].Parameters);

        Assert.Equal(expected, parameter.Default);
        Assert.False(parameter.IsRequired);
    }

    [Theory]
    [InlineData("true", "True")]
    [InlineData("false", "False")]
    [InlineData("True", "True")]
    [InlineData("FALSE", "False")]
    [InlineData("yes", "True")]
    [InlineData("off", "False")]
    public void Load_BooleanDefault_RendersLikePythonStr(string yaml, string expected)
    {
        using var project = new TempProject().WithMLproject($$"""
            entry_points:
              main:
                parameters:
                  flag: {type: string, default: {{yaml}}}
                command: echo {flag}
            """);

        Assert.Equal(expected, Assert.Single(project.Project.EntryPoints["main"].Parameters).Default);
    }

    [Theory]
    [InlineData("flag: string")]
    [InlineData("flag: {type: string}")]
    [InlineData("flag: {type: string, default: null}")]
    [InlineData("flag: {type: string, default: ~}")]
    [InlineData("flag: {type: string, default: }")]
    public void Load_MissingOrNullDefault_MakesParameterRequired(string declaration)
    {
        using var project = new TempProject().WithMLproject($"""
            entry_points:
              main:
                parameters:
                  {declaration}
                command: echo {"{flag}"}
            """);

        var parameter = Assert.Single(project.Project.EntryPoints["main"].Parameters);

        Assert.True(parameter.IsRequired);
        Assert.Null(parameter.Default);
    }

    [Fact]
    public void Load_LongFormWithoutType_DefaultsToString()
    {
        using var project = new TempProject().WithMLproject("""
            entry_points:
              main:
                parameters:
                  a: {default: 1}
                  b: {type: ~, default: 2}
                command: echo {a} {b}
            """);

        Assert.All(project.Project.EntryPoints["main"].Parameters, parameter => Assert.Equal("string", parameter.Type));
    }

    [Fact]
    public void Load_UnknownTopLevelKey_IsIgnoredWithLocatedWarning()
    {
        using var project = new TempProject().WithMLproject("""
            name: x
            entry_point:
              main:
                command: oops
            entry_points:
              main:
                command: echo ok
            """);

        var loaded = project.Load();

        Assert.Equal("echo ok", loaded.Project.EntryPoints["main"].Command);
        var warning = Assert.Single(loaded.Warnings);
        Assert.Equal($"{project.MLprojectPath}:2:1: warning: unknown key 'entry_point' at the top level ignored, as MLflow ignores it; did you mean 'entry_points'?", warning);
    }

    [Fact]
    public void Load_CondaEnv_RecordsKindAndFile()
    {
        using var project = new TempProject().With("envs/conda.yaml").WithMLproject("conda_env: envs/conda.yaml\n" + Minimal);

        Assert.Equal(new ProjectEnvironment("conda_env", "envs/conda.yaml", null), project.Project.Environment);
    }

    [Fact]
    public void Load_DockerEnv_RecordsImageAndAcceptsVolumesAndEnvironment()
    {
        using var project = new TempProject().WithMLproject("""
            docker_env:
              image: mlflow-docker-example:1.0
              volumes: ["/local/path:/container/mount/path"]
              environment: [["NEW_ENV_VAR", "value"], "VAR_TO_COPY"]
            entry_points:
              main:
                command: python train.py
            """);

        var loaded = project.Load();

        Assert.Equal(new ProjectEnvironment("docker_env", null, "mlflow-docker-example:1.0"), loaded.Project.Environment);
        Assert.Empty(loaded.Warnings);
    }

    [Fact]
    public void Load_DockerEnvUnknownKey_IsIgnoredWithWarning()
    {
        using var project = new TempProject().WithMLproject("""
            docker_env:
              image: img
              gpus: all
            """);

        var warning = Assert.Single(project.Load().Warnings);

        Assert.Equal($"{project.MLprojectPath}:3:3: warning: unknown key 'gpus' in docker_env ignored, as MLflow ignores it", warning);
    }

    [Theory]
    [InlineData("0", 0u)]
    [InlineData("4294967295", 4294967295u)]
    [InlineData("1234", 1234u)]
    public void Load_SeedInRange_IsRead(string seed, uint expected)
    {
        using var project = new TempProject().WithMLproject($"seed: {seed}\n" + Minimal);

        Assert.Equal(expected, project.Project.Seed);
    }

    [Fact]
    public void Load_NullSeed_MeansNoSeed()
    {
        using var project = new TempProject().WithMLproject("seed: ~\n" + Minimal);

        Assert.Null(project.Project.Seed);
    }

    [Fact]
    public void Load_AnchorsAndAliases_AreResolved()
    {
        using var project = new TempProject().WithMLproject("""
            entry_points:
              train:
                parameters: &shared
                  alpha: {type: float, default: 0.5}
                command: python train.py {alpha}
              eval:
                parameters: *shared
                command: python eval.py {alpha}
            """);

        Assert.Equal("0.5", Assert.Single(project.Project.EntryPoints["eval"].Parameters).Default);
    }
}
