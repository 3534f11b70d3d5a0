using System.Text.Json.Nodes;
using Repro.Cli.IntegrationTests.Fixtures;

namespace Repro.Cli.IntegrationTests.Commands;

/// <summary>
/// File names are bytes on Linux: a name that is not valid UTF-8 is fingerprinted, recorded in the documented escaped
/// form (docs/manifest.md) and verified like any other, never skipped.
/// </summary>
public sealed class FileNameTests : ReproTestBase
{
    private const string MLproject = """
        entry_points:
          main:
            command: "bash make.sh"
            inputs: [data/]
            outputs: [out/]
          glob:
            command: "cat data/*.txt"
            inputs: ["data/*.txt"]
        """;

    // Writes every file named in data/ into out/, one of them under a name that is not UTF-8 either.
    private const string MakeScript = """
        mkdir -p out
        cat data/* > out/$'r\xe9sult.txt'
        ls data | LC_ALL=C sort | od -An -tx1 > out/names.txt
        """;

    [Fact]
    public void RunAndVerify_TrackedAndUntrackedNamesThatAreNotUtf8_AreRecordedEscapedAndVerifiedByTheirBytes()
    {
        var (project, git) = CommittedProject(("MLproject", MLproject), ("make.sh", MakeScript), (".gitignore", "out/\n"));
        Bash(project, "mkdir -p data && printf 'tracked v1\\n' > data/$'caf\\xff.txt'");
        git.CommitAll("a data file whose name is not UTF-8");
        Bash(project, "printf 'untracked v1\\n' > data/$'new\\xfe.txt'");

        var original = RunOnce(project);

        var manifest = Manifest(StoreOf(project), original);
        var inputs = Assert.Single(manifest["inputs"]!.AsArray())!["files"]!.AsArray();
        Assert.Equal(["\"data/caf\\xff.txt\"", "\"data/new\\xfe.txt\""], inputs.Select(file => (string?)file!["path"]));
        Assert.Equal(Sha256("tracked v1\n"), (string?)inputs[0]!["sha256"]);
        Assert.Equal(Sha256("untracked v1\n"), (string?)inputs[1]!["sha256"]);
        Assert.Equal(["\"data/new\\xfe.txt\""], manifest["git"]!["untracked"]!.AsArray().Select(file => (string?)file!["path"]));
        var outputs = Assert.Single(manifest["outputs"]!.AsArray())!["files"]!.AsArray();
        Assert.Equal(["\"out/r\\xe9sult.txt\"", "out/names.txt"], outputs.Select(file => (string?)file!["path"]));
        Assert.Equal(Sha256("tracked v1\nuntracked v1\n"), (string?)outputs[0]!["sha256"]);
        Assert.True((bool?)outputs[0]!["stored"]);

        var reproduced = Repro.Run(project, "verify", original, "--json");

        Assert.True(reproduced.ExitCode == 0, reproduced.ToString());
        var report = ParseJson(reproduced.Stdout);
        Assert.Equal("REPRODUCED", (string?)report["verdict"]);
        Assert.Equal(["\"out/r\\xe9sult.txt\"", "out/names.txt"], report["outputs"]!.AsArray().Select(output => (string?)output!["path"]).Order(StringComparer.Ordinal));

        Bash(project, "printf 'tracked v2\\n' > data/$'caf\\xff.txt'");
        git.CommitAll("change the file whose name is not UTF-8");
        var restored = Repro.Run(project, "verify", original, "--json");

        // The changed input is put back, under its exact bytes, from the object store into the verify checkout.
        Assert.True(restored.ExitCode == 0, restored.ToString());
        var restoredReport = ParseJson(restored.Stdout);
        Assert.Equal("REPRODUCED", (string?)restoredReport["verdict"]);
        var restoredInput = Assert.Single(restoredReport["restoredInputs"]!.AsArray())!;
        Assert.Equal("\"data/caf\\xff.txt\"", (string?)restoredInput["path"]);
        Assert.Equal(Sha256("tracked v1\n"), (string?)restoredInput["sha256"]);

        var changed = Repro.Run(project, "verify", original, "--in-place", "--json");

        Assert.True(changed.ExitCode == 2, changed.ToString());
        var problems = ParseJson(changed.Stdout);
        Assert.Equal("NOT_VERIFIABLE", (string?)problems["verdict"]);
        var problem = (string)Assert.Single(problems["problems"]!.AsArray())!;
        Assert.Contains("input \"data/caf\\xff.txt\" changed", problem, StringComparison.Ordinal);
        Assert.Contains(Sha256("tracked v2\n"), problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_GlobWhoseOnlyMatchIsNotUtf8_FingerprintsIt()
    {
        var (project, git) = CommittedProject(("MLproject", MLproject), ("make.sh", MakeScript));
        Bash(project, "mkdir -p data && printf 'only\\n' > data/$'\\xe9t\\xe9.txt'");
        git.CommitAll("glob data");

        var run = RunOnce(project, "-e", "glob");

        var input = Assert.Single(Manifest(StoreOf(project), run)["inputs"]!.AsArray())!;
        Assert.Equal("glob", (string?)input["kind"]);
        var file = Assert.Single(input["files"]!.AsArray())!;
        Assert.Equal("\"data/\\xe9t\\xe9.txt\"", (string?)file["path"]);
        Assert.Equal(Sha256("only\n"), (string?)file["sha256"]);
    }

    [Fact]
    public void Checkout_FilesWhoseNamesAreNotUtf8_AreRestoredUnderTheirExactBytes()
    {
        var (project, git) = CommittedProject(("MLproject", MLproject), ("make.sh", MakeScript), (".gitignore", "out/\n"));
        Bash(project, "mkdir -p data/$'sub\\xfd' && printf 'tracked v1\\n' > data/$'caf\\xff.txt' && printf 'deep\\n' > data/$'sub\\xfd'/$'x\\xfe.bin'");
        git.CommitAll("data files whose names are not UTF-8");
        var run = RunOnce(project);

        // Deleted: the output, and an input inside a folder whose name is not UTF-8 either (the folder goes too).
        Bash(project, "rm -r out data/$'sub\\xfd'");
        var result = Repro.Run(project, "checkout", run, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var states = ParseJson(result.Stdout)["files"]!.AsArray().ToDictionary(file => (string)file!["path"]!, file => (string)file!["state"]!);
        Assert.Equal("identical", states["\"data/caf\\xff.txt\""]);
        Assert.Equal("restored", states["\"data/sub\\xfd/x\\xfe.bin\""]);
        Assert.Equal("restored", states["\"out/r\\xe9sult.txt\""]);
        Assert.Equal("deep\n", Bash(project, "cat data/$'sub\\xfd'/$'x\\xfe.bin'"));
        Assert.Equal("tracked v1\n", Bash(project, "cat out/$'r\\xe9sult.txt'"));

        // A same-size edit under a non-UTF-8 name: refused without --force, then replaced keeping the file's mode.
        Bash(project, "printf 'tracked v2\\n' > data/$'caf\\xff.txt' && chmod 700 data/$'caf\\xff.txt'");
        var refused = Repro.Run(project, "checkout", run, "--inputs");
        var forced = Repro.Run(project, "checkout", run, "--inputs", "--force", "--json");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("differs     \"data/caf\\xff.txt\": content differs", refused.Stdout, StringComparison.Ordinal);
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Equal("tracked v1\n", Bash(project, "cat data/$'caf\\xff.txt'"));
        Assert.Equal("700\n", Bash(project, "stat -c %a data/$'caf\\xff.txt'"));
        Assert.Equal("0\n", Bash(project, "find data out -name '*.tmp' | wc -l"));
    }

    private static string Bash(string directory, string script) => ProcessRunner.RunChecked("bash", ["-c", script], directory);

    private static string Sha256(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
}
