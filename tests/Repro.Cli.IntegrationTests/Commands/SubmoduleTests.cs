using System.Text.Json.Nodes;
using Repro.Cli.IntegrationTests.Fixtures;

namespace Repro.Cli.IntegrationTests.Commands;

/// <summary>
/// A project with a git submodule: the run records the submodule's path, URL, commit and changes; verify checks it out
/// at that commit with its patch and untracked files, and a commit that is gone makes the run NOT_VERIFIABLE.
/// </summary>
public sealed class SubmoduleTests : ReproTestBase
{
    private readonly string _library;
    private readonly string _project;
    private readonly GitRepository _git;

    public SubmoduleTests()
    {
        var library = GitRepository.Init(Temp.Combine("library"));
        library.Write("weights.txt", "library v1\n");
        library.CommitAll("v1");
        library.Write("weights.txt", "library v2\n");
        library.CommitAll("v2");
        _library = library.Root;

        (_project, _git) = CommittedProject(
            ("MLproject", "entry_points:\n  main:\n    command: \"cat lib/*.txt > model.txt\"\n    outputs: [model.txt]\n"),
            (".gitignore", "model.txt\n"));
        _git.Git("-c", "protocol.file.allow=always", "submodule", "--quiet", "add", _library, "lib");
        _git.CommitAll("add the library as a submodule");
    }

    [Fact]
    public void Verify_CleanSubmodule_IsRecordedWithItsCommitAndReproducedAfterItMoves()
    {
        var commit = InLibrary("rev-parse", "HEAD").Trim();
        var original = RunOnce(_project);

        var submodule = Assert.Single(Manifest(StoreOf(_project), original)["git"]!["submodules"]!.AsArray())!;
        Assert.Equal("lib", (string?)submodule["path"]);
        Assert.Equal(_library, (string?)submodule["url"]);
        Assert.Equal(commit, (string?)submodule["commit"]);
        Assert.False((bool?)submodule["dirty"]);
        Assert.Null(submodule["patch"]);

        // The user moves on: the submodule's checkout goes back to v1.
        InLibrary("checkout", "--quiet", "HEAD~1");
        var (result, report) = VerifyJson(original);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("REPRODUCED", (string?)report["verdict"]);
        Assert.Equal("library v1\n", File.ReadAllText(Path.Combine(_project, "lib", "weights.txt")));
    }

    [Fact]
    public void Verify_DirtySubmodule_IsReproducedFromItsPatchAndUntrackedFiles()
    {
        File.WriteAllText(Path.Combine(_project, "lib", "weights.txt"), "library v2, tuned\n");
        File.WriteAllText(Path.Combine(_project, "lib", "extra.txt"), "untracked in the library\n");
        var original = RunOnce(_project);
        Assert.Equal("untracked in the library\nlibrary v2, tuned\n", File.ReadAllText(Path.Combine(_project, "model.txt")));

        var manifest = Manifest(StoreOf(_project), original);
        Assert.True((bool?)manifest["git"]!["dirty"]);
        var submodule = Assert.Single(manifest["git"]!["submodules"]!.AsArray())!;
        Assert.True((bool?)submodule["dirty"]);
        var patch = (string)submodule["patch"]!["file"]!;
        Assert.Contains("+library v2, tuned", File.ReadAllText(Path.Combine(StoreOf(_project), "runs", original, patch)), StringComparison.Ordinal);
        Assert.Equal(["lib/extra.txt"], submodule["untracked"]!.AsArray().Select(file => (string?)file!["path"]));
        Assert.DoesNotContain(manifest["warnings"]!.AsArray(), warning => ((string)warning!).Contains("only its commit id is recorded", StringComparison.Ordinal));

        // The tracked change is thrown away; the untracked file stays, as verify needs it.
        InLibrary("checkout", "--quiet", "--", "weights.txt");
        var (result, report) = VerifyJson(original);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("REPRODUCED", (string?)report["verdict"]);
    }

    [Fact]
    public void Verify_SubmoduleCommitNoLongerInItsRepository_IsNotVerifiableNamingIt()
    {
        File.WriteAllText(Path.Combine(_project, "lib", "weights.txt"), "library v3\n");
        InLibrary("-c", "user.name=Repro Test", "-c", "user.email=test@repro.invalid", "commit", "--quiet", "-am", "v3");
        var lost = InLibrary("rev-parse", "HEAD").Trim();
        var original = RunOnce(_project);
        InLibrary("reset", "--quiet", "--hard", "HEAD~1");
        InLibrary("reflog", "expire", "--expire=now", "--all");
        InLibrary("gc", "--quiet", "--prune=now");

        var (result, report) = VerifyJson(original);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("NOT_VERIFIABLE", (string?)report["verdict"]);
        var problem = (string)Assert.Single(report["problems"]!.AsArray())!;
        Assert.Contains($"submodule lib: commit {lost} is not in its repository", problem, StringComparison.Ordinal);
    }

    private string InLibrary(params string[] arguments) => GitRepository.Run(Path.Combine(_project, "lib"), arguments);

    private (ProcessResult Result, JsonObject Report) VerifyJson(string runId)
    {
        var result = Repro.Run(_project, "verify", runId, "--json");
        return (result, result.Stdout.Length > 0 ? ParseJson(result.Stdout) : []);
    }
}
