using Repro.Core.Processes;

namespace Repro.Core.Tests.Processes;

public sealed class ProcessTreeTests : IDisposable
{
    private readonly TempDirectory _temp = new("tree");
    private readonly string _marker = "repro-tree-" + Guid.NewGuid().ToString("N")[..8];

    public void Dispose() => _temp.Dispose();

    [UnixFact]
    public async Task KillAllAsync_MembersInTheSessionAndInAnotherOne_AreAllFoundAndKilled()
    {
        // The marker has the name a run's tree uses, so trees of runs in other tests of this host and this one tell their
        // processes apart (an orphan without the name at all could belong to either).
        var environment = new Dictionary<string, string> { ["PATH"] = Environment.GetEnvironmentVariable("PATH")!, ["REPRO_RUN_DIR"] = _marker };
        using var root = ProcessLauncher.Start(new ProcessStart(
            "bash", ["-c", $"setsid bash -c 'exec -a {_marker} sleep 300' & bash -c 'exec -a {_marker} sleep 300' & echo started; wait"], _temp.Path, environment)
        {
            OwnSession = true,
        });
        var reader = new StreamReader(root.StandardOutput);
        Assert.Equal("started", await reader.ReadLineAsync());
        var tree = new ProcessTree(root.Id, root.OwnsSession, $"REPRO_RUN_DIR={_marker}");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Marked().Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var scan = tree.Refresh();

        Assert.Equal(Marked().Order(), scan.Alive.Select(member => member.Id).Where(id => id != root.Id).Order());
        Assert.Contains(scan.Alive, member => member.Id == root.Id);
        Assert.True(await tree.KillAllAsync(TimeSpan.FromSeconds(10)));
        Assert.Empty(Marked());
        Assert.Empty(tree.Refresh().Alive);
    }

    [UnixFact]
    public async Task Refresh_RootEndedAndItsIdReused_NeitherTheNewProcessNorItsSessionJoin()
    {
        var (rootId, tree) = await TreeOfAnEndedRootAsync();
        const int stranger = 4_000_000;

        // The root's id now names a later process that leads a session of its own, with a child in it.
        var reused = new Dictionary<int, ProcessTable.StatFields>
        {
            [rootId] = new('S', 1, rootId, rootId, tree.RootStartTime + 500),
            [stranger] = new('S', rootId, rootId, rootId, tree.RootStartTime + 600),
        };
        var scan = tree.Refresh(reused);

        Assert.Empty(scan.Found);
        Assert.Empty(scan.Alive);
    }

    [UnixFact]
    public async Task Refresh_RootEndedButItsSessionLivesOn_KeepsFindingTheSession()
    {
        var (rootId, tree) = await TreeOfAnEndedRootAsync();
        const int leftBehind = 4_000_001;

        // The root is gone (so its id cannot have been reused while its session has members) and one member remains.
        var scan = tree.Refresh(new Dictionary<int, ProcessTable.StatFields>
        {
            [leftBehind] = new('S', 1, leftBehind, rootId, tree.RootStartTime + 10),
        });

        Assert.Equal([leftBehind], scan.Found.Select(member => member.Id));
    }

    [Fact]
    public void EnvironmentHolds_EntryOfThisProcess_IsFoundExactly()
    {
        var self = Environment.ProcessId;
        var path = Environment.GetEnvironmentVariable("PATH")!;
        if (!ProcessTable.IsAvailable)
        {
            Assert.Null(ProcessTable.EnvironmentHolds(self, "PATH=" + path, "PATH"));
            return;
        }

        Assert.True(ProcessTable.EnvironmentHolds(self, "PATH=" + path, "PATH"));
        Assert.False(ProcessTable.EnvironmentHolds(self, "PATH=/nowhere", "PATH"));
        Assert.Null(ProcessTable.EnvironmentHolds(self, "NO_SUCH_VARIABLE_HERE=1", "NO_SUCH_VARIABLE_HERE"));
    }

    // A tree whose root (its own session's leader) has already ended, and the root's id.
    private async Task<(int RootId, ProcessTree Tree)> TreeOfAnEndedRootAsync()
    {
        using var root = ProcessLauncher.Start(new ProcessStart("sleep", ["300"], _temp.Path, new Dictionary<string, string> { ["PATH"] = Environment.GetEnvironmentVariable("PATH")! })
        {
            OwnSession = true,
        });
        var tree = new ProcessTree(root.Id, root.OwnsSession, $"REPRO_RUN_DIR={_marker}");
        root.KillTree();
        await root.WaitForExitAsync();
        return (root.Id, tree);
    }

    private List<int> Marked()
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && ProcessTable.CommandLine(pid) is { } line && line.StartsWith(_marker, StringComparison.Ordinal))
            {
                found.Add(pid);
            }
        }

        return found;
    }
}
