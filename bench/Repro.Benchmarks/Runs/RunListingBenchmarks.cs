using BenchmarkDotNet.Attributes;
using Repro.Core.Runs;
using Repro.Core.Store;

namespace Repro.Benchmarks.Runs;

/// <summary>
/// What <c>repro list</c> does inside the process, on a store of <see cref="RunCount"/> runs made by
/// <see cref="SyntheticStore"/>: bring the SQLite index in line with the manifests, then read every run newest first.
/// Warm: the index is current, so synchronising costs one directory listing and one stat per run. Rebuild: the index
/// was deleted, so every run.json is read and parsed again.
/// </summary>
[Config(typeof(OneCallPerIterationConfig))]
public class RunListingBenchmarks
{
    /// <summary>Runs in the store.</summary>
    public const int RunCount = 10_000;

    private string _root = "";
    private RunStore? _store;

    /// <summary>The store under test.</summary>
    public RunStore Store => _store ?? throw new InvalidOperationException("call Setup first");

    /// <summary>Makes the store and its index.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _root = Path.Combine(Directory.CreateTempSubdirectory("repro-bench-list-").FullName, "store");
        _store = SyntheticStore.Create(_root, RunCount);
        SynchronizeAndQuery();
    }

    /// <summary>Removes the store.</summary>
    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(Path.GetDirectoryName(_root)!, recursive: true);

    /// <summary>Deletes the index before each rebuild iteration.</summary>
    [IterationSetup(Target = nameof(RebuildAndQuery))]
    public void DeleteIndex()
    {
        foreach (var file in Directory.EnumerateFiles(Store.Root, "index.db*"))
        {
            File.Delete(file);
        }
    }

    /// <summary>Synchronise a current index and read all runs: the everyday <c>repro list</c>.</summary>
    [Benchmark(Baseline = true)]
    public int SynchronizeAndQuery()
    {
        using var index = RunIndex.Open(Store);
        index.Synchronize();
        return index.Query(new RunQuery()).Count;
    }

    /// <summary>Rebuild the index from every manifest, then read all runs.</summary>
    [Benchmark]
    public int RebuildAndQuery() => SynchronizeAndQuery();
}
