using LibGit2Sharp;

namespace Repro.Core.Capture.Git;

/// <summary>HEAD and remote facts, read with LibGit2Sharp: cheap reads of refs and config, no working-tree scan.</summary>
/// <param name="Commit">Full SHA of HEAD, or null when HEAD has no commit yet.</param>
/// <param name="CommitTime">Committer time of HEAD in UTC.</param>
/// <param name="Branch">The branch HEAD points to, or null when detached.</param>
/// <param name="Detached">Whether HEAD is detached.</param>
/// <param name="RemoteName">The recorded remote.</param>
/// <param name="RemoteUrl">Its URL, credentials removed.</param>
internal sealed record RepositoryFacts(
    string? Commit, DateTimeOffset? CommitTime, string? Branch, bool Detached, string? RemoteName, string? RemoteUrl)
{
    /// <summary>The remote to record: <c>origin</c> when there is one (the name git gives the remote a clone came from), else the first by name.</summary>
    public const string PreferredRemote = "origin";

    /// <summary>Reads the facts from an open repository.</summary>
    public static RepositoryFacts Read(Repository repository)
    {
        var detached = repository.Info.IsHeadDetached;
        var head = repository.Head;
        var tip = repository.Info.IsHeadUnborn ? null : head.Tip;
        var branch = detached ? null : head.FriendlyName;

        string? remoteName = null;
        string? remoteUrl = null;
        foreach (var remote in repository.Network.Remotes)
        {
            using (remote)
            {
                var preferred = remote.Name == PreferredRemote;
                var first = remoteName is null || (remoteName != PreferredRemote && string.CompareOrdinal(remote.Name, remoteName) < 0);
                if (preferred || first)
                {
                    remoteName = remote.Name;
                    remoteUrl = remote.Url is { } url ? Git.RemoteUrl.RemoveCredentials(url) : null;
                }
            }
        }

        return new RepositoryFacts(tip?.Sha, tip?.Committer.When.ToUniversalTime(), branch, detached, remoteName, remoteUrl);
    }
}
