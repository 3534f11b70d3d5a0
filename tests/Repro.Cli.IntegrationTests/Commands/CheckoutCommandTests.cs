using System.Runtime.Versioning;
using Repro.Cli.IntegrationTests.Fixtures;

namespace Repro.Cli.IntegrationTests.Commands;

public sealed class CheckoutCommandTests : DataTestBase
{
    [Fact]
    public void Checkout_DeletedOutputs_RestoresThemBitIdenticalAndReportsEachFile()
    {
        var (project, _, runId) = RecordedProject("-P", "n=7");
        var model = File.ReadAllBytes(Path.Combine(project, "out", "model.bin"));
        Directory.Delete(Path.Combine(project, "out"), recursive: true);

        var result = Repro.Run(project, "checkout", runId, "--outputs", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(new Dictionary<string, string> { ["out/copy.csv"] = "restored", ["out/model.bin"] = "restored" }, States(result.Stdout));
        Assert.Equal(model, File.ReadAllBytes(Path.Combine(project, "out", "model.bin")));
        Assert.Equal("a,b\n1,2\n", File.ReadAllText(Path.Combine(project, "out", "copy.csv")));
        Assert.Empty(Directory.GetFiles(Path.Combine(project, "out"), ".*"));

        var again = Repro.Run(project, "checkout", runId);

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("identical   out/model.bin", again.Stdout, StringComparison.Ordinal);
        Assert.Contains("identical   data/in.csv", again.Stdout, StringComparison.Ordinal);
        Assert.Contains("0 file(s) restored, 4 already identical", again.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Checkout_FileThatDiffersWithoutForce_ListsItExitsTwoAndChangesNothing()
    {
        var (project, _, runId) = RecordedProject();
        File.WriteAllText(Path.Combine(project, "out", "model.bin"), "edited by hand\n");
        File.Delete(Path.Combine(project, "out", "copy.csv"));
        var before = WorkspaceFiles(project);

        var result = Repro.Run(project, "checkout", runId);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("differs     out/model.bin: 15 bytes where the run had 8", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("copy.csv", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 file(s) differ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing was changed (--force overwrites them)", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, WorkspaceFiles(project));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void Checkout_SameSizeEditWithForce_IsOverwrittenKeepingItsFileMode()
    {
        var (project, _, runId) = RecordedProject();
        var model = Path.Combine(project, "out", "model.bin");
        File.WriteAllText(model, "model X\n");
        File.SetUnixFileMode(model, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var refused = Repro.Run(project, "checkout", runId, "out/model.bin");
        var result = Repro.Run(project, "checkout", runId, "out/model.bin", "--force", "--json");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("content differs", refused.Stdout, StringComparison.Ordinal);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(new Dictionary<string, string> { ["out/model.bin"] = "restored" }, States(result.Stdout));
        Assert.Equal("model 1\n", File.ReadAllText(model));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(model));
    }

    [Fact]
    public void Checkout_ChangedInput_IsRestoredFromItsStoredCopy()
    {
        var (project, _, runId) = RecordedProject();
        File.WriteAllText(Path.Combine(project, "data", "in.csv"), "changed since\n");

        var result = Repro.Run(project, "checkout", runId, "--inputs", "data/in.csv", "--force", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(new Dictionary<string, string> { ["data/in.csv"] = "restored" }, States(result.Stdout));
        Assert.Equal("a,b\n1,2\n", File.ReadAllText(Path.Combine(project, "data", "in.csv")));
    }

    [Fact]
    public void Checkout_InputDeclaredStoreFalse_SaysItHasNoCopyExitsTwoAndChangesNothing()
    {
        var (project, _, runId) = RecordedProject();
        var manifest = ParseJson(File.ReadAllText(Path.Combine(StoreOf(project), "runs", runId, "run.json")));
        var reference = manifest["inputs"]!.AsArray().Single(record => (string?)record!["spec"] == "data/ref.csv")!;
        Assert.False((bool)reference["store"]!);
        Assert.False((bool)reference["files"]![0]!["stored"]!);
        Assert.True((bool)manifest["inputs"]![0]!["files"]![0]!["stored"]!);
        Assert.Null(manifest["inputs"]![0]!["store"]);
        File.Delete(Path.Combine(project, "data", "ref.csv"));
        File.Delete(Path.Combine(project, "data", "in.csv"));
        var before = WorkspaceFiles(project);

        var result = Repro.Run(project, "checkout", runId, "--inputs");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unavailable data/ref.csv: the run did not keep a copy", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 file(s) of run", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("have no stored copy: nothing was changed", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, WorkspaceFiles(project));
        Assert.False(File.Exists(Path.Combine(project, "data", "in.csv")));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void Checkout_DamagedObject_IsReportedExitsThreeAndRestoresNothing()
    {
        var (project, _, runId) = RecordedProject();
        var model = Path.Combine(project, "out", "model.bin");
        var sha256 = Sha256Of(model);
        Damage(ObjectPath(StoreOf(project), sha256));
        File.Delete(model);
        File.Delete(Path.Combine(project, "out", "copy.csv"));

        var result = Repro.Run(project, "checkout", runId, "--outputs");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"object {sha256}", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("is damaged", result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.False(File.Exists(model));
        Assert.False(File.Exists(Path.Combine(project, "out", "copy.csv")));
        Assert.Empty(Directory.GetFiles(Path.Combine(project, "out")));
    }

    [Fact]
    public void Checkout_FromASubfolderWithARelativePath_RestoresOnlyThatFile()
    {
        var (project, _, runId) = RecordedProject();
        Directory.Delete(Path.Combine(project, "out"), recursive: true);
        Directory.CreateDirectory(Path.Combine(project, "data"));

        var result = Repro.Run(Path.Combine(project, "data"), "checkout", runId, "../out/copy.csv", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(new Dictionary<string, string> { ["out/copy.csv"] = "restored" }, States(result.Stdout));
        Assert.False(File.Exists(Path.Combine(project, "out", "model.bin")));
    }

    [Theory]
    [InlineData("out/nope.bin", "out/nope.bin names no input or output file of run")]
    [InlineData("../elsewhere", "../elsewhere is outside the project")]
    public void Checkout_PathThatNamesNoFileOfTheRun_IsBadInput(string path, string message)
    {
        var (project, _, runId) = RecordedProject();

        var result = Repro.Run(project, "checkout", runId, path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public void Checkout_UnknownRun_IsBadInput()
    {
        var (project, _, _) = RecordedProject();

        var result = Repro.Run(project, "checkout", "ffff");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("repro: no run matches 'ffff' in " + StoreOf(project) + "\n", result.Stderr);
    }
}
