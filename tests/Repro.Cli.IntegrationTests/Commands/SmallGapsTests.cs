using Repro.Cli.IntegrationTests.Fixtures;

namespace Repro.Cli.IntegrationTests.Commands;

/// <summary>Bad input that used to slip through or flood the terminal gets one clear line and exit 2.</summary>
public sealed class SmallGapsTests : ReproTestBase
{
    [Fact]
    public void Run_EmptyStoreOption_IsBadInputAndWritesNothing()
    {
        var (project, _) = CommittedProject(("MLproject", "entry_points:\n  main:\n    command: \"echo hi > ran.txt\"\n"));

        var result = Repro.Run(project, "run", ".", "--store", "");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--store must name a folder, not an empty string", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(project, "ran.txt")));
        Assert.False(Directory.Exists(StoreOf(project)));
    }

    [Fact]
    public void Run_MLprojectThatIsNotUtf8_IsALocatedErrorAndRunsNothing()
    {
        var (project, _) = CommittedProject(("placeholder.txt", "x\n"));
        File.WriteAllBytes(Path.Combine(project, "MLproject"), [.. "name: caf"u8, 0xE9, .. "\nentry_points:\n  main:\n    command: \"echo hi > ran.txt\"\n"u8]);

        var result = Repro.Run(project, "run", ".");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("MLproject:1:10: ", line, StringComparison.Ordinal);
        Assert.Contains("not valid UTF-8 (byte 0xE9)", line, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(project, "ran.txt")));
    }

    [Fact]
    public void Run_UnknownEntryPointAmongThousands_NamesAFewAndCountsTheRest()
    {
        var entries = string.Concat(Enumerable.Range(0, 5000).Select(i => $"  e{i}:\n    command: \"echo {i}\"\n"));
        var (project, _) = CommittedProject(("MLproject", "entry_points:\n" + entries));

        var result = Repro.Run(project, "run", ".", "-e", "missing");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("e0, e1, e2", line, StringComparison.Ordinal);
        Assert.Contains(" more", line, StringComparison.Ordinal);
        Assert.True(line.Length < 1000, $"the message is {line.Length} characters long");
    }
}
