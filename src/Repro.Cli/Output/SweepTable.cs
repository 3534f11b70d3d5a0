using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Repro.Core.Errors;
using Repro.Core.Runs;
using Repro.Core.Store;
using Repro.Core.Sweeps;

namespace Repro.Cli.Output;

/// <summary>
/// <c>repro show SWEEP</c> and the end of <c>repro sweep</c>: a row per point (its grid values, status, run and every
/// metric), optionally sorted by one metric, smallest first; or one JSON object with <c>--json</c>.
/// </summary>
internal static class SweepTable
{
    public static void Write(RunStore store, SweepRecord record, string? sortBy, bool asJson)
    {
        var rows = record.Points.Select(point => (Point: point, Metrics: point.RunId is { } id ? Metrics(store, id) : new Dictionary<string, double>())).ToList();
        var metricNames = rows.SelectMany(row => row.Metrics.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (sortBy is not null)
        {
            if (!metricNames.Contains(sortBy, StringComparer.Ordinal))
            {
                throw new InputException($"--sort-by {sortBy}: no point of sweep {record.SweepId} recorded that metric{(metricNames.Count > 0 ? $" (recorded: {string.Join(", ", metricNames)})" : " (none recorded any)")}");
            }

            rows = [.. rows.OrderBy(row => row.Metrics.TryGetValue(sortBy, out var value) ? 0 : 1).ThenBy(row => row.Metrics.GetValueOrDefault(sortBy)).ThenBy(row => row.Point.Index)];
        }

        if (asJson)
        {
            var points = new JsonArray();
            foreach (var (point, metrics) in rows)
            {
                var parameters = new JsonObject();
                foreach (var (name, value) in point.Parameters)
                {
                    parameters[name] = value;
                }

                var values = new JsonObject();
                foreach (var (name, value) in metrics)
                {
                    values[name] = double.IsFinite(value) ? value : null;
                }

                points.Add(new JsonObject
                {
                    ["index"] = point.Index,
                    ["parameters"] = parameters,
                    ["runId"] = point.RunId,
                    ["status"] = point.Status?.Name(),
                    ["metrics"] = values,
                });
            }

            var report = new JsonObject
            {
                ["sweepId"] = record.SweepId,
                ["status"] = record.Status.Name(),
                ["statusMessage"] = record.StatusMessage,
                ["backend"] = record.Backend,
                ["jobId"] = record.JobId,
                ["points"] = points,
            };
            Console.Out.WriteLine(report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return;
        }

        var axes = record.Grid.Select(axis => axis.Name).ToList();
        var header = new List<string> { "#" };
        header.AddRange(axes);
        header.AddRange(["STATUS", "RUN"]);
        header.AddRange(metricNames);
        var table = new List<List<string>> { header };
        foreach (var (point, metrics) in rows)
        {
            var line = new List<string> { point.Index.ToString(CultureInfo.InvariantCulture) };
            line.AddRange(axes.Select(axis => point.Parameters.GetValueOrDefault(axis) ?? string.Empty));
            line.Add(point.Status?.Name() ?? "NOT RUN");
            line.Add(point.RunId ?? "-");
            line.AddRange(metricNames.Select(name => metrics.TryGetValue(name, out var value) ? value.ToString("R", CultureInfo.InvariantCulture) : "-"));
            table.Add(line);
        }

        var widths = header.Select((_, column) => table.Max(line => line[column].Length)).ToList();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"sweep {record.SweepId} {record.Status.Name()} ({record.Backend}{(record.JobId is { } job ? $" job array {job}" : string.Empty)}): {record.EntryPoint}, {record.Points.Count} points\n");
        if (record.StatusMessage is { } message)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {message}\n");
        }

        foreach (var line in table)
        {
            text.Append(string.Join("  ", line.Select((cell, column) => cell.PadRight(widths[column]))).TrimEnd()).Append('\n');
        }

        Console.Out.Write(text.ToString());
    }

    private static Dictionary<string, double> Metrics(RunStore store, string runId)
    {
        try
        {
            return store.Load(runId).Metrics?.Values.ToDictionary(StringComparer.Ordinal) ?? [];
        }
        catch (ReproException)
        {
            return [];
        }
    }
}
