using Repro.Core.Runs;

namespace Repro.Core.Capture.Git;

/// <summary>How the working tree differs from HEAD.</summary>
/// <param name="Patch">The written <c>code.patch</c>, or null when no tracked file differs.</param>
/// <param name="ChangedPaths">Tracked paths that differ from HEAD, relative to the working-tree root.</param>
/// <param name="Untracked">Untracked, non-ignored files, sorted by path.</param>
/// <param name="NestedRepositories">Untracked folders that are repositories of their own, with a trailing slash.</param>
/// <param name="Warnings">What could not be recorded.</param>
internal sealed record WorkingTreeChanges(
    StoredFileRecord? Patch,
    IReadOnlyList<string> ChangedPaths,
    IReadOnlyList<FileRecord> Untracked,
    IReadOnlyList<string> NestedRepositories,
    IReadOnlyList<string> Warnings)
{
    /// <summary>Whether anything differs from HEAD.</summary>
    public bool Dirty => Patch is not null || ChangedPaths.Count > 0 || Untracked.Count > 0 || NestedRepositories.Count > 0;

    /// <summary>Every file git saw, for a lock-file search without a walk of its own; null when not asked for.</summary>
    public WorkingTreeListing? Listing { get; init; }
}
