using System.Security.Cryptography;
using System.Text;
using Repro.Cli.IntegrationTests.Fixtures;

namespace Repro.Cli.IntegrationTests.Commands;

/// <summary>
/// The lock files a run records in a git repository, found from git capture's listing of the working tree rather than
/// a walk of their own: tracked, untracked and ignored ones alike, and none from folders the search skips.
/// </summary>
public sealed class LockFileCaptureTests : ReproTestBase
{
    private const string Project = """
        name: locks
        entry_points:
          main:
            command: "true"
        """;

    [Fact]
    public void Run_InARepository_RecordsTrackedUntrackedAndIgnoredLockFilesButNoneFromSkippedFolders()
    {
        var (project, git) = CommittedProject(
            ("MLproject", Project),
            (".gitignore", "data/\nbin/\n.venv/\n"),
            ("requirements.txt", "numpy==2.0.0\n"),
            ("src/App/packages.lock.json", "{}"));
        git.Write("uv.lock", "version = 1\n");
        git.Write("data/conda.yaml", "name: data\n");
        git.Write("bin/packages.lock.json", "{}");
        git.Write(".venv/requirements.txt", "x\n");
        git.Write("modified.txt", "not a lock file\n");

        var result = Repro.Run(project, "run", ".");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lockFiles = OnlyManifest(StoreOf(project))["environment"]!["lockFiles"]!.AsArray();
        Assert.Equal(
            ["data/conda.yaml", "requirements.txt", "src/App/packages.lock.json", "uv.lock"],
            lockFiles.Select(file => (string?)file!["path"]));
        Assert.Equal(
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("numpy==2.0.0\n"))),
            (string?)lockFiles.Single(file => (string?)file!["path"] == "requirements.txt")!["sha256"]);
    }
}
