namespace Repro.Cli.Tests.Fixtures;

/// <summary>
/// A real git repository for one test, driven through the git CLI with a fixed identity, branch, dates and no
/// global or system configuration, so results never depend on the machine.
/// </summary>
public sealed class GitRepository
{
    private int _commitCount;

    private GitRepository(string root)
    {
        Root = root;
    }

    public string Root { get; }

    public static GitRepository Init(string root)
    {
        Directory.CreateDirectory(root);
        var repository = new GitRepository(root);
        repository.Git("init", "--quiet", "--initial-branch=main");
        repository.Git("config", "user.name", "Repro Test");
        repository.Git("config", "user.email", "test@example.invalid");
        repository.Git("config", "commit.gpgsign", "false");
        repository.Git("config", "core.autocrlf", "false");
        return repository;
    }

    /// <summary>Clones <paramref name="source"/> (its committed HEAD) into <paramref name="destination"/>.</summary>
    public static GitRepository Clone(string source, string destination)
    {
        var parent = new GitRepository(Path.GetDirectoryName(destination)!);
        parent.Git("clone", "--quiet", "--no-hardlinks", source, destination);
        return new GitRepository(destination);
    }

    /// <summary>Stages everything and commits it with a fixed, increasing date; returns the commit id.</summary>
    public string CommitAll(string message = "commit")
    {
        Git("add", "--all");
        _commitCount++;
        var date = new DateTimeOffset(2024, 1, 1, 12, 0, 0, TimeSpan.Zero).AddMinutes(_commitCount).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        Git(new Dictionary<string, string> { ["GIT_AUTHOR_DATE"] = date, ["GIT_COMMITTER_DATE"] = date }, "commit", "--quiet", "--no-verify", "-m", message);
        return Git("rev-parse", "HEAD").Trim();
    }

    public string Git(params string[] arguments) => Git(new Dictionary<string, string>(), arguments);

    public string Git(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        ProcessRunner.Run("git", arguments, Root, environment);
}
