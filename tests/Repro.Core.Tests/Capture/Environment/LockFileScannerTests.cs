using Repro.Core.Capture.Environment;
using Repro.Core.Runs;

namespace Repro.Core.Tests.Capture.Environment;

public sealed class LockFileScannerTests
{
    // SHA-256 of "hello\n".
    private const string HelloSha256 = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

    [Fact]
    public void Scan_Project_FindsLockAndEnvironmentFilesSortedWithForwardSlashesAndHashes()
    {
        using var project = new TempDirectory();
        project.Write("global.json", "hello\n");
        project.Write("Directory.Packages.props", "<Project />");
        project.Write("requirements.txt", "numpy==2.0.0\n");
        project.Write("requirements-dev.txt", "pytest\n");
        project.Write("uv.lock", "version = 1\n");
        project.Write("poetry.lock", "[[package]]\n");
        project.Write("python_env.yaml", "python: 3.11\n");
        project.Write("conda.yaml", "name: x\n");
        project.Write("environment.yml", "name: x\n");
        project.Write("src/App/packages.lock.json", "{}");
        project.Write("tests/App.Tests/packages.lock.json", "{}");
        project.Write("README.md", "not a lock file");
        project.Write("requirements.in", "not a lock file");

        var warnings = new List<string>();
        var files = LockFileScanner.Scan(project.Path, warnings, CancellationToken.None);

        Assert.Equal(
            [
                "Directory.Packages.props", "conda.yaml", "environment.yml", "global.json", "poetry.lock", "python_env.yaml",
                "requirements-dev.txt", "requirements.txt", "src/App/packages.lock.json", "tests/App.Tests/packages.lock.json", "uv.lock",
            ],
            files.Select(file => file.Path));
        Assert.Equal(new LockFileRecord("global.json", HelloSha256), files.Single(file => file.Path == "global.json"));
        Assert.Empty(warnings);
    }

    [Fact]
    public void Scan_BuildOutputStoreVersionControlAndEnvironments_AreSkipped()
    {
        using var project = new TempDirectory();
        project.Write("src/App/packages.lock.json", "{}");
        project.Write("src/App/bin/Debug/packages.lock.json", "{}");
        project.Write("src/App/obj/packages.lock.json", "{}");
        project.Write(".repro/runs/r1/requirements.txt", "x");
        project.Write(".git/requirements.txt", "x");
        project.Write("node_modules/pkg/requirements.txt", "x");
        project.Write(".venv/lib/python3.11/site-packages/pkg/requirements.txt", "x");
        project.Write("venv/pyvenv.cfg", "home = /usr/bin");
        project.Write("venv/lib/pkg/requirements.txt", "x");
        project.Write("envs/train/conda-meta/history", "x");
        project.Write("envs/train/requirements.txt", "x");

        var files = LockFileScanner.Scan(project.Path, new List<string>(), CancellationToken.None);

        Assert.Equal(["src/App/packages.lock.json"], files.Select(file => file.Path));
    }

    [Fact]
    public void Scan_FileBelowTheDepthLimit_IsNotSearchedFor()
    {
        using var project = new TempDirectory();
        var atLimit = string.Join('/', Enumerable.Range(1, LockFileScanner.MaxDepth).Select(level => $"d{level}"));
        project.Write(atLimit + "/requirements.txt", "x");
        project.Write(atLimit + "/d7/requirements.txt", "x");

        var files = LockFileScanner.Scan(project.Path, new List<string>(), CancellationToken.None);

        Assert.Equal([atLimit + "/requirements.txt"], files.Select(file => file.Path));
    }

    [Fact]
    public void Scan_SymbolicLinkToAFolderOutsideTheProject_IsNotFollowed()
    {
        using var outside = new TempDirectory();
        using var project = new TempDirectory();
        outside.Write("requirements.txt", "x");
        Directory.CreateSymbolicLink(Path.Combine(project.Path, "linked"), outside.Path);

        var files = LockFileScanner.Scan(project.Path, new List<string>(), CancellationToken.None);

        Assert.Empty(files);
    }
}
