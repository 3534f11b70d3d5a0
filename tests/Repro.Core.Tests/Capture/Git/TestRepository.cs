using System.Diagnostics;
using System.Text;
using LibGit2Sharp;

namespace Repro.Core.Tests.Capture.Git;

/// <summary>
/// A git repository made for one test in its own temporary folder: local user, no signing, branch <c>main</c>,
/// fixed-date commits, and git isolated from the machine's configuration. Deleted on dispose.
/// </summary>
internal sealed class TestRepository : IDisposable
{
    /// <summary>Committer time of the first commit; later commits are one hour apart.</summary>
    public static readonly DateTimeOffset FirstCommitTime = new(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(2));

    private int _commits;

    static TestRepository()
    {
        // Every git process this test run starts, the ones repro starts included, inherits these:
        // no user or system configuration, English messages.
        System.Environment.SetEnvironmentVariable("GIT_CONFIG_GLOBAL", "/dev/null");
        System.Environment.SetEnvironmentVariable("GIT_CONFIG_NOSYSTEM", "1");
        // A folder that does not exist: LibGit2Sharp then finds no user or system configuration at all.
        var empty = Path.Combine(Path.GetTempPath(), "repro-tests-no-git-config-" + Guid.NewGuid().ToString("N"));
        GlobalSettings.SetConfigSearchPaths(ConfigurationLevel.Global, empty);
        GlobalSettings.SetConfigSearchPaths(ConfigurationLevel.Xdg, empty);
        GlobalSettings.SetConfigSearchPaths(ConfigurationLevel.System, empty);
    }

    /// <summary>Creates the folder and, unless <paramref name="init"/> is false, a repository in <see cref="Root"/>.</summary>
    public TestRepository(bool init = true)
    {
        Folder = Directory.CreateTempSubdirectory("repro-git-test-").FullName;
        Root = Path.Combine(Folder, "repo");
        Directory.CreateDirectory(Root);
        if (init)
        {
            Git("init", "--quiet", "--initial-branch=main");
            Git("config", "user.name", "Repro Test");
            Git("config", "user.email", "test@repro.invalid");
            Git("config", "commit.gpgsign", "false");
            Git("config", "core.autocrlf", "false");
        }
    }

    /// <summary>The test's own folder; the repository is inside it.</summary>
    public string Folder { get; }

    /// <summary>The working-tree root.</summary>
    public string Root { get; }

    /// <summary>A folder next to the repository (created), for run folders, clones and checkouts.</summary>
    public string Scratch(string name) => Directory.CreateDirectory(Path.Combine(Folder, name)).FullName;

    /// <summary>Writes a file under the root, creating folders.</summary>
    public string Write(string path, string content) => Write(path, Encoding.UTF8.GetBytes(content));

    /// <summary>Writes a file under the root, creating folders.</summary>
    public string Write(string path, byte[] content)
    {
        var full = Path.Combine(Root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
        return full;
    }

    /// <summary>Reads a file under the root.</summary>
    public byte[] Read(string path) => File.ReadAllBytes(Path.Combine(Root, path));

    /// <summary>Stages everything and commits it with a fixed date; returns the full SHA.</summary>
    public string CommitAll(string message = "change")
    {
        Git("add", "--all");
        var when = FirstCommitTime.AddHours(_commits++).ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
        GitWithEnvironment(new() { ["GIT_AUTHOR_DATE"] = when, ["GIT_COMMITTER_DATE"] = when }, Root, "commit", "--quiet", "--no-verify", "-m", message);
        return Git("rev-parse", "HEAD").Trim();
    }

    /// <summary>Runs git in the root and returns its standard output.</summary>
    public string Git(params string[] arguments) => GitIn(Root, arguments);

    /// <summary>Runs git in a folder and returns its standard output.</summary>
    public static string GitIn(string workingDirectory, params string[] arguments) =>
        Encoding.UTF8.GetString(GitWithEnvironment([], workingDirectory, arguments));

    /// <summary>Runs git with extra environment variables and returns its standard output.</summary>
    public static byte[] GitWithEnvironment(Dictionary<string, string> environment, string workingDirectory, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        startInfo.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        startInfo.Environment["LC_ALL"] = "C";
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        using var process = Process.Start(startInfo)!;
        using var output = new MemoryStream();
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.BaseStream.CopyTo(output);
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {error.Result}");
        }

        return output.ToArray();
    }

    public void Dispose()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}
