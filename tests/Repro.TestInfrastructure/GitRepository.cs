using System.Globalization;
using System.Text;

namespace Repro.TestInfrastructure;

/// <summary>
/// A real git repository for one test, driven through the git CLI with a local identity, no signing, branch
/// <c>main</c>, fixed-date commits and no global or system configuration, so results never depend on the machine.
/// Made in a temporary folder of its own (deleted on dispose) or at a folder the test chooses.
/// </summary>
public sealed class GitRepository : IDisposable
{
    /// <summary>Committer time of the first commit; each later commit is one hour after the one before.</summary>
    public static readonly DateTimeOffset FirstCommitTime = new(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(2));

    /// <summary>What every git a test starts gets: no user or system configuration, messages in English.</summary>
    public static readonly IReadOnlyDictionary<string, string?> Isolation = new Dictionary<string, string?>
    {
        ["GIT_CONFIG_GLOBAL"] = OperatingSystem.IsWindows() ? "NUL" : "/dev/null",
        ["GIT_CONFIG_NOSYSTEM"] = "1",
        ["LC_ALL"] = "C",
    };

    private readonly TempDirectory? _owned;
    private int _commits;

    private GitRepository(string root, TempDirectory? owned)
    {
        Root = root;
        _owned = owned;
    }

    /// <summary>
    /// A repository at <c>repo/</c> inside a new temporary folder, which <see cref="Dispose"/> deletes. With
    /// <paramref name="init"/> false the folder is made but no repository (for "not a repository" cases).
    /// </summary>
    public GitRepository(bool init = true)
        : this(string.Empty, new TempDirectory("git"))
    {
        Root = _owned!.Folder("repo");
        if (init)
        {
            Initialize();
        }
    }

    /// <summary>The test's own folder holding the repository (only for a repository made in a temporary folder of its own).</summary>
    public string Folder => _owned?.Path
        ?? throw new InvalidOperationException("only a repository in a temporary folder of its own has a folder around it");

    /// <summary>The working-tree root.</summary>
    public string Root { get; }

    /// <summary>Makes a repository at <paramref name="root"/> (created when missing); the caller owns the folder.</summary>
    public static GitRepository Init(string root)
    {
        Directory.CreateDirectory(root);
        var repository = new GitRepository(root, owned: null);
        repository.Initialize();
        return repository;
    }

    /// <summary>Clones <paramref name="source"/> (its committed HEAD) into <paramref name="destination"/>.</summary>
    public static GitRepository Clone(string source, string destination)
    {
        Run(Path.GetDirectoryName(Path.GetFullPath(destination))!, "clone", "--quiet", "--no-hardlinks", source, destination);
        return new GitRepository(destination, owned: null);
    }

    /// <summary>A folder next to the repository (created), for run folders, clones and checkouts.</summary>
    public string Scratch(string name) => _owned is not null
        ? _owned.Folder(name)
        : throw new InvalidOperationException("only a repository in a temporary folder of its own has scratch folders");

    /// <summary>Writes UTF-8 text under the root, creating folders; returns the full path.</summary>
    public string Write(string path, string content) => Write(path, Encoding.UTF8.GetBytes(content));

    /// <summary>Writes bytes under the root, creating folders; returns the full path.</summary>
    public string Write(string path, byte[] content)
    {
        var full = Path.Combine(Root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
        return full;
    }

    /// <summary>Reads a file under the root.</summary>
    public byte[] Read(string path) => File.ReadAllBytes(Path.Combine(Root, path));

    /// <summary>Stages everything and commits it with the next fixed date; returns the full SHA.</summary>
    public string CommitAll(string message = "change")
    {
        Git("add", "--all");
        var when = FirstCommitTime.AddHours(_commits++).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
        Git(new Dictionary<string, string?> { ["GIT_AUTHOR_DATE"] = when, ["GIT_COMMITTER_DATE"] = when }, "commit", "--quiet", "--no-verify", "-m", message);
        return Git("rev-parse", "HEAD").Trim();
    }

    /// <summary>Runs git in the root and returns its standard output.</summary>
    public string Git(params string[] arguments) => Run(Root, arguments);

    /// <summary>Runs git in the root with extra variables and returns its standard output.</summary>
    public string Git(IReadOnlyDictionary<string, string?> environment, params string[] arguments) =>
        Encoding.UTF8.GetString(RunBytes(Root, environment, arguments));

    /// <summary>Runs git in <paramref name="workingDirectory"/>, isolated like every git here, and returns its standard output.</summary>
    public static string Run(string workingDirectory, params string[] arguments) =>
        Encoding.UTF8.GetString(RunBytes(workingDirectory, new Dictionary<string, string?>(), arguments));

    /// <summary>Runs git with extra variables and returns its standard output as bytes (patches are binary).</summary>
    public static byte[] RunBytes(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var variables = new Dictionary<string, string?>(Isolation);
        foreach (var (name, value) in environment)
        {
            variables[name] = value;
        }

        return ProcessRunner.RunCheckedBytes("git", arguments, workingDirectory, variables);
    }

    /// <inheritdoc />
    public void Dispose() => _owned?.Dispose();

    private void Initialize()
    {
        Git("init", "--quiet", "--initial-branch=main");
        Git("config", "user.name", "Repro Test");
        Git("config", "user.email", "test@repro.invalid");
        Git("config", "commit.gpgsign", "false");
        Git("config", "core.autocrlf", "false");
    }
}
