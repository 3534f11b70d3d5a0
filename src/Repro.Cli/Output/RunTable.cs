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

        // Loops, not LINQ: Select over the key-value pairs of parameters and metrics and Select with an index are
        // generic over structs, code that ReadyToRun leaves to the JIT at every `repro list`.
        var header = new[] { "RUN", "ENTRY", "STATUS", "STARTED (UTC)", "DURATION", "PARAMETERS", "METRICS" };
        var rows = new List<string[]>(runs.Count);
        foreach (var run in runs)
        {
            rows.Add(run.Problem is { } problem
                ? [run.RunId, "-", StatusText(run), "-", "-", "-", problem]
                :
                [
                    run.RunId,
                    run.EntryPoint,
                    StatusText(run),
                    run.StartedAt is { } startedAt ? UtcTimeText.Spaced(startedAt.UtcDateTime) : "-",
                    run.DurationSeconds is { } seconds ? Durations.Format(seconds) : "-",
                    Truncate(Pairs(run.Parameters)),
                    Truncate(Pairs(run.Metrics)),
                ]);
        }

        var widths = new int[header.Length];
        for (var column = 0; column < header.Length; column++)
        {
            widths[column] = header[column].Length;
            foreach (var row in rows)
            {
                widths[column] = Math.Max(widths[column], row[column].Length);
            }
        }

        var text = new StringBuilder();
        AppendRow(text, header, widths);
        foreach (var row in rows)
        {
            AppendRow(text, row, widths);
        }

        return text.ToString();
    }

    private static string Pairs(IReadOnlyDictionary<string, string> parameters)
    {
        // Most runs have none: enumerating an empty dictionary through its interface hands out a shared empty
        // enumerator, generic code over the pair type that ReadyToRun leaves to the JIT.
        if (parameters.Count == 0)
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        foreach (var (key, value) in parameters)
        {
            text.Append(text.Length > 0 ? " " : string.Empty).Append(key).Append('=').Append(value);
        }

        return text.ToString();
    }

    private static string Pairs(IReadOnlyDictionary<string, double> metrics)
    {
        if (metrics.Count == 0)
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        foreach (var (key, value) in metrics)
        {
            text.Append(text.Length > 0 ? " " : string.Empty).Append(key).Append('=').Append(value.ToString("G4", CultureInfo.InvariantCulture));
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
