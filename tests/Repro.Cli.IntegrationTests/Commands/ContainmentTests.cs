using System.Diagnostics;
using System.Text.Json.Nodes;
using Repro.Cli.IntegrationTests.Fixtures;

namespace Repro.Cli.IntegrationTests.Commands;

/// <summary>
/// Nothing an entry point starts outlives or blocks repro: processes that leave the child's session, daemons, a repro
/// killed outright, a store whose disk fills. Each starts real processes, marked with <c>exec -a MARKER</c> so the
/// test finds exactly its own.
/// </summary>
public sealed class ContainmentTests : ReproTestBase
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(90);

    private readonly string _marker = "repro-test-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Run_GrandchildThatLeftTheSessionAndHoldsTheOutput_IsStoppedAndReproEnds()
    {
        var (project, _) = CommittedProject(("MLproject", $"entry_points:\n  main:\n    command: \"echo hi; setsid bash -c 'exec -a {_marker} sleep 300' & echo bye\"\n"));

        var result = await Repro.RunAsync(project, ["run", "."], Hang);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(0, Processes.WithMarker(_marker));
        var manifest = OnlyManifest(StoreOf(project));
        Assert.Equal("FINISHED", (string?)manifest["status"]);
        Assert.Contains(Warnings(manifest), warning => warning.Contains("left 1 process(es) running", StringComparison.Ordinal) && warning.Contains(_marker, StringComparison.Ordinal));
        Assert.Equal("hi\nbye\n", File.ReadAllText(Path.Combine(StoreOf(project), "runs", RunIds(StoreOf(project)).Single(), "stdout.log")));
    }

    [Fact]
    public async Task Run_DaemonDetachedFromEverything_IsStoppedAndReportedByItsCommandLine()
    {
        var (project, _) = CommittedProject(("MLproject", $"entry_points:\n  main:\n    command: \"(setsid bash -c 'exec -a {_marker} sleep 300' >/dev/null 2>&1 &); echo started\"\n"));

        var result = await Repro.RunAsync(project, ["run", "."], Hang);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(0, Processes.WithMarker(_marker));
        Assert.Contains($"repro stopped them: {_marker} 300", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(Warnings(OnlyManifest(StoreOf(project))), warning => warning.Contains(_marker, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_KilledWithSigkill_LeavesNoProcessBehindAndIsAbandoned()
    {
        var (project, _) = CommittedProject(
            ("MLproject", $"entry_points:\n  main:\n    command: \"(setsid bash -c 'exec -a {_marker} sleep 300' >/dev/null 2>&1 &); setsid bash -c 'exec -a {_marker} sleep 300' & exec -a {_marker} sleep 300\"\n"));
        using var repro = Repro.Start(project, ["run", "."]);
        _ = repro.StandardOutput.ReadToEndAsync();
        _ = repro.StandardError.ReadToEndAsync();
        await Processes.WaitUntilAsync(() => Processes.WithMarker(_marker) >= 3);

        Processes.Signal(repro.Id, "KILL");
        await repro.WaitForExitAsync();

        var clock = Stopwatch.StartNew();
        while (Processes.WithMarker(_marker) > 0 && clock.Elapsed < TimeSpan.FromSeconds(2))
        {
            await Task.Delay(50);
        }

        Assert.True(Processes.WithMarker(_marker) == 0, $"{Processes.WithMarker(_marker)} process(es) of the run survived repro by 2 s");
        var runId = RunIds(StoreOf(project)).Single();
        Assert.Equal("RUNNING", (string?)Manifest(StoreOf(project), runId)["status"]);
        var listed = JsonNode.Parse(Repro.Run(project, "list", "--json").Stdout)!.AsArray().Single()!;
        Assert.Equal("ABANDONED", (string?)listed["status"]);
        Assert.Matches(@"(?m)^status\s+ABANDONED$", Repro.Run(project, "show", runId).Stdout);
        var verify = Repro.Run(project, "verify", runId);
        Assert.Equal(2, verify.ExitCode);
        Assert.Contains("NOT_VERIFIABLE", verify.Stdout, StringComparison.Ordinal);
        Assert.Contains("abandoned", verify.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_KilledWithSigkill_TheNextVerifyRemovesItsCheckout()
    {
        var tmp = Directory.CreateDirectory(Temp.Combine("tmp")).FullName;
        Repro.With("TMPDIR", tmp);
        var (project, _) = CommittedProject(
            ("MLproject", $"entry_points:\n  main:\n    parameters:\n      gate: string\n    command: \"if [ -e {{gate}} ]; then exec -a {_marker} sleep 300; fi; echo done > out.txt\"\n    outputs: [out.txt]\n"),
            (".gitignore", "out.txt\n"));
        var gate = Temp.Combine("gate");
        var original = RunOnce(project, "-P", $"gate={gate}");
        File.WriteAllText(gate, "the re-run blocks\n");
        using (var verify = Repro.Start(project, ["verify", original]))
        {
            _ = verify.StandardOutput.ReadToEndAsync();
            _ = verify.StandardError.ReadToEndAsync();
            await Processes.WaitUntilAsync(() => Processes.WithMarker(_marker) >= 1);
            Processes.Signal(verify.Id, "KILL");
            await verify.WaitForExitAsync();
        }

        await Processes.WaitUntilAsync(() => Processes.WithMarker(_marker) == 0);
        var left = Assert.Single(Directory.GetDirectories(tmp, "repro-checkout-*"));
        File.Delete(gate);

        var again = Repro.Run(project, "verify", original);

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.False(Directory.Exists(left), $"{left} was left by the killed verify and should be gone");
        Assert.Empty(Directory.EnumerateFileSystemEntries(tmp, "repro-*"));
        var table = Repro.Run(project, "list").Stdout;
        Assert.Contains("verify: ABANDONED", table, StringComparison.Ordinal);
    }

    [MountFact]
    public async Task Run_StoreDiskFillsWhileSavingOutput_ExitsThreeStopsTheChildAndTheRunIsAbandoned()
    {
        var (project, _) = CommittedProject(("MLproject", $"entry_points:\n  main:\n    command: \"exec -a {_marker} yes chatty-line\"\n"));
        using var disk = Mount.Tmpfs(Temp.Combine("small-disk"), "1m");
        var store = Path.Combine(disk.Path, "store");

        var result = await Repro.RunAsync(project, ["run", ".", "--store", store], Hang);

        Assert.True(result.ExitCode == 3, result.ToString());
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => line.StartsWith("repro: ", StringComparison.Ordinal) && !line.StartsWith("repro: warning", StringComparison.Ordinal));
        Assert.Contains("stdout.log", line, StringComparison.Ordinal);
        Assert.Contains("No space left on device", line, StringComparison.Ordinal);
        Assert.Equal(0, Processes.WithMarker(_marker));
        var listed = Repro.Run(project, "list", "--store", store, "--json");
        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Equal("ABANDONED", (string?)JsonNode.Parse(listed.Stdout)!.AsArray().Single()!["status"]);
    }

    private static List<string> Warnings(JsonObject manifest) =>
        manifest["warnings"]!.AsArray().Select(node => (string)node!).ToList();
}
