using System.Security.Cryptography;
using System.Text;
using Repro.Core.Environments.Python;
using Repro.Core.Errors;

namespace Repro.Core.Tests.Environments.Python;

public sealed class RequirementSetTests : IDisposable
{
    private readonly TempDirectory _project = new();

    private PythonEnvSpec Spec(string yaml)
    {
        var file = _project.Write("python_env.yaml", yaml);
        return PythonEnvFileReader.Read(file, "python_env.yaml");
    }

    [Fact]
    public void Collect_NestedRequirements_ResolveAgainstTheFileThatNamesThem()
    {
        _project.Write("requirements.txt", "-r deps/base.txt\nnumpy==1.26.4\n");
        var basePath = _project.Write("deps/base.txt", "-c pins.txt\nscipy\n");
        _project.Write("deps/pins.txt", "scipy==1.13.0\n");

        var set = RequirementSet.Collect(Spec("dependencies:\n  - -r requirements.txt\n"), _project.Path);

        Assert.Equal(["requirements.txt", "deps/base.txt", "deps/pins.txt"], set.Files.Select(file => file.Path));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(basePath))), set.Files[1].Sha256);
        Assert.Equal(basePath, set.Files[1].FullPath);
    }

    [Fact]
    public void Collect_FileReachedTwiceOrInACycle_IsListedOnce()
    {
        _project.Write("a.txt", "-r b.txt\n");
        _project.Write("b.txt", "-r a.txt\n");

        var set = RequirementSet.Collect(Spec("build_dependencies: [-r a.txt]\ndependencies: [-r b.txt]\n"), _project.Path);

        Assert.Equal(["a.txt", "b.txt"], set.Files.Select(file => file.Path));
    }

    [Fact]
    public void Collect_HashesInANestedFile_MarkOnlyTheStepThatReachesIt()
    {
        _project.Write("locked.txt", "numpy==1.26.4 \\\n  --hash=sha256:0000\n");

        var set = RequirementSet.Collect(Spec("build_dependencies: [pip]\ndependencies: [-r locked.txt]\n"), _project.Path);

        Assert.False(set.BuildDependenciesHaveHashes);
        Assert.True(set.DependenciesHaveHashes);
    }

    [Fact]
    public void Collect_MissingFileNamedInTheEnvFile_IsRefusedAtThatItem()
    {
        var error = Assert.Throws<InputException>(() => RequirementSet.Collect(Spec("dependencies:\n  - -r missing.txt\n"), _project.Path));

        Assert.Equal($"python_env.yaml:2:5: the requirements file {Path.Combine(_project.Path, "missing.txt")} does not exist", error.Message);
    }

    [Fact]
    public void Collect_MissingNestedFile_IsRefusedAtTheLineThatNamesIt()
    {
        _project.Write("requirements.txt", "numpy\n\n-r extra.txt\n");

        var error = Assert.Throws<InputException>(() => RequirementSet.Collect(Spec("dependencies: [-r requirements.txt]\n"), _project.Path));

        Assert.StartsWith("requirements.txt:3:1: the requirements file ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Collect_FileNamedByUrl_IsNotFetched()
    {
        var set = RequirementSet.Collect(Spec("dependencies: [-r https://example.com/requirements.txt]\n"), _project.Path);

        Assert.Empty(set.Files);
    }

    [Fact]
    public void Collect_LocalPackageLine_IsFlagged()
    {
        Assert.True(RequirementSet.Collect(Spec("dependencies: [-e .]\n"), _project.Path).InstallsLocalPaths);
        Assert.False(RequirementSet.Collect(Spec("dependencies: [numpy]\n"), _project.Path).InstallsLocalPaths);
    }

    [Fact]
    public void Collect_MultiLineItem_IsReadAsSeveralLines()
    {
        _project.Write("requirements.txt", "numpy\n");

        var set = RequirementSet.Collect(Spec("dependencies:\n  - |\n    pandas\n    -r requirements.txt\n"), _project.Path);

        Assert.Equal("requirements.txt", Assert.Single(set.Files).Path);
        Assert.Equal(Encoding.UTF8.GetByteCount("numpy\n"), new FileInfo(set.Files[0].FullPath).Length);
    }

    public void Dispose() => _project.Dispose();
}
