using Repro.Core.Capture.Data;
using Repro.Core.Remotes;
using Repro.Core.Runs;
using Repro.Core.Store;
using Repro.Core.Verification.Comparison;

namespace Repro.Core.Verification;

/// <summary>What <c>repro verify</c> was asked to do.</summary>
public sealed record VerifyRequest
{
    /// <summary>The store holding the run.</summary>
    public required RunStore Store { get; init; }

    /// <summary>The run id to verify (already resolved).</summary>
    public required string RunId { get; init; }

    /// <summary>Tolerance for numbers in outputs and metrics without their own (default exact).</summary>
    public ComparisonTolerance Tolerance { get; init; } = ComparisonTolerance.Exact;

    /// <summary>Re-run in the project directory itself, which must equal the recorded state.</summary>
    public bool InPlace { get; init; }

    /// <summary>Ignore the hash cache.</summary>
    public bool Rehash { get; init; }

    /// <summary>--strict: every warning about the recorded MLproject is an error, and nothing runs.</summary>
    public bool Strict { get; init; }

    /// <summary>Re-created output files up to this size are kept in the object store (0: none).</summary>
    public long ObjectSizeLimit { get; init; } = ObjectStore.DefaultMaxFileBytes;

    /// <summary>repro's own environment.</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    /// <summary>Where the re-run's standard output is echoed.</summary>
    public Stream? EchoStdout { get; init; }

    /// <summary>Where the re-run's standard error is echoed.</summary>
    public Stream? EchoStderr { get; init; }

    /// <summary>Hashing progress.</summary>
    public IProgress<HashProgress>? HashProgress { get; init; }

    /// <summary>--strict-env: a Python environment that resolves differently from the recorded one makes the run NOT_VERIFIABLE before it runs.</summary>
    public bool StrictEnvironment { get; init; }

    /// <summary>Receives one line per slow step (fetching the code again, building the environment); may be null.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Receives every line git, venv and pip print; may be null.</summary>
    public Action<string>? ToolOutput { get; init; }

    /// <summary>
    /// Opens the default remote of the project at the given directory, to fetch objects the store lacks (a changed
    /// input's recorded content, a recorded output); returns null when none is set. Called only when one is missing.
    /// </summary>
    public Func<string, IRemoteStorage?>? OpenDefaultRemote { get; init; }

    /// <summary>
    /// Where the command was started: when the recorded project folder does not exist (a run pulled from a teammate),
    /// the same project in the clone of its repository around this folder is verified. Null uses the record only.
    /// </summary>
    public string? CurrentDirectory { get; init; }

    /// <summary>Where the temporary checkout is made; the system temporary folder when null.</summary>
    public string? CheckoutParent { get; init; }
}

/// <summary>What <c>repro verify</c> found.</summary>
/// <param name="Verdict">The verdict.</param>
/// <param name="Summary">One line.</param>
/// <param name="Original">The verified run's manifest (unchanged).</param>
/// <param name="Verification">The verification run's manifest; null when nothing could be run.</param>
/// <param name="Outputs">Each output compared.</param>
/// <param name="Metrics">Each metric compared.</param>
/// <param name="Problems">Why the run is not verifiable, one line each.</param>
/// <param name="LikelyCauses">The text naming recorded factors that differ (empty when nothing ran).</param>
public sealed record VerifyOutcome(
    Verdict Verdict,
    string Summary,
    RunManifest Original,
    RunManifest? Verification,
    IReadOnlyList<OutputComparison> Outputs,
    IReadOnlyList<MetricComparison> Metrics,
    IReadOnlyList<string> Problems,
    string LikelyCauses)
{
    /// <summary>What verify repaired or worked around on the way (a damaged hash cache, a manifest whose runId disagrees with its folder).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Inputs that differed in the workspace and were written into the verify checkout from the store.</summary>
    public IReadOnlyList<RestoredInput> RestoredInputs { get; init; } = [];
}

/// <summary>One output file compared.</summary>
/// <param name="Path">Path relative to the project.</param>
/// <param name="Result">The comparison.</param>
public sealed record OutputComparison(string Path, ComparisonResult Result);
