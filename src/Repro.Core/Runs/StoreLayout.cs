namespace Repro.Core.Runs;

/// <summary>Names inside a run store, for the code that writes the store and the code that must keep out of it.</summary>
public static class StoreLayout
{
    /// <summary>
    /// Name of the store folder in a project when neither <c>--store</c> nor <c>REPRO_STORE</c> says otherwise. Git capture
    /// never reports anything under a folder of this name as untracked: a run must not record the store it writes into.
    /// </summary>
    public const string DefaultFolderName = ".repro";

    /// <summary>Environment variable that overrides the default store location.</summary>
    public const string StoreVariable = "REPRO_STORE";

    /// <summary>The folder holding one <see cref="RunFolder"/> per run.</summary>
    public const string RunsFolderName = "runs";

    /// <summary>The SQLite index of the runs.</summary>
    public const string IndexFileName = "index.db";
}
