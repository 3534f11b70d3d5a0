using Repro.Core.Capture.Git;
using Repro.Core.Runs;

namespace Repro.Core.Sources;

/// <summary>What to check out of a git repository.</summary>
/// <param name="Repository">The URL as given (credentials are used to fetch, never stored) or the absolute path of a local repository.</param>
/// <param name="Version">A branch, tag or commit; null for the repository's default branch.</param>
public sealed record GitCheckoutRequest(string Repository, string? Version)
{
    /// <summary>Fetch even when the cache already has the version. A branch otherwise resolves to the tip the cache last fetched.</summary>
    public bool Refresh { get; init; }

    /// <summary>Receives one line per slow step (clone, fetch, checkout, waiting for another process); may be null.</summary>
    public Action<string>? Log { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{RemoteUrl.RemoveCredentials(Repository)} at {Version ?? "the default branch"}";
}

/// <summary>A commit of a git repository checked out in the cache, submodules included.</summary>
/// <param name="Repository">The repository without credentials, as it may be recorded.</param>
/// <param name="Version">The version asked for; null for the default branch.</param>
/// <param name="RefKind">What the version named.</param>
/// <param name="Commit">The full commit id.</param>
/// <param name="Directory">The checkout's root folder. It is shared by every run of this commit: treat it as read-only.</param>
/// <param name="Fetched">Whether this call fetched from the repository.</param>
/// <param name="Created">Whether this call created the checkout.</param>
public sealed record GitCheckout(string Repository, string? Version, GitRefKind RefKind, string Commit, string Directory, bool Fetched, bool Created);
