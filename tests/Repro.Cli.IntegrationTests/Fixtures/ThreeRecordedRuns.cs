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

    /// <summary>Makes the same project with the same three runs in a new folder, for tests that change the store.</summary>
    public static ThreeRecordedRuns Fresh() => new();
}
