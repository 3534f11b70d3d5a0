using Repro.Core.Tests.AutoSeed.Support;

namespace Repro.Core.Tests.AutoSeed;

/// <summary>A multiprocessing pool whose workers draw from random, numpy and default_rng(), under fork and spawn.</summary>
public sealed class MultiprocessingHookTests : IDisposable
{
    private readonly HookedPython _python = new();

    public void Dispose() => _python.Dispose();

    [PythonLibrariesFact]
    public void Pool_Fork_SameSeedTwiceGivesIdenticalDistinctWorkerDraws() => SameSeedTwice("fork");

    [PythonLibrariesFact]
    public void Pool_Spawn_SameSeedTwiceGivesIdenticalDistinctWorkerDraws() => SameSeedTwice("spawn");

    [PythonLibrariesFact]
    public void Pool_Fork_TwoSeedsDiffer() => TwoSeedsDiffer("fork");

    [PythonLibrariesFact]
    public void Pool_Spawn_TwoSeedsDiffer() => TwoSeedsDiffer("spawn");

    [PythonLibrariesFact]
    public void Pool_Fork_EveryWorkerReportsItsDocumentedStream() => WorkersReport("fork");

    [PythonLibrariesFact]
    public void Pool_Spawn_EveryWorkerReportsItsDocumentedStream() => WorkersReport("spawn");

    private void SameSeedTwice(string method)
    {
        var first = Pool(method, 42);
        var second = Pool(method, 42);

        Assert.Equal(first.Stdout, second.Stdout);
        var workers = first.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, workers.Length);
        foreach (var generator in Enumerable.Range(0, 3))
        {
            // Distinct workers draw distinct numbers from every generator: none repeats its parent's state.
            Assert.Equal(3, workers.Select(line => line.Split(' ')[generator]).Distinct(StringComparer.Ordinal).Count());
        }
    }

    private void TwoSeedsDiffer(string method)
    {
        Assert.NotEqual(Pool(method, 42).Stdout, Pool(method, 43).Stdout);
    }

    private void WorkersReport(string method)
    {
        var result = Pool(method, 42);

        var report = result.Report;
        Assert.Empty(report.Warnings);
        Assert.Equal(result.ReportLines.Count, report.Processes.Count);
        var root = report.Processes.First(process => process.Stream == "/" && process.Libraries.Any(library => library.Name == "numpy"));
        var workers = report.Processes.Where(process => process.Stream != "/").ToList();
        Assert.Equal(["/mp:1", "/mp:2", "/mp:3"], workers.Select(worker => worker.Stream));
        Assert.All(workers, worker =>
        {
            Assert.Equal(root.Pid, worker.Ppid);
            Assert.Equal(StreamSeeds.Derive(42, worker.Stream!), worker.Seed);
            Assert.Contains(worker.Libraries, library => library.Name == "numpy" && library.Seed == worker.Seed && library.At == "worker");
            Assert.Contains(worker.Libraries, library => library.Name == "random" && library.Seed == worker.Seed);
        });
    }

    private PythonResult Pool(string method, long seed) =>
        _python.Run(PythonInterpreters.RequireWithLibraries(), SeedMode.Hooked, seed, [HookedPython.Script("pool.py"), method]).Succeeded();
}
