using Repro.Core.Capture.Environment;
using Repro.Core.Capture.Git;
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

    [Theory]
    [InlineData("")]
    [InlineData("app")]
    public async Task Scan_WithGitListing_FindsExactlyWhatTheWalkFinds(string projectPath)
    {
        using var repository = new GitRepository();
        var prefix = projectPath.Length == 0 ? "" : projectPath + "/";
        string[] lockFiles =
        [
            "requirements.txt", "src/App/packages.lock.json", "conda.yaml", "a b/Requirements-Dev.TXT",
            "untracked/uv.lock", "ignored-file/poetry.lock", "data/requirements.txt", "data/deep/global.json",
            "vendor/lib/requirements.txt", "d1/d2/d3/d4/d5/d6/requirements.txt",
        ];
        string[] notFound =
        [
            "src/App/bin/packages.lock.json", "src/App/obj/project.assets.json", "node_modules/pkg/requirements.txt",
            ".hidden/requirements.txt", "venv/lib/requirements.txt", "envs/train/requirements.txt", "d1/d2/d3/d4/d5/d6/d7/requirements.txt",
            "data/.cache/requirements.txt", "README.md",
        ];
        repository.Write(".gitignore", "data/\nignored-file/poetry.lock\nbin/\nobj/\nnode_modules/\n");
        foreach (var file in lockFiles.Concat(notFound).Where(file => !file.StartsWith("untracked/", StringComparison.Ordinal) && !file.StartsWith("vendor/", StringComparison.Ordinal)))
        {
            repository.Write(prefix + file, "content of " + file + "\n");
        }

        repository.Write(prefix + "venv/pyvenv.cfg", "home = /usr/bin\n");
        repository.Write(prefix + "envs/train/conda-meta/history", "x\n");
        repository.CommitAll();
        repository.Write(prefix + "untracked/uv.lock", "untracked\n");
        // A repository of its own inside the project: git lists only its folder, the search walks it.
        repository.Write(prefix + "vendor/lib/requirements.txt", "nested\n");
        GitRepository.Run(Path.Combine(repository.Root, prefix + "vendor", "lib"), "init", "--quiet");
        var project = Path.Combine(repository.Root, projectPath);

        var listing = (await GitCapture.CaptureAsync(project, repository.Scratch("run"), GitExecutable.OnPath, listFiles: true, CancellationToken.None)).Listing;
        var fromListing = LockFileScanner.Scan(project, listing, new List<string>(), CancellationToken.None);
        var walked = LockFileScanner.Scan(project, new List<string>(), CancellationToken.None);

        Assert.NotNull(listing);
        Assert.Equal(lockFiles.Order(StringComparer.Ordinal), fromListing.Select(file => file.Path));
        Assert.Equal(walked, fromListing);
    }

    [Fact]
    public async Task Scan_WithGitListing_DoesNotWalkTheTreeGitAlreadyListed()
    {
        using var repository = new GitRepository();
        repository.Write("src/requirements.txt", "x\n");
        repository.CommitAll();
        var listing = (await GitCapture.CaptureAsync(repository.Root, repository.Scratch("run"), GitExecutable.OnPath, listFiles: true, CancellationToken.None)).Listing;
        // Written after git listed the tree: only a walk could find it.
        repository.Write("src/uv.lock", "x\n");

        var files = LockFileScanner.Scan(repository.Root, listing, new List<string>(), CancellationToken.None);

        Assert.Equal(["src/requirements.txt"], files.Select(file => file.Path));
        Assert.Equal(["src/requirements.txt", "src/uv.lock"], LockFileScanner.Scan(repository.Root, new List<string>(), CancellationToken.None).Select(file => file.Path));
    }

    [Fact]
    public async Task Scan_ProjectInsideAnIgnoredFolder_WalksBecauseGitDidNotListIt()
    {
        using var repository = new GitRepository();
        repository.Write(".gitignore", "experiments/\n");
        repository.CommitAll();
        repository.Write("experiments/one/requirements.txt", "x\n");
        var project = Path.Combine(repository.Root, "experiments", "one");
        var listing = (await GitCapture.CaptureAsync(project, repository.Scratch("run"), GitExecutable.OnPath, listFiles: true, CancellationToken.None)).Listing;

        var files = LockFileScanner.Scan(project, listing, new List<string>(), CancellationToken.None);

        Assert.Equal(["requirements.txt"], files.Select(file => file.Path));
    }

    [Theory]
    [InlineData("requirements.txt")]
    [InlineData("REQUIREMENTS-dev.TXT")]
    [InlineData("requirements.in")]
    [InlineData("Poetry.lock")]
    [InlineData("packages.lock.json")]
    [InlineData("packages.lock.jsonx")]
    [InlineData("conda.yml")]
    [InlineData("train.py")]
    [InlineData("requirementstxt")]
    [InlineData("")]
    public void MayBeLockFileName_AsciiName_AnswersAsTheStringComparisonDoes(string name)
    {
        Assert.Equal(LockFileScanner.Affects(name) && name != "pyvenv.cfg", LockFileScanner.MayBeLockFileName(System.Text.Encoding.ASCII.GetBytes(name)));
    }

    [Theory]
    [InlineData("r\u00e9quirements.txt")]
    [InlineData("requirements-\u00fc.txt")]
    [InlineData("\u0131\u0131")]
    public void MayBeLockFileName_NameWithOtherBytes_IsLeftToTheStringComparison(string name)
    {
        Assert.True(LockFileScanner.MayBeLockFileName(System.Text.Encoding.UTF8.GetBytes(System.Text.RegularExpressions.Regex.Unescape(name))));
    }

    [UnixFact]
    public async Task Scan_FifoNamedLikeALockFile_IsNotOpenedAndSaysWhy()
    {
        using var project = new TempDirectory();
        project.Write("uv.lock", "version = 1\n");
        Assert.NotNull(Repro.Core.Tests.Capture.Data.DataTestDirectory.Tool("mkfifo", Path.Combine(project.Path, "requirements.txt")));

        var warnings = new List<string>();
        // Opening the FIFO would wait for a writer forever: the timeout turns that into a failure instead of a hang.
        var files = await Task.Run(() => LockFileScanner.Scan(project.Path, warnings, CancellationToken.None)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["uv.lock"], files.Select(file => file.Path));
        Assert.Equal("Lock file requirements.txt is not a regular file (Fifo): not read, not recorded", Assert.Single(warnings));
    }
}
