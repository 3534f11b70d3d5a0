using System.Globalization;
using System.Text.Json.Serialization;
using Repro.Core.Execution;
using Repro.Core.Runs;
using Repro.Core.Store;

namespace Repro.Cli.Output;

/// <summary>What <c>repro run</c> prints at the end: a short human summary, or one JSON object with --json.</summary>
internal static class RunOutcomeText
{
    public static void Write(RunOutcome outcome, bool asJson)
    {
        var manifest = outcome.Manifest;
        if (asJson)
        {
            var report = new RunResultJson(
                manifest.RunId,
                manifest.Status,
                manifest.StatusMessage,
                manifest.Execution?.ExitCode,
                manifest.Execution?.DurationSeconds,
                outcome.RunDirectory,
                outcome.ManifestPath,
                manifest.Seed.Value,
                manifest.Metrics?.Values ?? new Dictionary<string, double>(),
                manifest.Warnings);
            Console.Out.WriteLine(JsonOutput.Serialize(report, CliJsonContext.Default.RunResultJson));
            return;
        }

        foreach (var warning in manifest.Warnings)
        {
            Console.Error.WriteLine(WarningLines.Format(warning));
        }

        var duration = manifest.Execution?.DurationSeconds is { } seconds ? Durations.Format(seconds) : "?";
        var exit = manifest.Execution?.ExitCode is { } code ? $"exit {code}" : "no exit code";
        Console.Error.WriteLine($"repro: run {manifest.RunId} {manifest.Status.Name()} ({exit}) in {duration}");
        if (manifest.StatusMessage is { } message)
        {
            Console.Error.WriteLine($"repro: {message}");
        }

        if (manifest.Metrics is { Values.Count: > 0 } metrics)
        {
            Console.Error.WriteLine("repro: metrics " + string.Join(", ", metrics.Values.Select(pair => $"{pair.Key}={pair.Value.ToString("G6", CultureInfo.InvariantCulture)}")));
        }

        Console.Error.WriteLine($"repro: manifest {outcome.ManifestPath}");
    }
}

/// <summary>The JSON object <c>repro run --json</c> prints.</summary>
internal sealed record RunResultJson(
    string RunId,
    RunStatus Status,
    string? StatusMessage,
    int? ExitCode,
    double? DurationSeconds,
    string RunDirectory,
    string ManifestPath,
    uint Seed,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyList<string> Warnings);
