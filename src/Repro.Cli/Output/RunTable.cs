using System.Globalization;
using System.Text;
using Repro.Core.Runs;
using Repro.Core.Store;

namespace Repro.Cli.Output;

/// <summary>The table <c>repro list</c> prints: one run per line, columns padded to fit.</summary>
internal static class RunTable
{
    private const int MaxCellWidth = 48;

    public static string Render(IReadOnlyList<RunSummary> runs)
    {
        if (runs.Count == 0)
        {
            return "no runs\n";
        }

        var header = new[] { "RUN", "ENTRY", "STATUS", "STARTED (UTC)", "DURATION", "PARAMETERS", "METRICS" };
        var rows = runs.Select(run => run.Problem is { } problem
            ? [run.RunId, "-", StatusText(run), "-", "-", "-", problem]
            : new[]
        {
            run.RunId,
            run.EntryPoint,
            StatusText(run),
            run.StartedAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-",
            run.DurationSeconds is { } seconds ? Durations.Format(seconds) : "-",
            Truncate(string.Join(" ", run.Parameters.Select(pair => $"{pair.Key}={pair.Value}"))),
            Truncate(string.Join(" ", run.Metrics.Select(pair => $"{pair.Key}={pair.Value.ToString("G4", CultureInfo.InvariantCulture)}"))),
        }).ToList();

        var widths = header.Select((title, column) => Math.Max(title.Length, rows.Max(row => row[column].Length))).ToArray();
        var text = new StringBuilder();
        AppendRow(text, header, widths);
        foreach (var row in rows)
        {
            AppendRow(text, row, widths);
        }

        return text.ToString();
    }

    private static string StatusText(RunSummary run)
    {
        var text = VerdictOrStatus(run);
        if (run.JobId is { } job)
        {
            text += $" (job {job})";
        }

        return run.Pulled ? text + " (pulled)" : text;
    }

    private static string VerdictOrStatus(RunSummary run)
    {
        var status = run.Status.Name();
        return run.Verdict switch
        {
            Verdict.Reproduced => "verify: REPRODUCED",
            Verdict.Equivalent => "verify: EQUIVALENT",
            Verdict.Different => "verify: DIFFERENT",
            _ when run.Verifies is not null => $"verify: {status}",
            _ => status,
        };
    }

    private static void AppendRow(StringBuilder text, string[] cells, int[] widths)
    {
        for (var column = 0; column < cells.Length; column++)
        {
            var last = column == cells.Length - 1;
            text.Append(last ? cells[column] : cells[column].PadRight(widths[column] + 2));
        }

        text.Append('\n');
    }

    private static string Truncate(string text) =>
        text.Length == 0 ? "-" : text.Length <= MaxCellWidth ? text : string.Concat(text.AsSpan(0, MaxCellWidth - 1), "…");
}
