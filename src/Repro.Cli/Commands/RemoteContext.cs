using Repro.Core.Remotes;
using Repro.Core.Runs;
using Repro.Core.Store;

namespace Repro.Cli.Commands;

/// <summary>Where the remote commands (remote, push, pull) find the project, its remotes and the store.</summary>
internal sealed record RemoteContext(string ProjectDirectory, string StoreDirectory)
{
    /// <summary>
    /// The project is the nearest folder, from the current one upwards, with a remotes file, a store or an MLproject;
    /// the store is --store, else REPRO_STORE, else the nearest existing <c>.repro</c>, else <c>.repro</c> in the project.
    /// </summary>
    public static RemoteContext Find(string? storeOption)
    {
        var current = Environment.CurrentDirectory;
        var project = RemoteConfiguration.LocateProjectDirectory(current);
        var variable = Environment.GetEnvironmentVariable(StoreLayout.StoreVariable);
        var store = RunStore.FindLocation(storeOption, variable, current);
        if (string.IsNullOrWhiteSpace(storeOption) && string.IsNullOrWhiteSpace(variable) && !Directory.Exists(Path.Combine(store, "runs")))
        {
            store = Path.Combine(project, StoreLayout.DefaultFolderName);
        }

        return new RemoteContext(project, store);
    }

    /// <summary>Both remotes files, read.</summary>
    public RemoteConfiguration Load() => RemoteConfiguration.Load(ProjectDirectory, StoreDirectory);
}
