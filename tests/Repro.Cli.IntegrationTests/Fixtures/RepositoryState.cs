namespace Repro.Cli.IntegrationTests.Fixtures;

/// <summary>
/// What a user would notice if a command touched their repository: refs, worktrees, stash, HEAD and the exact bytes
/// of the index. Two snapshots compare equal when nothing of it changed.
/// </summary>
public sealed record RepositoryState(string Refs, string Worktrees, string Stash, string Head, string IndexSha256)
{
    public static RepositoryState Of(GitRepository git)
    {
        var index = File.ReadAllBytes(Path.Combine(git.Root, ".git", "index"));
        return new RepositoryState(
            git.Git("for-each-ref", "--format=%(refname) %(objectname)"),
            git.Git("worktree", "list", "--porcelain"),
            git.Git("stash", "list", "--format=%gd %H"),
            git.Git("symbolic-ref", "--quiet", "HEAD").Trim() + " " + git.Git("rev-parse", "HEAD").Trim(),
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(index)));
    }
}
