using Microsoft.Data.Sqlite;
using Repro.Cli.IntegrationTests.Fixtures;

namespace Repro.Cli.IntegrationTests.Commands;

/// <summary>The store's caches repair themselves: a damaged one is set aside with a warning and rebuilt.</summary>
public sealed class StoreRepairTests : ReproTestBase
{
    [Fact]
    public void RunAndVerify_HashCacheDamaged_SetItAsideWithAWarningAndSucceed()
    {
        var (project, _) = CommittedProject(
            ("MLproject", "entry_points:\n  main:\n    command: \"sort data.txt > sorted.txt\"\n    inputs: [data.txt]\n    outputs: [sorted.txt]\n"),
            (".gitignore", "sorted.txt\n"),
            ("data.txt", "b\na\n"));
        var original = RunOnce(project);
        var cache = Path.Combine(StoreOf(project), "hash-cache.db");
        Assert.True(File.Exists(cache));

        // repro leaves its changes in the write-ahead log when it closes the cache: copy them into the file first, or
        // SQLite would read every page from the log and never see the damage.
        using (var connection = new SqliteConnection($"Data Source={cache};Pooling=False"))
        {
            connection.Open();
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            checkpoint.ExecuteNonQuery();
        }

        File.WriteAllBytes(cache, [.. Enumerable.Range(0, 16384).Select(i => (byte)((i * 31) + 7))]);

        var run = Repro.Run(project, "run", ".");
        var verify = Repro.Run(project, "verify", original);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("repro: warning: the hash cache", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("was damaged", run.Stderr, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(StoreOf(project), "hash-cache.db.damaged-*"));
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("REPRODUCED", verify.Stdout, StringComparison.Ordinal);
    }
}
