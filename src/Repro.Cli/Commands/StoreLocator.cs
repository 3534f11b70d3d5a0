using Repro.Core.Errors;
using Repro.Core.Runs;
using Repro.Core.Store;

namespace Repro.Cli.Commands;

/// <summary>Finds the store for commands that read runs (show, list, diff, verify).</summary>
internal static class StoreLocator
{
    public static RunStore OpenExisting(string? storeOption) =>
        RunStore.OpenExisting(RunStore.FindLocation(storeOption, Environment.GetEnvironmentVariable(StoreLayout.StoreVariable), Environment.CurrentDirectory));

    /// <summary>Whether <paramref name="reference"/> names a run of <paramref name="store"/> (an id, a unique prefix or <c>latest</c>).</summary>
    public static bool NamesRun(RunStore store, string reference) => TryResolveRun(store, reference) is not null;

    /// <summary>The id of the run <paramref name="reference"/> names in <paramref name="store"/>; null when it names none.</summary>
    public static string? TryResolveRun(RunStore store, string reference)
    {
        try
        {
            return store.Resolve(reference);
        }
        catch (InputException)
        {
            return null;
        }
    }
}
