using Repro.Core.Capture.Data;
using Repro.Core.Projects;
using Repro.Core.Runs;
using Repro.Core.Sources;

namespace Repro.Core.Execution;

/// <summary>Everything <c>repro run</c> was asked to do.</summary>
public sealed record RunRequest
{
    /// <summary>The project directory, used when <see cref="Uri"/> is null.</summary>
    public string ProjectDirectory { get; init; } = ".";

    /// <summary>
    /// The project as a URI in MLflow's syntax (a local folder, a git URL, an optional <c>#subdirectory</c>), resolved by
    /// <see cref="ResolveProjectStage"/>; null when <see cref="ProjectDirectory"/> names the project.
    /// </summary>
    public ProjectUri? Uri { get; init; }

    /// <summary>The branch, tag or commit of a git project (<c>--version</c>); null for the default branch.</summary>
    public string? Version { get; init; }

    /// <summary>Entry point name (default <c>main</c>).</summary>
    public string EntryPoint { get; init; } = "main";

    /// <summary>The <c>-P key=value</c> pairs, in the order given.</summary>
    public GivenParameters Parameters { get; init; } = GivenParameters.None;

    /// <summary>The seed given with --seed.</summary>
    public uint? Seed { get; init; }

    /// <summary>Name given with --run-name.</summary>
    public string? RunName { get; init; }

    /// <summary>Experiment given with --experiment-name.</summary>
    public string? ExperimentName { get; init; }

    /// <summary>The store folder (already chosen from --store, REPRO_STORE or the default).</summary>
    public required string StoreDirectory { get; init; }

    /// <summary>Refuse to run from a dirty working tree.</summary>
    public bool RequireClean { get; init; }

    /// <summary>Thread count to pin with --threads.</summary>
    public int? Threads { get; init; }

    /// <summary>--env-manager: <c>local</c>, <c>virtualenv</c> or <c>conda</c> (refused); null for MLflow's default (virtualenv for a python_env, else local).</summary>
    public string? EnvManager { get; init; }

    /// <summary>--python: the interpreter a virtualenv is made from; null to search PATH and pyenv.</summary>
    public string? Python { get; init; }

    /// <summary>--rebuild-env: build the virtualenv anew even when one with the same key exists.</summary>
    public bool RebuildEnvironment { get; init; }

    /// <summary>Receives one line per slow step repro takes before the run (cloning, building an environment); may be null.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Receives every line git, venv and pip print while the run is prepared; may be null.</summary>
    public Action<string>? ToolOutput { get; init; }

    /// <summary>Ignore the hash cache and read every file.</summary>
    public bool Rehash { get; init; }

    /// <summary>--strict: every MLproject warning about this entry point is an error, and nothing runs.</summary>
    public bool Strict { get; init; }

    /// <summary>
    /// Whether repro's Python start-up hook may seed the run (docs/python.md); <c>--no-auto-seed</c> makes it false.
    /// The MLproject's <c>auto_seed: false</c> turns the hook off too; a verification replays the recorded choice.
    /// </summary>
    public bool AutoSeed { get; init; } = true;

    /// <summary>Output and metrics files up to this size are copied into the store's object store (0: none).</summary>
    public long ObjectSizeLimit { get; init; } = ObjectStore.DefaultMaxFileBytes;

    /// <summary>repro's own environment, from which the child's is built and the allow-list is recorded.</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    /// <summary>Where the child's standard output is echoed live.</summary>
    public Stream? EchoStdout { get; init; }

    /// <summary>Where the child's standard error is echoed live.</summary>
    public Stream? EchoStderr { get; init; }

    /// <summary>How long a forwarded signal may take before the tree is killed.</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Progress of hashing inputs and outputs.</summary>
    public IProgress<HashProgress>? HashProgress { get; init; }

    /// <summary>For a verification run: what to re-create exactly instead of choosing afresh.</summary>
    public RunReplay? Replay { get; init; }

    /// <summary>
    /// The id of the QUEUED run this process executes in its snapshot (on a cluster node, or as a local sweep's point).
    /// The run is recorded in that run's own folder (not a new one), with <see cref="Replay"/> giving its recorded seed
    /// and code; a cluster job also sets <see cref="WritesIndex"/> false. Null for every other run.
    /// </summary>
    public string? RecordedRun { get; init; }

    /// <summary>The cluster job that runs it, recorded in the manifest from the start; null for a run on this host.</summary>
    public SchedulerRecord? Scheduler { get; init; }

    /// <summary>Whether the run brings the store's SQLite index up to date; false inside a cluster job (<see cref="Store.RunStore.ForJob"/>).</summary>
    public bool WritesIndex { get; init; } = true;

    /// <summary>The sweep this run is a point of, recorded in the manifest; null otherwise.</summary>
    public SweepPoint? Sweep { get; init; }
}

/// <summary>What a verification run takes from the run it verifies.</summary>
/// <param name="Verifies">The id of the run being verified.</param>
/// <param name="Seed">The recorded seed.</param>
/// <param name="Determinism">The recorded determinism variables, applied exactly.</param>
/// <param name="Git">The recorded code state (the checkout was materialised from it).</param>
/// <param name="AutoSeed">Whether the Python hook seeded the run (false for a manifest written before repro had it).</param>
public sealed record RunReplay(string Verifies, SeedRecord Seed, IReadOnlyList<DeterminismVariable> Determinism, GitRecord Git, bool AutoSeed)
{
    /// <summary>Where the recorded project was fetched from (the copy was made from that commit in the cache); null for a local folder.</summary>
    public ProjectSourceRecord? Source { get; init; }

    /// <summary>The recorded Python environment, which the rebuilt (or reused) one is compared with; null when the run had none.</summary>
    public PythonEnvironmentRecord? PythonEnvironment { get; init; }

    /// <summary>--strict-env: an environment that resolves differently from <see cref="PythonEnvironment"/> stops the run before it starts.</summary>
    public bool StrictEnvironment { get; init; }

    /// <summary>
    /// The recorded run's output digests by path relative to the project: outputs that hash to them are recorded
    /// without being copied into the object store again (see <see cref="Capture.Data.FingerprintOptions.ExpectedOutputs"/>).
    /// </summary>
    public IReadOnlyDictionary<string, string>? OutputDigests { get; init; }
}

/// <summary>How a run ended.</summary>
/// <param name="Manifest">The final manifest.</param>
/// <param name="RunDirectory">The run folder.</param>
/// <param name="ManifestPath">The manifest file.</param>
public sealed record RunOutcome(RunManifest Manifest, string RunDirectory, string ManifestPath);
