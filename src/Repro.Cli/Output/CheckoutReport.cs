using Repro.Core.Checkout;

namespace Repro.Cli.Output;

/// <summary>What <c>repro checkout</c> prints: one line per file, then a summary; or the result as JSON.</summary>
internal static class CheckoutReport
{
    public static void Write(DataCheckoutResult result, bool asJson)
    {
        if (asJson)
        {
            Console.Out.WriteLine(JsonOutput.Serialize(result, CliJsonContext.Default.DataCheckoutResult));
            return;
        }

        var shown = result.Completed
            ? result.Files
            : result.Files.Where(f => f.State is DataCheckoutState.Differs or DataCheckoutState.Unavailable).ToList();
        foreach (var file in shown)
        {
            var state = file.State switch
            {
                DataCheckoutState.Restored => "restored",
                DataCheckoutState.Identical => "identical",
                DataCheckoutState.Differs => "differs",
                DataCheckoutState.Unavailable => "unavailable",
                DataCheckoutState.NotRestored => "not restored",
                _ => "skipped",
            };
            Console.Out.WriteLine($"  {state,-11} {file.Path}{(file.Detail is null ? string.Empty : $": {file.Detail}")}");
        }

        if (result.ObjectsFetched > 0)
        {
            Console.Error.WriteLine($"repro: fetched {result.ObjectsFetched} object(s) from {result.FetchedFrom}");
        }

        int Count(DataCheckoutState state) => result.Files.Count(f => f.State == state);
        if (result.Completed)
        {
            var skipped = Count(DataCheckoutState.Skipped);
            Console.Error.WriteLine(
                $"repro: run {result.RunId}: {Count(DataCheckoutState.Restored)} file(s) restored, {Count(DataCheckoutState.Identical)} already identical"
                + (skipped > 0 ? $", {skipped} skipped" : string.Empty) + $" in {result.ProjectDirectory}");
        }
        else if (Count(DataCheckoutState.Differs) > 0)
        {
            Console.Error.WriteLine($"repro: {Count(DataCheckoutState.Differs)} file(s) differ from run {result.RunId}: nothing was changed (--force overwrites them)");
        }
        else
        {
            Console.Error.WriteLine($"repro: {Count(DataCheckoutState.Unavailable)} file(s) of run {result.RunId} have no stored copy: nothing was changed (name the other files, or --outputs)");
        }
    }
}
