using LibGit2Sharp;

namespace Repro.Core.Capture.Git;

/// <summary>The one way repro asks LibGit2Sharp for a status.</summary>
internal static class StatusPreset
{
    /// <summary>
    /// Tracked changes and every untracked file, never ignored ones (they can be huge build or data folders and
    /// are not part of the code), and no rename detection (it compares contents of every added and deleted pair
    /// and a rename is recorded as a deletion and an addition anyway).
    /// </summary>
    public static StatusOptions Create() => new()
    {
        Show = StatusShowOption.IndexAndWorkDir,
        IncludeUntracked = true,
        RecurseUntrackedDirs = true,
        IncludeIgnored = false,
        RecurseIgnoredDirs = false,
        IncludeUnaltered = false,
        DetectRenamesInIndex = false,
        DetectRenamesInWorkDir = false,
        ExcludeSubmodules = false,
    };
}
