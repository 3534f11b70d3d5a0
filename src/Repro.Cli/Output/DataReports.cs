using System.Globalization;
using System.Text.Json.Serialization;
using Repro.Cli.Commands;
using Repro.Core.Checkout;
using Repro.Core.Remotes;

namespace Repro.Cli.Output;

/// <summary>What <c>repro checkout</c> prints: one line per file, then a summary; or the result as JSON.</summary>
internal static class CheckoutReport
{
    public static void Write(CheckoutResult result, bool asJson)
    {
        if (asJson)
        {
            Console.Out.WriteLine(JsonOutput.Serialize(result, DataJsonContext.Default.CheckoutResult));
            return;
        }

        var shown = result.Completed
            ? result.Files
            : result.Files.Where(f => f.State is CheckoutState.Differs or CheckoutState.Unavailable).ToList();
        foreach (var file in shown)
        {
            var state = file.State switch
            {
                CheckoutState.Restored => "restored",
                CheckoutState.Identical => "identical",
                CheckoutState.Differs => "differs",
                CheckoutState.Unavailable => "unavailable",
                CheckoutState.NotRestored => "not restored",
                _ => "skipped",
            };
            Console.Out.WriteLine($"  {state,-11} {file.Path}{(file.Detail is null ? string.Empty : $": {file.Detail}")}");
        }

        if (result.ObjectsFetched > 0)
        {
            Console.Error.WriteLine($"repro: fetched {result.ObjectsFetched} object(s) from {result.FetchedFrom}");
        }

        int Count(CheckoutState state) => result.Files.Count(f => f.State == state);
        if (result.Completed)
        {
            var skipped = Count(CheckoutState.Skipped);
            Console.Error.WriteLine(
                $"repro: run {result.RunId}: {Count(CheckoutState.Restored)} file(s) restored, {Count(CheckoutState.Identical)} already identical"
                + (skipped > 0 ? $", {skipped} skipped" : string.Empty) + $" in {result.ProjectDirectory}");
        }
        else if (Count(CheckoutState.Differs) > 0)
        {
            Console.Error.WriteLine($"repro: {Count(CheckoutState.Differs)} file(s) differ from run {result.RunId}: nothing was changed (--force overwrites them)");
        }
        else
        {
            Console.Error.WriteLine($"repro: {Count(CheckoutState.Unavailable)} file(s) of run {result.RunId} have no stored copy: nothing was changed (name the other files, or --outputs)");
        }
    }
}

/// <summary>What <c>repro push</c> and <c>repro pull</c> print.</summary>
internal static class TransferReport
{
    public static void Write(TransferResult result, string verb, bool asJson)
    {
        if (asJson)
        {
            Console.Out.WriteLine(JsonOutput.Serialize(result, DataJsonContext.Default.TransferResult));
            return;
        }

        foreach (var run in result.Runs)
        {
            var outcome = run.Outcome switch
            {
                RunTransferOutcome.Pushed => "pushed",
                RunTransferOutcome.Pulled => "pulled",
                RunTransferOutcome.UpToDate => "up to date",
                _ => "skipped",
            };
            var objects = run.ObjectsSent > 0 ? $"  {run.ObjectsSent} object(s)" : string.Empty;
            var missing = run.ObjectsUnavailable > 0 ? $"  {run.ObjectsUnavailable} object(s) unavailable" : string.Empty;
            Console.Out.WriteLine($"  {outcome,-10} {run.RunId}{objects}{missing}");
        }

        foreach (var warning in result.Warnings)
        {
            Console.Error.WriteLine($"repro: warning: {warning}");
        }

        var direction = verb == "push" ? "to" : "from";
        Console.Error.WriteLine(
            $"repro: {verb} {direction} {result.Remote}: {result.ObjectsSent} object(s) ({Bytes(result.ObjectBytes)}) and {result.FilesSent} run file(s) transferred, "
            + $"{result.ObjectsAlreadyThere} object(s) already {(verb == "push" ? "there" : "here")}");
    }

    private static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        >= 1L << 10 => (bytes / (double)(1L << 10)).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " B",
    };
}

/// <summary>Source-generated JSON for checkout, push, pull and remote list.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(CheckoutResult))]
[JsonSerializable(typeof(TransferResult))]
[JsonSerializable(typeof(IReadOnlyList<RemoteJson>))]
internal sealed partial class DataJsonContext : JsonSerializerContext;
