using Repro.Cli.Output;
using Repro.Core.Runs;
using Repro.Core.Store;

namespace Repro.Cli.Tests.Output;

public sealed class RunTableTests
{
    [Fact]
    public void Render_Runs_PadsEachColumnToItsWidestCellAndListsParametersAndMetricsInOrder()
    {
        var finished = new RunSummary(
            "20261130-121024-281-169f8253",
            RunStatus.Finished,
            "train",
            RunName: null,
            ExperimentName: null,
            Verifies: null,
            new DateTimeOffset(2026, 11, 30, 13, 10, 24, TimeSpan.FromHours(1)),
            DurationSeconds: 1.5,
            new Dictionary<string, string> { ["alpha"] = "0.5", ["epochs"] = "3" },
            new Dictionary<string, double> { ["loss"] = 0.123456, ["accuracy"] = 0.9 },
            Verdict: null);
        var damaged = new RunSummary("20261130-121025-000-00000000", RunStatus.Damaged, "-", null, null, null, null, null, new Dictionary<string, string>(), new Dictionary<string, double>(), null)
        {
            Problem = "run.json: not JSON",
        };

        var lines = RunTable.Render([finished, damaged]).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(3, lines.Length);
        Assert.Equal(["RUN", "ENTRY", "STATUS", "STARTED", "(UTC)", "DURATION", "PARAMETERS", "METRICS"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(lines[0].IndexOf("ENTRY", StringComparison.Ordinal), "20261130-121024-281-169f8253".Length + 2);
        Assert.Contains("  train  ", lines[1], StringComparison.Ordinal);
        Assert.Contains("2026-11-30 12:10:24", lines[1], StringComparison.Ordinal);
        Assert.Contains("alpha=0.5 epochs=3", lines[1], StringComparison.Ordinal);
        Assert.EndsWith("loss=0.1235 accuracy=0.9", lines[1].TrimEnd(), StringComparison.Ordinal);
        Assert.EndsWith("run.json: not JSON", lines[2].TrimEnd(), StringComparison.Ordinal);
        Assert.Equal(lines[0].IndexOf("STARTED", StringComparison.Ordinal), lines[1].IndexOf("2026-11-30", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_RunWithoutParametersOrMetrics_ShowsADashInBothColumns()
    {
        var run = new RunSummary(
            "20261130-121024-281-169f8253",
            RunStatus.Finished,
            "main",
            RunName: null,
            ExperimentName: null,
            Verifies: null,
            new DateTimeOffset(2026, 11, 30, 12, 10, 24, TimeSpan.Zero),
            DurationSeconds: 0.115,
            new Dictionary<string, string>(),
            new Dictionary<string, double>(),
            Verdict: null);

        Assert.Equal(
            "RUN                           ENTRY  STATUS    STARTED (UTC)        DURATION  PARAMETERS  METRICS\n"
            + "20261130-121024-281-169f8253  main   FINISHED  2026-11-30 12:10:24  115 ms    -           -\n",
            RunTable.Render([run]));
    }
}
