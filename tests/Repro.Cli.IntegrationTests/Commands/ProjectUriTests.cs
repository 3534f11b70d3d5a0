using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Repro.Cli.IntegrationTests.Fixtures;

namespace Repro.Cli.IntegrationTests.Commands;

/// <summary>
/// <c>repro run URI</c> on real git repositories: a bare upstream reached by plain path, by <c>file://</c> and, through
/// <c>url.*.insteadOf</c> in a test git configuration, by an https URL carrying a credential; a project in a
/// subdirectory; a submodule; versions as tag, branch and commit. Each run works in its own copy of the cached checkout.
/// </summary>
public sealed class ProjectUriTests : ReproTestBase
{
    private const string Url = "https://example.invalid/org/project.git";
    private const string Secret = "s3cret-t0ken";
    private const string CredentialUrl = "https://ci-bot:" + Secret + "@example.invalid/org/project.git";

    private const string MLproject = """
        name: uri-demo
        entry_points:
          main:
            parameters:
              tag: {type: string, default: none}
            command: "sh run.sh {tag}"
            outputs: [out.txt]
        """;

    // Reads a file of the commit, one of the submodule, and the parameter; what it writes depends on nothing else.
    private const string RunScript = "cat VERSION ../vendor/lib/weights.txt > out.txt\necho \"$1\" >> out.txt\n";

    private readonly GitUpstream _upstream = new();
    private readonly string _here;
    private readonly string _cache;
    private readonly string _first;
    private readonly string _feature;

    public ProjectUriTests()
    {
        _here = Temp.Folder("here");
        _cache = Temp.Combine("cache");
        Repro.With("REPRO_CACHE_DIR", _cache);

        var libCommit = _upstream.PublishRepository("lib", new Dictionary<string, string> { ["weights.txt"] = "lib weights\n" });
        var work = _upstream.Work;
        work.Write("train/MLproject", MLproject);
        work.Write("train/run.sh", RunScript);
        work.Write("train/VERSION", "one\n");
        GitUpstream.AddSubmodules(work, new Dictionary<string, string> { ["vendor/lib"] = "../lib.git " + libCommit });
        _first = work.CommitAll("first");
        work.Git("tag", "v1");
        work.Write("train/VERSION", "two\n");
        work.CommitAll("second");
        work.Git("checkout", "--quiet", "-b", "feature", _first);
        work.Write("train/VERSION", "feature\n");
        _feature = work.CommitAll("feature");
        work.Git("checkout", "--quiet", "main");
        _upstream.Publish();
    }

    private string Store => Path.Combine(_here, ".repro");

    [Fact]
    public void Run_CredentialedUrlAtTagBranchAndCommit_RecordsTheSourceFetchesOnceAndWritesNoCredentialAnywhere()
    {
        UseGitConfiguration(reachable: true);

        var tag = Repro.Run(_here, "run", CredentialUrl + "#train", "-v", "v1", "-P", "tag=a");
        Assert.True(tag.ExitCode == 0, tag.ToString());
        Assert.Contains($"repro: cloning {Url}", tag.Stderr, StringComparison.Ordinal);
        var tagRun = OnlyManifest(Store);
        Assert.Equal(
            new JsonObject { ["uri"] = Url, ["subdirectory"] = "train", ["version"] = "v1", ["refKind"] = "tag", ["commit"] = _first }.ToJsonString(),
            tagRun["source"]!.ToJsonString());
        Assert.Equal((_first, Url), ((string?)tagRun["git"]!["commit"], (string?)tagRun["git"]!["remoteUrl"]));
        Assert.Equal("one\nlib weights\na\n", OutputOf(tagRun));
        ManifestSchema.AssertValid(Path.Combine(Store, "runs", (string)tagRun["runId"]!, "run.json"));

        var branch = Repro.Run(_here, "run", CredentialUrl + "#train", "--version", "feature");
        Assert.True(branch.ExitCode == 0, branch.ToString());
        Assert.DoesNotContain("fetching", branch.Stderr, StringComparison.Ordinal);
        var branchRun = Latest();
        Assert.Equal(("branch", _feature), ((string?)branchRun["source"]!["refKind"], (string?)branchRun["source"]!["commit"]));
        Assert.Equal("feature\nlib weights\nnone\n", OutputOf(branchRun));

        // The upstream is unreachable from here on: a cached commit, by tag or abbreviated id, needs nothing from it.
        UseGitConfiguration(reachable: false);
        var commit = Repro.Run(_here, "run", CredentialUrl + "#train", "-v", _first[..10], "-P", "tag=b");
        Assert.True(commit.ExitCode == 0, commit.ToString());
        Assert.DoesNotContain("repro: cloning", commit.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("repro: fetching", commit.Stderr, StringComparison.Ordinal);
        var commitRun = Latest();
        Assert.Equal(("commit", _first), ((string?)commitRun["source"]!["refKind"], (string?)commitRun["source"]!["commit"]));
        Assert.Equal("one\nlib weights\nb\n", OutputOf(commitRun));

        var unreachable = Repro.Run(_here, "run", CredentialUrl + "#train", "-v", "no-such-branch");
        Assert.Equal(2, unreachable.ExitCode);
        Assert.Equal(
            [$"repro: fetching {Url}: 'no-such-branch' is not in the cache", $"repro: cannot fetch {Url}: fatal: transport 'https' not allowed"],
            Lines(unreachable.Stderr));

        UseGitConfiguration(reachable: true);
        var unknown = Repro.Run(_here, "run", CredentialUrl + "#train", "-v", "no-such-branch");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Equal($"repro: version 'no-such-branch' is not a branch, tag or commit of {Url}", Lines(unknown.Stderr)[^1]);

        // Each run worked in a copy of its own; the cached checkout is still exactly the commit.
        Assert.Equal(3, RunIds(Store).Count);
        Assert.Equal(3, Directory.GetDirectories(Path.Combine(Store, "work")).Length);
        Assert.Empty(Directory.GetFiles(_cache, "out.txt", SearchOption.AllDirectories));
        foreach (var result in new[] { tag, branch, commit, unreachable, unknown })
        {
            Assert.DoesNotContain(Secret, result.Stdout + result.Stderr, StringComparison.Ordinal);
        }

        Assert.Empty(FilesContaining(Store, Secret));
        Assert.Empty(FilesContaining(_cache, Secret));
    }

    [Fact]
    public async Task Run_BareRepositoryByPathAndFileUrl_SharesOneCacheRunsConcurrentlyInOwnCopiesAndPlansWithoutFetching()
    {
        var fileUrl = new Uri(_upstream.Bare).AbsoluteUri;

        var unfetched = Repro.Run(_here, "run", fileUrl + "#train", "-v", "v1", "--dry-run");
        Assert.True(unfetched.ExitCode == 0, unfetched.ToString());
        Assert.Contains($"{_upstream.Bare}#train at v1: NOT IN THE CACHE", unfetched.Stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_cache));
        Assert.False(Directory.Exists(Store));

        var byPath = Repro.Run(_here, "run", _upstream.Bare + "#train", "-v", "v1");
        Assert.True(byPath.ExitCode == 0, byPath.ToString());
        Assert.Equal((_upstream.Bare, _first), ((string?)OnlyManifest(Store)["source"]!["uri"], (string?)OnlyManifest(Store)["source"]!["commit"]));

        var cacheBefore = FilesUnder(_cache);
        var planned = Repro.Run(_here, "run", fileUrl + "#train", "-v", "v1", "--dry-run");
        Assert.True(planned.ExitCode == 0, planned.ToString());
        Assert.Contains($"source       {_upstream.Bare}#train at {_first} (tag v1)", planned.Stdout, StringComparison.Ordinal);
        Assert.Contains("is in the cache: nothing to fetch", planned.Stdout, StringComparison.Ordinal);
        Assert.Equal(cacheBefore, FilesUnder(_cache));
        Assert.Single(RunIds(Store));
        Assert.Single(Directory.GetDirectories(Path.Combine(Store, "work")));

        // Two runs of the cached commit at once write out.txt relative to the project: each into its own copy.
        var runs = await Task.WhenAll(
            Repro.RunAsync(_here, ["run", fileUrl + "#train", "-v", _first, "-P", "tag=x"]),
            Repro.RunAsync(_here, ["run", fileUrl + "#train", "-v", _first, "-P", "tag=y"]));
        Assert.All(runs, result => Assert.True(result.ExitCode == 0, result.ToString()));
        var outputs = RunIds(Store).Skip(1).Select(id => OutputOf(Manifest(Store, id))).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["one\nlib weights\nx\n", "one\nlib weights\ny\n"], outputs);
        Assert.Single(Directory.GetDirectories(Path.Combine(_cache, "git")));
    }

    [Fact]
    public void Verify_RunOfAUriWhoseCacheIsGone_FetchesTheRecordedCommitAgainAndReproducesIt()
    {
        var local = Repro.Run(_here, "run", _upstream.Work.Root + "#train", "-v", "v1");
        Assert.True(local.ExitCode == 0, local.ToString());
        Assert.Equal(("tag", _first), ((string?)OnlyManifest(Store)["source"]!["refKind"], (string?)OnlyManifest(Store)["source"]!["commit"]));
        _upstream.Work.Write("train/VERSION", "changed upstream since\n");
        _upstream.Work.CommitAll("later");

        Directory.Delete(_cache, recursive: true);
        var temporary = Temp.Folder("tmp");
        var verify = Repro.With("TMPDIR", temporary).Run(_here, "verify", "latest");

        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("REPRODUCED", verify.Stdout, StringComparison.Ordinal);
        Assert.Contains($"repro: cloning {_upstream.Work.Root}", verify.Stderr, StringComparison.Ordinal);
        var verification = Latest();
        Assert.Equal(OnlyOriginal()["source"]!.ToJsonString(), verification["source"]!.ToJsonString());
        Assert.Single(Directory.GetDirectories(Path.Combine(Store, "work")));
        Assert.Empty(Directory.GetFileSystemEntries(temporary));
    }

    [Fact]
    public void Verify_LocalProjectWithASubmodule_ReCreatesItAtTheRecordedCommit()
    {
        var clone = Path.Combine(_here, "project");
        GitRepository.Run(_here, "-c", "protocol.file.allow=always", "clone", "--quiet", "--recurse-submodules", _upstream.Bare, clone);
        var project = Path.Combine(clone, "train");

        var run = Repro.Run(project, "run", ".");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("two\nlib weights\nnone\n", File.ReadAllText(Path.Combine(project, "out.txt")));
        Assert.Null(OnlyManifest(StoreOf(project))["source"]);

        var verify = Repro.Run(project, "verify", "latest");

        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("REPRODUCED", verify.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, RunIds(StoreOf(project)).Count);
    }

    private JsonObject Latest() => Manifest(Store, RunIds(Store)[^1]);

    private JsonObject OnlyOriginal() => Manifest(Store, RunIds(Store)[0]);

    private string OutputOf(JsonObject manifest)
    {
        var workingDirectory = (string)manifest["command"]!["workingDirectory"]!;
        Assert.StartsWith(Path.Combine(Store, "work"), workingDirectory, StringComparison.Ordinal);
        var content = File.ReadAllText(Path.Combine(workingDirectory, "out.txt"));
        var recorded = (string?)manifest["outputs"]![0]!["files"]![0]!["sha256"];
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content))), recorded);
        return content;
    }

    /// <summary>
    /// The user's git configuration as repro sees it: the credentialed https URL and the submodule's URL lead to the
    /// bare repositories (or, unreachable, to nowhere), and file:// submodules are allowed.
    /// </summary>
    private void UseGitConfiguration(bool reachable)
    {
        var config = Temp.Write("gitconfig", reachable
            ? $"""
              [url "{new Uri(_upstream.Bare).AbsoluteUri}"]
              	insteadOf = {CredentialUrl}
              [url "{new Uri(Path.Combine(_upstream.Work.Folder, "lib.git")).AbsoluteUri}"]
              	insteadOf = https://example.invalid/org/lib.git
              [protocol "file"]
              	allow = always
              """
            : "[protocol \"https\"]\n\tallow = never\n");
        Repro.With("GIT_CONFIG_GLOBAL", config);
    }

    private static List<string> Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    private static List<string> FilesContaining(string folder, string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        return [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Where(file => File.ReadAllBytes(file).AsSpan().IndexOf(needle) >= 0)];
    }

    protected override void Dispose(bool disposing)
    {
        _upstream.Dispose();
        base.Dispose(disposing);
    }
}
