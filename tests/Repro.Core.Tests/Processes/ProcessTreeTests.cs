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
        var environment = new Dictionary<string, string> { ["PATH"] = Environment.GetEnvironmentVariable("PATH")!, ["TREE_MARK"] = _marker };
        using var root = ProcessLauncher.Start(new ProcessStart(
            "bash", ["-c", $"setsid bash -c 'exec -a {_marker} sleep 300' & bash -c 'exec -a {_marker} sleep 300' & echo started; wait"], _temp.Path, environment)
        {
            OwnSession = true,
        });
        var reader = new StreamReader(root.StandardOutput);
        Assert.Equal("started", await reader.ReadLineAsync());
        var tree = new ProcessTree(root.Id, root.OwnsSession, $"TREE_MARK={_marker}");
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
