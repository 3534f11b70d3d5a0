namespace Repro.Cli.Tests.Fixtures;

/// <summary>Read-only questions about an existing working tree.</summary>
public sealed class GitRepositoryView(string root)
{
    /// <summary><c>git status --porcelain</c>: empty when the tree is clean.</summary>
    public string Status() => ProcessRunner.Run("git", ["status", "--porcelain"], root).Trim();
}
