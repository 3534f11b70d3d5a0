using Repro.Core.Environments.Python;

namespace Repro.Core.Tests.Environments.Python;

public sealed class PythonEnvironmentKeyTests : IDisposable
{
    private static readonly PythonInterpreter Interpreter =
        new("/usr/bin/python3.11", "3.11.2", "3.11.2 (main, Mar 13 2023, 12:18:29) [GCC 12.2.0]", "cpython", "x86_64");

    private readonly TempDirectory _project = new();

    private string KeyOf(string envFile, PythonInterpreter? interpreter = null, string? projectDirectory = null)
    {
        var directory = projectDirectory ?? _project.Path;
        var file = Path.Combine(directory, "python_env.yaml");
        File.WriteAllText(file, envFile);
        var spec = PythonEnvFileReader.Read(file);
        return PythonEnvironmentKey.Compute(interpreter ?? Interpreter, File.ReadAllBytes(file), RequirementSet.Collect(spec, directory), directory);
    }

    [Fact]
    public void Compute_SameInputs_GiveTheSameKey()
    {
        _project.Write("requirements.txt", "numpy==1.26.4\n");
        const string EnvFile = "python: \"3.11\"\ndependencies: [-r requirements.txt]\n";

        Assert.Equal(KeyOf(EnvFile), KeyOf(EnvFile));
        Assert.Matches("^[0-9a-f]{64}$", KeyOf(EnvFile));
    }

    [Fact]
    public void Compute_ChangedRequirementsFile_GivesANewKey()
    {
        const string EnvFile = "dependencies: [-r requirements.txt]\n";
        _project.Write("requirements.txt", "numpy==1.26.4\n");
        var before = KeyOf(EnvFile);

        _project.Write("requirements.txt", "numpy==2.0.0\n");

        Assert.NotEqual(before, KeyOf(EnvFile));
    }

    [Fact]
    public void Compute_ChangedNestedRequirementsFile_GivesANewKey()
    {
        const string EnvFile = "dependencies: [-r requirements.txt]\n";
        _project.Write("requirements.txt", "-r base.txt\n");
        _project.Write("base.txt", "scipy==1.13.0\n");
        var before = KeyOf(EnvFile);

        _project.Write("base.txt", "scipy==1.14.0\n");

        Assert.NotEqual(before, KeyOf(EnvFile));
    }

    [Fact]
    public void Compute_ChangedEnvFile_GivesANewKey()
    {
        Assert.NotEqual(KeyOf("dependencies: [numpy]\n"), KeyOf("dependencies: [numpy, scipy]\n"));
    }

    [Fact]
    public void Compute_AnotherBuildOfTheInterpreter_GivesANewKey()
    {
        var rebuilt = Interpreter with { Build = "3.11.2 (main, Apr 1 2024, 09:00:00) [GCC 12.2.0]" };

        Assert.NotEqual(KeyOf("dependencies: [numpy]\n"), KeyOf("dependencies: [numpy]\n", rebuilt));
    }

    [Fact]
    public void Compute_SameFilesInAnotherProjectFolder_ShareTheKey()
    {
        using var other = new TempDirectory();
        _project.Write("requirements.txt", "numpy\n");
        other.Write("requirements.txt", "numpy\n");

        Assert.Equal(KeyOf("dependencies: [-r requirements.txt]\n"), KeyOf("dependencies: [-r requirements.txt]\n", projectDirectory: other.Path));
    }

    [Fact]
    public void Compute_LocalPackageInAnotherProjectFolder_GivesANewKey()
    {
        using var other = new TempDirectory();

        Assert.NotEqual(KeyOf("dependencies: [-e .]\n"), KeyOf("dependencies: [-e .]\n", projectDirectory: other.Path));
    }

    public void Dispose() => _project.Dispose();
}
