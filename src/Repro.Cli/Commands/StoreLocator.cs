using Repro.Core.Runs;

namespace Repro.Cli.Commands;

/// <summary>Finds the store for commands that read runs (show, list, diff, verify).</summary>
internal static class StoreLocator
{
    public static RunStore OpenExisting(string? storeOption) =>
        RunStore.OpenExisting(RunStore.FindLocation(storeOption, Environment.GetEnvironmentVariable(RunStore.StoreVariable), Environment.CurrentDirectory));
}
