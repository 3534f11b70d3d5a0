namespace Repro.Cli.IntegrationTests.Fixtures;

/// <summary>
/// A project with three runs, made once per test class for tests that only read them (each run costs a process start):
/// <c>train</c> with lr=0.5 in experiment exp-a, a failed <c>broken</c> run, and <c>train</c> with the default lr in
/// exp-b, in that order.
/// </summary>
public sealed class ThreeRecordedRuns : ReproTestBase
{
    public const string MLproject = """
        entry_points:
          train:
            parameters:
              lr: {type: float, default: 0.1}
            command: "python3 -c 'import json; json.dump({{\"loss\": 1 / (1 + {lr})}}, open(\"metrics.json\", \"w\"))'"
            metrics: metrics.json
          broken:
            command: "exit 4"
        """;

    public ThreeRecordedRuns()
    {
        (Project, Git) = CommittedProject(("MLproject", MLproject), (".gitignore", "metrics.json\n"));
        var first = RunOnce(Project, "-e", "train", "-P", "lr=0.5", "--experiment-name", "exp-a");
        Assert.Equal(1, Repro.Run(Project, "run", ".", "-e", "broken").ExitCode);
        var second = RunIds(StoreOf(Project)).Single(id => id != first);
        var third = RunOnce(Project, "-e", "train", "--experiment-name", "exp-b");
        Ids = [first, second, third];
    }

    public string Project { get; }

    public GitRepository Git { get; }

    /// <summary>The run ids, oldest first.</summary>
    public IReadOnlyList<string> Ids { get; }

    public string Store => StoreOf(Project);

    /// <summary>The run ids, newest first, as <c>repro list</c> gives them.</summary>
    public IEnumerable<string> Newest() => Ids.Reverse();

    /// <summary>A repro to call; tests must not change its environment.</summary>
    public ReproProcess Cli => Repro;

    /// <summary>
    /// A copy of the store (manifests, logs and index), for tests that change it: a copy costs no process, where
    /// recording the three runs again would cost three.
    /// </summary>
    public StoreCopy CopyStore() => new(this);
}

/// <summary>A private copy of <see cref="ThreeRecordedRuns"/>' store, deleted on dispose.</summary>
public sealed class StoreCopy : IDisposable
{
    private readonly TempDirectory _temp = new("store-copy");

    internal StoreCopy(ThreeRecordedRuns shared)
    {
        Shared = shared;
        Store = _temp.Combine("store");
        Copy(shared.Store, Store);
    }

    public ThreeRecordedRuns Shared { get; }

    /// <summary>The copied store.</summary>
    public string Store { get; }

    /// <summary>Where commands run; outside any store, so only --store names one.</summary>
    public string WorkingDirectory => _temp.Path;

    public IReadOnlyList<string> Ids => Shared.Ids;

    public IEnumerable<string> Newest() => Shared.Newest();

    public void Dispose() => _temp.Dispose();

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.EnumerateDirectories(from))
        {
            Copy(directory, Path.Combine(to, Path.GetFileName(directory)));
        }
    }
}
