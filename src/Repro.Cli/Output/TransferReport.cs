using System.Globalization;
using Repro.Core.Remotes;

namespace Repro.Cli.Output;

/// <summary>What <c>repro push</c> and <c>repro pull</c> print.</summary>
internal static class TransferReport
{
    public static void Write(TransferResult result, string verb, bool asJson)
    {
        if (asJson)
        {
            Console.Out.WriteLine(JsonOutput.Serialize(result, CliJsonContext.Default.TransferResult));
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
