using Repro.Cli.IntegrationTests.Fixtures;

namespace Repro.Cli.IntegrationTests.Commands;

public sealed class ShowCommandTests(ThreeRecordedRuns shared) : ReproTestBase, IClassFixture<ThreeRecordedRuns>
{
    private const string Project = """
        name: show-project
        entry_points:
          main:
            parameters:
              alpha: {type: float, default: 0.5}
              label: string
            command: "echo {alpha} {label}"
        """;

    [Fact]
    public void Show_Run_PrintsIdStatusCommandSeedAndCode()
    {
        var (project, git) = CommittedProject(("MLproject", Project));
        var runId = RunOnce(project, "-P", "label=first", "--seed", "4242", "--run-name", "baseline");

        var result = Repro.Run(project, "show", runId);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = Lines(result.Stdout);
        Assert.Equal($"{runId} (name baseline)", lines["run"]);
        Assert.StartsWith("FINISHED (exit 0)", lines["status"], StringComparison.Ordinal);
        Assert.Equal("echo 0.5 first", lines["command"]);
        Assert.Equal("alpha=0.5 (default), label=first", lines["parameters"]);
        Assert.Equal("4242 (cli)", lines["seed"]);
        Assert.Equal($"{git.Git("rev-parse", "HEAD").Trim()[..12]} on main, clean", lines["code"]);
        Assert.Equal(Path.Combine(StoreOf(project), "runs", runId, "run.json"), lines["manifest"]);
    }

    [Fact]
    public void Show_DirtyRun_SaysSoInTheCodeLine()
    {
        var (project, _) = CommittedProject(("MLproject", Project), ("notes.txt", "v1\n"));
        File.WriteAllText(Path.Combine(project, "notes.txt"), "v2\n");
        File.WriteAllText(Path.Combine(project, "scratch.txt"), "new\n");
        var runId = RunOnce(project, "-P", "label=x");

        var result = Repro.Run(project, "show", runId);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"dirty \(patch code\.patch, .*, 1 untracked\)", Lines(result.Stdout)["code"]);
    }

    [Fact]
    public void Show_Json_PrintsTheManifestByteForByte()
    {
        var (project, _) = CommittedProject(("MLproject", Project));
        var runId = RunOnce(project, "-P", "label=größe ✓", "--experiment-name", "crème");

        var result = Repro.Run(project, "show", runId[..15], "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(File.ReadAllText(Path.Combine(StoreOf(project), "runs", runId, "run.json")), result.Stdout);
        Assert.Equal("größe ✓", (string?)ParseJson(result.Stdout)["parameters"]![1]!["value"]);
    }

    [Fact]
    public void Show_Latest_IsTheNewestRun()
    {
        var (project, _) = CommittedProject(("MLproject", Project));
        RunOnce(project, "-P", "label=old");
        var newest = RunOnce(project, "-P", "label=new");

        var result = Repro.Run(project, "show", "latest", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(newest, (string?)ParseJson(result.Stdout)["runId"]);
    }

    [Fact]
    public void Show_FromASubdirectory_FindsTheProjectsStore()
    {
        var (project, _) = CommittedProject(("MLproject", Project));
        var runId = RunOnce(project, "-P", "label=x");
        var nested = Directory.CreateDirectory(Path.Combine(project, "src", "deep")).FullName;

        var result = Repro.Run(nested, "show", runId, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(runId, (string?)ParseJson(result.Stdout)["runId"]);
    }

    [Theory]
    [InlineData("verify", "nope")]
    [InlineData("show", "nope")]
    [InlineData("show", "../../etc")]
    [InlineData("show", "/etc/passwd")]
    [InlineData("verify", "/etc/passwd")]
    [InlineData("diff", "../runs")]
    [InlineData("show", "2")]
    [InlineData("verify", "2")]
    [InlineData("diff", "2")]
    [InlineData("show", "ffffffff")]
    [InlineData("show", "")]
    public void ReadingCommand_BadRunReference_ExitsTwoWithOneLineAndWritesNothing(string command, string reference)
    {
        var storeBefore = FilesUnder(shared.Store);
        var repositoryBefore = RepositoryState.Of(shared.Git);

        var result = shared.Cli.Run(shared.Project, command == "diff" ? [command, reference, "latest"] : [command, reference]);

        AssertRefused(result);
        if (reference == "2")
        {
            Assert.Contains("matches 3 runs", result.Stderr, StringComparison.Ordinal);
        }

        Assert.Equal(storeBefore, FilesUnder(shared.Store));
        Assert.Equal(repositoryBefore, RepositoryState.Of(shared.Git));
    }

    [Theory]
    [InlineData("show")]
    [InlineData("verify")]
    [InlineData("diff")]
    public void ReadingCommand_LatestInAnEmptyStore_ExitsTwoWithOneLineAndWritesNothing(string command)
    {
        var store = Directory.CreateDirectory(Temp.Combine("empty-store", "runs")).Parent!.FullName;

        var result = Repro.Run(Temp.Path, command == "diff" ? [command, "latest", "latest", "--store", store] : [command, "latest", "--store", store]);

        AssertRefused(result);
        Assert.Contains("no runs", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(["runs"], Directory.EnumerateFileSystemEntries(store).Select(Path.GetFileName));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(store, "runs")));
    }

    [Theory]
    [InlineData("show")]
    [InlineData("verify")]
    [InlineData("diff")]
    [InlineData("list")]
    public void ReadingCommand_MissingStore_ExitsTwoWithOneLineAndCreatesNothing(string command)
    {
        var store = Temp.Combine("no-store");
        string[] arguments = command switch
        {
            "list" => [command, "--store", store],
            "diff" => [command, "latest", "latest", "--store", store],
            _ => [command, "latest", "--store", store],
        };

        var result = Repro.Run(Temp.Path, arguments);

        AssertRefused(result);
        Assert.Contains(store, result.Stderr, StringComparison.Ordinal);
        Assert.False(Path.Exists(store));
    }

    [Fact]
    public void ReadingCommand_NoStoreOptionAndNoStoreAbove_ExitsTwoAndCreatesNothing()
    {
        var empty = Directory.CreateDirectory(Temp.Combine("elsewhere")).FullName;

        var result = Repro.Run(empty, "show", "latest");

        AssertRefused(result);
        Assert.Empty(Directory.EnumerateFileSystemEntries(empty));
    }

    private static void AssertRefused(ProcessResult result)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("repro: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout);
    }

    /// <summary>The summary's lines by label (the first 12 columns); continuation lines are skipped.</summary>
    private static Dictionary<string, string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => line.Length > 12 && line[0] != ' ')
            .GroupBy(line => line[..12].TrimEnd())
            .ToDictionary(group => group.Key, group => group.First()[12..]);
}
