using System.Text.Json.Nodes;
using Repro.Cli.IntegrationTests.Fixtures;

namespace Repro.Cli.IntegrationTests.Commands;

/// <summary>
/// repro reads only what lies inside the project because the MLproject names it (metrics, env files, entry scripts);
/// a link that leads out is recorded as a link and not read, or refused. <c>path</c> parameters stay the one way to read outside.
/// </summary>
public sealed class ProjectBoundaryTests : ReproTestBase
{
    [Fact]
    public void Run_MetricsFileLinkedToASystemFile_IsNeitherReadNorStored()
    {
        var (project, _) = CommittedProject(
            ("MLproject", "entry_points:\n  main:\n    command: \"ln -sf /etc/passwd metrics.json\"\n    metrics: metrics.json\n"),
            (".gitignore", "metrics.json\n"));

        var result = Repro.Run(project, "run", ".");

        Assert.True(result.ExitCode == 0, result.ToString());
        var manifest = OnlyManifest(StoreOf(project));
        Assert.Null(manifest["metrics"]);
        Assert.Contains(manifest["warnings"]!.AsArray(), warning => ((string)warning!).Contains("metrics file metrics.json leads to /etc/passwd, outside the project: not read", StringComparison.Ordinal));
        var passwd = File.ReadAllBytes("/etc/passwd");
        var objects = Path.Combine(StoreOf(project), "objects");
        Assert.DoesNotContain(Directory.Exists(objects) ? Directory.EnumerateFiles(objects, "*", SearchOption.AllDirectories) : [], file => File.ReadAllBytes(file).AsSpan().SequenceEqual(passwd));
    }

    [Fact]
    public void Run_PythonEnvFileOutsideTheProject_IsNotReadAndStrictRefusesIt()
    {
        var outside = Temp.Write("outside/python_env.yaml", "python: \"3.11\"\n");
        var (project, _) = CommittedProject(("MLproject", "python_env: ../outside/python_env.yaml\nentry_points:\n  main:\n    command: \"echo done\"\n"));

        var result = Repro.Run(project, "run", ".");
        var strict = Repro.Run(project, "run", ".", "--strict");

        Assert.True(result.ExitCode == 0, result.ToString());
        var environment = OnlyManifest(StoreOf(project))["project"]!["environment"]!;
        Assert.Equal("../outside/python_env.yaml", (string?)environment["file"]);
        Assert.Null(environment["sha256"]);
        Assert.Contains("MLproject:1:13: warning: python_env file '../outside/python_env.yaml' leads outside the project directory", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, strict.ExitCode);
        Assert.True(File.Exists(outside));
    }

    [Fact]
    public void Run_EntryScriptLinkedOutsideTheProject_IsRefusedNamingWhereItLeads()
    {
        var outside = Temp.Write("outside/train.sh", "echo outside ran > ran.txt\n");
        var directory = Temp.Combine("project");
        var git = GitRepository.Init(directory);
        Temp.Write("project/MLproject", "entry_points:\n  main:\n    command: \"echo main\"\n");
        File.CreateSymbolicLink(Path.Combine(directory, "lnk.sh"), outside);
        git.CommitAll("link");

        var result = Repro.Run(directory, "run", ".", "-e", "lnk.sh");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"repro: entry point 'lnk.sh' leads to {outside}, outside the project: repro runs only scripts inside the project, whose code it records; copy it in, or declare an entry point that runs it", line);
        Assert.False(File.Exists(Path.Combine(directory, "ran.txt")));
        Assert.Empty(RunIds(StoreOf(directory)));
    }
}
