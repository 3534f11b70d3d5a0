using Repro.Core.Runs;

namespace Repro.Core.Capture.Git;

/// <summary>What <see cref="GitCapture.CaptureAsync(string, string, CancellationToken)"/> found.</summary>
/// <param name="Record">The manifest's <c>git</c> section.</param>
/// <param name="Warnings">What could not be recorded, one line each, for the manifest and the user; never printed by Core.</param>
public sealed record GitCaptureResult(GitRecord Record, IReadOnlyList<string> Warnings)
{
    /// <summary>Whether the code differs from its commit (or there is no commit to compare with); same as <see cref="GitRecord.Dirty"/>.</summary>
    public bool Dirty => Record.Dirty;

    /// <summary>Tracked paths that differ from HEAD, relative to the working-tree root, in patch order.</summary>
    public IReadOnlyList<string> ChangedPaths { get; init; } = [];

    /// <summary>Untracked folders that are repositories of their own (trailing slash); they make the tree dirty but are not fingerprinted.</summary>
    public IReadOnlyList<string> NestedRepositories { get; init; } = [];

    /// <summary>Every file git saw in the working tree, when the capture was asked for it and read it with git; else null.</summary>
    internal WorkingTreeListing? Listing { get; init; }
}
