using Repro.Core.Capture.Data;
using Repro.Core.Projects;
using Repro.Core.Runs;

namespace Repro.Core.Execution;

/// <summary>Everything <c>repro run</c> was asked to do.</summary>
public sealed record RunRequest
{
    /// <summary>The project directory.</summary>
    public required string ProjectDirectory { get; init; }

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

    /// <summary>--env-manager; only <c>local</c> is supported.</summary>
    public string? EnvManager { get; init; }

    /// <summary>Ignore the hash cache and read every file.</summary>
    public bool Rehash { get; init; }

    /// <summary>--strict: every MLproject warning about this entry point is an error, and nothing runs.</summary>
    public bool Strict { get; init; }

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
}

/// <summary>What a verification run takes from the run it verifies.</summary>
/// <param name="Verifies">The id of the run being verified.</param>
/// <param name="Seed">The recorded seed.</param>
/// <param name="Determinism">The recorded determinism variables, applied exactly.</param>
/// <param name="Git">The recorded code state (the checkout was materialised from it).</param>
public sealed record RunReplay(string Verifies, SeedRecord Seed, IReadOnlyList<DeterminismVariable> Determinism, GitRecord Git);

/// <summary>How a run ended.</summary>
/// <param name="Manifest">The final manifest.</param>
/// <param name="RunDirectory">The run folder.</param>
/// <param name="ManifestPath">The manifest file.</param>
public sealed record RunOutcome(RunManifest Manifest, string RunDirectory, string ManifestPath);
