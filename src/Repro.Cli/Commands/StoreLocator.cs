using Repro.Core.Runs;
using Repro.Core.Store;

namespace Repro.Cli.Commands;

/// <summary>Finds the store for commands that read runs (show, list, diff, verify).</summary>
internal static class StoreLocator
{
    public static RunStore OpenExisting(string? storeOption) =>
        RunStore.OpenExisting(RunStore.FindLocation(storeOption, Environment.GetEnvironmentVariable(StoreLayout.StoreVariable), Environment.CurrentDirectory));
}
