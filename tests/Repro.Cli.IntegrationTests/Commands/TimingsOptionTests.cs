using System.Globalization;
using System.Text.RegularExpressions;
using Repro.Cli.IntegrationTests.Fixtures;

namespace Repro.Cli.IntegrationTests.Commands;

public sealed partial class TimingsOptionTests : ReproTestBase
{
    private const string Project = """
        name: timed
        entry_points:
          main:
            command: "echo hello"
        """;

    [Fact]
    public void Run_WithTimings_PrintsEveryStageOnStderrAndLeavesTheRunUnchanged()
    {
        var (project, _) = CommittedProject(("MLproject", Project));

        var result = Repro.Run(project, "run", ".", "--timings");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("hello\n", result.Stdout);
        var spans = Spans(result.Stderr);
        foreach (var stage in new[]
        {
            "runtime start, before Main", "parse the command line", "command: run", "stage: ResolveProject", "stage: RenderCommand",
            "stage: CreateRunFolder", "stage: Capture", "capture: git", "capture: environment", "capture: inputs", "stage: Start",
            "stage: Execute", "execute: start the watchdog", "execute: start the child", "execute: until the child exited",
            "execute: after the child exited", "stage: Record", "total",
        })
        {
            Assert.Contains(stage, spans.Keys);
        }

        // Stages happen inside the command, and the command inside the process.
        var command = spans["command: run"];
        var child = spans["stage: Execute"];
        Assert.InRange(child.Start, command.Start, command.Start + command.Took);
        Assert.InRange(command.Start + command.Took, 0, spans["total"].Took + 1);
        Assert.Equal("FINISHED", (string?)OnlyManifest(StoreOf(project))["status"]);
    }

    [Fact]
    public void List_WithTimingsBeforeTheCommand_PrintsTheIndexStagesAndTheSameTable()
    {
        var (project, _) = CommittedProject(("MLproject", Project));
        RunOnce(project);
        var plain = Repro.Run(project, "list");

        var result = Repro.Run(project, "--timings", "list");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(plain.Stdout, result.Stdout);
        var spans = Spans(result.Stderr);
        Assert.Contains("index: synchronize with the manifests", spans.Keys);
        Assert.Contains("index: query", spans.Keys);
        Assert.Matches(@"(?m)^repro: jit: \d+ methods compiled, \d+ ms$", result.Stderr);
        // The shipped runtime configuration raises the large object threshold to 1 MiB (docs/performance.md).
        Assert.Matches(@"(?m)^repro: gc: \d+ collections of generation 0, \d+ of 1, \d+ of 2; paused \d+ ms; large objects from 1048576 bytes$", result.Stderr);
    }

    [Fact]
    public void Show_WithoutTimings_PrintsNoTimings()
    {
        var (project, _) = CommittedProject(("MLproject", Project));
        RunOnce(project);

        var result = Repro.Run(project, "show", "latest");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("timings", result.Stderr, StringComparison.Ordinal);
    }

    private static Dictionary<string, (int Start, int Took)> Spans(string stderr)
    {
        Assert.Contains("repro: timings (", stderr, StringComparison.Ordinal);
        var spans = new Dictionary<string, (int Start, int Took)>(StringComparer.Ordinal);
        foreach (Match match in SpanLine().Matches(stderr))
        {
            spans[match.Groups["name"].Value] = (
                int.Parse(match.Groups["start"].Value, CultureInfo.InvariantCulture),
                int.Parse(match.Groups["took"].Value, CultureInfo.InvariantCulture));
        }

        return spans;
    }

    [GeneratedRegex(@"^repro: +(?<start>\d+) +(?<took>\d+) +(?:\d+|-)  (?<name>.+)$", RegexOptions.Multiline)]
    private static partial Regex SpanLine();
}
