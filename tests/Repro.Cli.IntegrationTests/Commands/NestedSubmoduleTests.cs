using System.Text.Json.Nodes;
using Repro.Cli.IntegrationTests.Fixtures;

namespace Repro.Cli.IntegrationTests.Commands;

/// <summary>
/// A project whose submodule has a submodule of its own (file:// URLs): the run records both, verify checks both out
/// at their recorded commits, and <c>verify --in-place</c> and <c>diff</c> name a submodule whose commit moved.
/// </summary>
public sealed class NestedSubmoduleTests : ReproTestBase
{
    // Submodules from local folders need protocol.file.allow=always; it is given per command, never written to a config.
    private static readonly string[] AllowFile = ["-c", "protocol.file.allow=always"];

    private readonly string _project;
    private readonly GitRepository _git;

    public NestedSubmoduleTests()
    {
        var inner = GitRepository.Init(Temp.Combine("inner"));
        inner.Write("inner.txt", "inner v1\n");
        inner.CommitAll("v1");
        inner.Write("inner.txt", "inner v2\n");
        inner.CommitAll("v2");

        var library = GitRepository.Init(Temp.Combine("library"));
        library.Write("weights.txt", "library v1\n");
        library.CommitAll("v1");
        library.Git([.. AllowFile, "submodule", "--quiet", "add", new Uri(inner.Root).AbsoluteUri, "vendor"]);
        library.CommitAll("add inner as a submodule");

        (_project, _git) = CommittedProject(
            ("MLproject", "entry_points:\n  main:\n    command: \"cat lib/weights.txt lib/vendor/inner.txt > model.txt\"\n    outputs: [model.txt]\n"),
            (".gitignore", "model.txt\n"));
        _git.Git([.. AllowFile, "submodule", "--quiet", "add", new Uri(library.Root).AbsoluteUri, "lib"]);
        _git.Git([.. AllowFile, "submodule", "--quiet", "update", "--init", "--recursive"]);
        _git.CommitAll("add the library as a submodule");
    }

    [Fact]
    public void Run_NestedSubmodule_IsRecordedAndVerifyChecksItOutAtItsCommit()
    {
        var innerCommit = InInner("rev-parse", "HEAD").Trim();
        var original = RunOnce(_project);
        Assert.Equal("library v1\ninner v2\n", File.ReadAllText(Path.Combine(_project, "model.txt")));

        var submodules = Manifest(StoreOf(_project), original)["git"]!["submodules"]!.AsArray();
        Assert.Equal(["lib", "lib/vendor"], submodules.Select(submodule => (string?)submodule!["path"]));
        var nested = submodules[1]!;
        Assert.Equal(innerCommit, (string?)nested["commit"]);
        Assert.StartsWith("file://", (string?)nested["url"], StringComparison.Ordinal);
        Assert.False((bool?)nested["dirty"]);
        Assert.DoesNotContain(Manifest(StoreOf(_project), original)["warnings"]!.AsArray(), warning => ((string)warning!).Contains("submodules of its own", StringComparison.Ordinal));
        ManifestSchema.AssertValid(Path.Combine(StoreOf(_project), "runs", original, "run.json"));

        // The nested submodule moves back to v1 in the workspace; verify re-creates v2 in its checkout.
        InInner("checkout", "--quiet", "HEAD~1");
        var (result, report) = VerifyJson(original);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("REPRODUCED", (string?)report["verdict"]);
        Assert.Equal("inner v1\n", File.ReadAllText(Path.Combine(_project, "lib", "vendor", "inner.txt")));
    }

    [Fact]
    public void Run_DirtyNestedSubmodule_RecordsItsPatchAndVerifyReproducesIt()
    {
        File.WriteAllText(Path.Combine(_project, "lib", "vendor", "inner.txt"), "inner v2, tuned\n");
        var original = RunOnce(_project);

        var manifest = Manifest(StoreOf(_project), original);
        var submodules = manifest["git"]!["submodules"]!.AsArray();
        Assert.True((bool?)submodules[1]!["dirty"]);
        Assert.True((bool?)submodules[0]!["dirty"]);
        var patch = (string)submodules[1]!["patch"]!["file"]!;
        Assert.Contains("+inner v2, tuned", File.ReadAllText(Path.Combine(StoreOf(_project), "runs", original, patch)), StringComparison.Ordinal);

        InInner("checkout", "--quiet", "--", "inner.txt");
        var (result, report) = VerifyJson(original);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("REPRODUCED", (string?)report["verdict"]);
    }

    [Fact]
    public void VerifyInPlace_NestedSubmoduleAtAnotherCommit_IsNotVerifiableNamingIt()
    {
        var recorded = InInner("rev-parse", "HEAD").Trim();
        var original = RunOnce(_project);
        InInner("checkout", "--quiet", "HEAD~1");
        var now = InInner("rev-parse", "HEAD").Trim();

        var result = Repro.Run(_project, "verify", original, "--in-place", "--json");

        Assert.True(result.ExitCode == 2, result.ToString());
        var report = ParseJson(result.Stdout);
        Assert.Equal("NOT_VERIFIABLE", (string?)report["verdict"]);
        // The parents' patches change with it (they record the nested commit); the submodule itself is named.
        var problems = report["problems"]!.AsArray().Select(problem => (string)problem!).ToList();
        Assert.Contains(problems, problem => problem.Contains($"submodule lib/vendor is at commit {now}, the run recorded {recorded}", StringComparison.Ordinal));
    }

    [Fact]
    public void VerifyInPlace_ChangeInsideASubmodule_IsNotVerifiableNamingIt()
    {
        var original = RunOnce(_project);
        File.WriteAllText(Path.Combine(_project, "lib", "weights.txt"), "library v1, edited\n");

        var result = Repro.Run(_project, "verify", original, "--in-place", "--json");

        Assert.True(result.ExitCode == 2, result.ToString());
        var problems = ParseJson(result.Stdout)["problems"]!.AsArray().Select(problem => (string)problem!).ToList();
        Assert.Contains(problems, problem => problem.Contains("submodule lib: uncommitted changes inside it differ", StringComparison.Ordinal));
    }

    [Fact]
    public void VerifyInPlace_SubmodulesAsRecorded_IsReproduced()
    {
        var original = RunOnce(_project);

        var result = Repro.Run(_project, "verify", original, "--in-place", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("REPRODUCED", (string?)ParseJson(result.Stdout)["verdict"]);
    }

    [Fact]
    public void Diff_RunsWithTheNestedSubmoduleAtDifferentCommits_NamesTheSubmodule()
    {
        var before = InInner("rev-parse", "HEAD").Trim();
        var first = RunOnce(_project);
        InInner("checkout", "--quiet", "HEAD~1");
        var after = InInner("rev-parse", "HEAD").Trim();
        var second = RunOnce(_project);

        var result = Repro.Run(_project, "diff", first, second, "--json");

        Assert.True(result.ExitCode is 0 or 1, result.ToString());
        var differences = ParseJson(result.Stdout)["differences"]!.AsArray();
        var commit = Assert.Single(differences, difference => (string?)difference!["key"] == "code.submodules.lib/vendor.commit")!;
        Assert.Equal(before, (string?)commit["a"]);
        Assert.Equal(after, (string?)commit["b"]);
        Assert.StartsWith("submodule lib/vendor commit ", (string?)commit["summary"], StringComparison.Ordinal);
    }

    private string InInner(params string[] arguments) => GitRepository.Run(Path.Combine(_project, "lib", "vendor"), arguments);

    private (ProcessResult Result, JsonObject Report) VerifyJson(string runId)
    {
        var result = Repro.Run(_project, "verify", runId, "--json");
        return (result, result.Stdout.Length > 0 ? ParseJson(result.Stdout) : []);
    }
}
