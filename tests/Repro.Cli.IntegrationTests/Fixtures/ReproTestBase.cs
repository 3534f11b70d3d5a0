using System.Text.Json;
using System.Text.Json.Nodes;

namespace Repro.Cli.IntegrationTests.Fixtures;

/// <summary>A test with its own temp folder, a private HOME and a repro to call.</summary>
public abstract class ReproTestBase : IDisposable
{
    protected ReproTestBase()
    {
        Temp = new TempDirectory();
        Directory.CreateDirectory(Temp.Combine("home"));
        Repro = new ReproProcess(Temp.Combine("home"));
    }

    protected TempDirectory Temp { get; }

    protected ReproProcess Repro { get; }

    /// <summary>A git repository at <c>project/</c> holding the given files, committed.</summary>
    protected (string Directory, GitRepository Git) CommittedProject(params (string Path, string Content)[] files)
    {
        var directory = Temp.Combine("project");
        var git = GitRepository.Init(directory);
        foreach (var (path, content) in files)
        {
            Temp.Write(Path.Combine("project", path), content);
        }

        git.CommitAll("initial");
        return (directory, git);
    }

    protected static string StoreOf(string projectDirectory) => Path.Combine(projectDirectory, ".repro");

    protected static IReadOnlyList<string> RunIds(string store)
    {
        var runs = Path.Combine(store, "runs");
        return Directory.Exists(runs)
            ? Directory.GetDirectories(runs).Select(directory => Path.GetFileName(directory)).Order(StringComparer.Ordinal).ToList()
            : [];
    }

    protected static JsonObject Manifest(string store, string runId) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(store, "runs", runId, "run.json")))!.AsObject();

    protected static JsonObject OnlyManifest(string store)
    {
        var ids = RunIds(store);
        Assert.Single(ids);
        return Manifest(store, ids[0]);
    }

    /// <summary>Every file under <paramref name="directory"/> (relative path to SHA-256), to show a command wrote nothing.</summary>
    protected static SortedDictionary<string, string> FilesUnder(string directory)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (Directory.Exists(directory))
        {
            foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
            {
                files[Path.GetRelativePath(directory, file)] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file)));
            }
        }

        return files;
    }

    /// <summary>Runs <c>repro run . ARGUMENTS</c>, requires success and returns the new run's id.</summary>
    protected string RunOnce(string project, params string[] arguments)
    {
        var before = RunIds(StoreOf(project));
        var result = Repro.Run(project, ["run", ".", .. arguments]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return RunIds(StoreOf(project)).Except(before).Single();
    }

    protected static JsonObject ParseJson(string text) => JsonNode.Parse(text)!.AsObject();

    protected static string Indented(JsonNode node) => node.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    public void Dispose()
    {
        Temp.Dispose();
        GC.SuppressFinalize(this);
    }
}
