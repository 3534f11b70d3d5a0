using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Repro.Core.Runs;

/// <summary>
/// The record of one run: everything needed to re-create it and to prove the re-creation.
/// Serialized as <c>run.json</c> (camelCase, UTC ISO-8601 times); <c>docs/run-manifest.schema.json</c> describes it.
/// </summary>
public sealed record RunManifest
{
    /// <summary>The manifest format this code writes. Bump on any breaking change and document it in docs/.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>Version of the manifest format.</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Unique, time-sortable id of the run; also the name of its folder in the store.</summary>
    public required string RunId { get; init; }

    /// <summary>Free-form name given with <c>--run-name</c>.</summary>
    public string? RunName { get; init; }

    /// <summary>Experiment the run belongs to, given with <c>--experiment-name</c>.</summary>
    public string? ExperimentName { get; init; }

    /// <summary>Where the run stands.</summary>
    public required RunStatus Status { get; init; }

    /// <summary>Why the run ended as it did, when that needs saying (a missing output, a signal).</summary>
    public string? StatusMessage { get; init; }

    /// <summary>For a verification run, the id of the run it re-executes; null otherwise.</summary>
    public string? Verifies { get; init; }

    /// <summary>
    /// For a pipeline step that the run cache reused, the id of the earlier run whose outputs were restored; no child
    /// started. Null for a run that executed.
    /// </summary>
    public string? ReusedFrom { get; init; }

    /// <summary>For a pipeline step, the SHA-256 of its run-cache key (docs/manifest.md); null for other runs.</summary>
    public string? RunCacheKey { get; init; }

    /// <summary>The repro build that wrote the manifest.</summary>
    public required ToolRecord Repro { get; init; }

    /// <summary>The project and its MLproject file.</summary>
    public required ProjectRecord Project { get; init; }

    /// <summary>Where the project was fetched from when it was named by a URI (a git URL, or a local repository at a version); null for a local folder used in place.</summary>
    public ProjectSourceRecord? Source { get; init; }

    /// <summary>The entry point that ran.</summary>
    public required EntryPointRecord EntryPoint { get; init; }

    /// <summary>Every parameter, declared or extra, in the order it was rendered.</summary>
    public required IReadOnlyList<ParameterRecord> Parameters { get; init; }

    /// <summary>The command the child ran.</summary>
    public required CommandRecord Command { get; init; }

    /// <summary>The run's seed and where it came from.</summary>
    public required SeedRecord Seed { get; init; }

    /// <summary>Determinism switches set in the child's environment before it started.</summary>
    public required DeterminismRecord Determinism { get; init; }

    /// <summary>The code: commit, branch, remote and uncommitted changes.</summary>
    public required GitRecord Git { get; init; }

    /// <summary>The machine, runtimes, lock files and allow-listed environment variables.</summary>
    public required EnvironmentRecord Environment { get; init; }

    /// <summary>The Python environment repro built or reused from the project's <c>python_env</c> (<c>--env-manager virtualenv</c>); null otherwise.</summary>
    public PythonEnvironmentRecord? PythonEnvironment { get; init; }

    /// <summary>How the child ran; null until it has started.</summary>
    public ExecutionRecord? Execution { get; init; }

    /// <summary>Fingerprints of the declared inputs and <c>path</c> parameters, taken before the child started.</summary>
    public IReadOnlyList<DataRecord> Inputs { get; init; } = [];

    /// <summary>Fingerprints of the declared outputs, taken after the child exited.</summary>
    public IReadOnlyList<DataRecord> Outputs { get; init; } = [];

    /// <summary>Metrics the entry point wrote; null when it wrote none.</summary>
    public MetricsRecord? Metrics { get; init; }

    /// <summary>What Repro.Sdk reported it set and read back inside the child; null when the child did not use it.</summary>
    public JsonObject? Sdk { get; init; }

    /// <summary>
    /// Whether repro's start-up hook seeded the run's Python processes, and what each reported (docs/python.md); null
    /// in a manifest written before repro had the hook, whose child ran without it.
    /// </summary>
    public PythonRecord? Python { get; init; }

    /// <summary>Warnings given while preparing or running, in the order they were given.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>For a verification run, the verdict and every comparison behind it; null otherwise.</summary>
    public VerificationRecord? Verification { get; init; }

    /// <summary>For a run submitted to a cluster (<c>--backend slurm</c>), the job and the node it ran on; absent otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SchedulerRecord? Scheduler { get; init; }

    /// <summary>For a point of a sweep, the sweep and the point's index; absent otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SweepPoint? Sweep { get; init; }
}

/// <summary>Where a run stands.</summary>
[JsonConverter(typeof(ManifestEnumConverter<RunStatus>))]
public enum RunStatus
{
    /// <summary>The child is running, or repro died before it could record the end.</summary>
    [JsonStringEnumMemberName("RUNNING")]
    Running,

    /// <summary>The child exited with 0 and every declared output exists.</summary>
    [JsonStringEnumMemberName("FINISHED")]
    Finished,

    /// <summary>The child exited non-zero, or a declared output is missing.</summary>
    [JsonStringEnumMemberName("FAILED")]
    Failed,

    /// <summary>The run was interrupted (Ctrl-C, SIGTERM) and its process tree stopped.</summary>
    [JsonStringEnumMemberName("KILLED")]
    Killed,

    /// <summary>
    /// Never written into a manifest: what reading commands show for a run whose manifest says RUNNING (or that has no
    /// manifest at all) while no repro process holds its lock any more. repro was killed, or its disk filled, before it
    /// could record the end.
    /// </summary>
    [JsonStringEnumMemberName("ABANDONED")]
    Abandoned,

    /// <summary>Never written into a manifest: what <c>repro list</c> shows for a run whose <c>run.json</c> cannot be read.</summary>
    [JsonStringEnumMemberName("DAMAGED")]
    Damaged,

    /// <summary>Submitted to a cluster's scheduler (<c>--backend slurm</c>); the job has not started the run yet.</summary>
    [JsonStringEnumMemberName("QUEUED")]
    Queued,
}

/// <summary>The repro build that wrote a manifest.</summary>
/// <param name="Version">Informational version of the repro assembly.</param>
public sealed record ToolRecord(string Version);

/// <summary>The project a run came from.</summary>
/// <param name="Name">The MLproject <c>name</c>, when given.</param>
/// <param name="Directory">Absolute path of the project directory.</param>
/// <param name="File">File name of the MLproject file inside the project directory; null when it has none (its scripts ran by name).</param>
/// <param name="Environment">The environment the MLproject file declares.</param>
public sealed record ProjectRecord(string? Name, string Directory, string? File, ProjectEnvironmentRecord Environment);

/// <summary>The environment an MLproject file declares (<c>python_env</c>, <c>conda_env</c> or <c>docker_env</c>).</summary>
/// <param name="Kind">The MLproject key, or null when none is declared.</param>
/// <param name="File">The env file relative to the project, for <c>python_env</c> and <c>conda_env</c>.</param>
/// <param name="Sha256">SHA-256 of that file.</param>
/// <param name="Image">The Docker image, for <c>docker_env</c>.</param>
/// <param name="Manager">How the environment was provided: <c>local</c> (the host as it is) or <c>virtualenv</c> (built from <c>python_env</c>).</param>
public sealed record ProjectEnvironmentRecord(string? Kind, string? File, string? Sha256, string? Image, string Manager);

/// <summary>The entry point that ran.</summary>
/// <param name="Name">The name given with <c>-e</c>.</param>
/// <param name="Kind">Declared, or a script of the project run directly.</param>
public sealed record EntryPointRecord(string Name, EntryPointKind Kind);

/// <summary>One parameter as given and as passed to the command.</summary>
/// <param name="Name">Parameter name (case-sensitive).</param>
/// <param name="Type">Declared type word, or <c>string</c> for undeclared ones.</param>
/// <param name="Source">Given with <c>-P</c>, the declared default, or given but not declared.</param>
/// <param name="Given">The text the user gave, or the default's source text.</param>
/// <param name="Value">The value substituted into the command (for <c>path</c>, the absolute path).</param>
public sealed record ParameterRecord(string Name, ParameterType Type, ParameterSource Source, string Given, string Value);

/// <summary>The command a run executed.</summary>
/// <param name="Rendered">The command line after substitution and quoting.</param>
/// <param name="Argv">The exact argument vector started (<c>bash -c RENDERED</c>).</param>
/// <param name="WorkingDirectory">Absolute working directory of the child.</param>
public sealed record CommandRecord(string Rendered, IReadOnlyList<string> Argv, string WorkingDirectory);

/// <summary>The run's seed.</summary>
/// <param name="Value">The seed, 0 to 4294967295 (see <see cref="RunSeed"/>).</param>
/// <param name="Source">--seed, the MLproject's top-level <c>seed:</c>, or drawn at random.</param>
public sealed record SeedRecord(uint Value, SeedSource Source);

/// <summary>The determinism switches in the child's environment.</summary>
/// <param name="Variables">Every variable repro set or found already set, with why it matters.</param>
/// <param name="Threads">The thread count pinned with <c>--threads</c>, if any.</param>
public sealed record DeterminismRecord(IReadOnlyList<DeterminismVariable> Variables, int? Threads);

/// <summary>One determinism variable in the child's environment.</summary>
/// <param name="Name">Variable name.</param>
/// <param name="Value">Its value in the child.</param>
/// <param name="SetBy">repro, or the user or the MLproject's <c>env:</c> when it was already set and repro left it alone.</param>
/// <param name="Reason">Why it must exist before the child starts.</param>
public sealed record DeterminismVariable(string Name, string Value, VariableSetter SetBy, string Reason);

/// <summary>The code a run came from.</summary>
public sealed record GitRecord
{
    /// <summary>Whether the code could be tied to a commit.</summary>
    public required GitState State { get; init; }

    /// <summary>Absolute path of the repository's working tree.</summary>
    public string? RepositoryRoot { get; init; }

    /// <summary>The project directory relative to the working tree root, with forward slashes ("" for the root).</summary>
    public string? ProjectPath { get; init; }

    /// <summary>Full SHA of HEAD.</summary>
    public string? Commit { get; init; }

    /// <summary>Committer time of HEAD (UTC).</summary>
    public DateTimeOffset? CommitTime { get; init; }

    /// <summary>Branch name, or null when HEAD is detached.</summary>
    public string? Branch { get; init; }

    /// <summary>Whether HEAD is detached.</summary>
    public bool Detached { get; init; }

    /// <summary>Name of the first remote.</summary>
    public string? RemoteName { get; init; }

    /// <summary>URL of the first remote, with any credentials removed.</summary>
    public string? RemoteUrl { get; init; }

    /// <summary>Whether tracked files differ from HEAD or untracked, non-ignored files exist.</summary>
    public bool Dirty { get; init; }

    /// <summary>The patch of tracked changes against HEAD, when there are any.</summary>
    public StoredFileRecord? Patch { get; init; }

    /// <summary>Untracked, non-ignored files: listed, never copied.</summary>
    public IReadOnlyList<FileRecord> Untracked { get; init; } = [];

    /// <summary>The repository's submodules (top level), each with the commit checked out when the run started.</summary>
    public IReadOnlyList<SubmoduleRecord> Submodules { get; init; } = [];
}

/// <summary>A git submodule as the run found it.</summary>
public sealed record SubmoduleRecord
{
    /// <summary>Its path in the superproject's working tree, forward slashes.</summary>
    public required string Path { get; init; }

    /// <summary>Its URL from <c>.gitmodules</c>, with any credentials removed.</summary>
    public string? Url { get; init; }

    /// <summary>The commit checked out in it (full SHA); null when it was not initialised (an empty folder).</summary>
    public string? Commit { get; init; }

    /// <summary>Whether its files differ from that commit or it holds untracked, non-ignored files.</summary>
    public bool Dirty { get; init; }

    /// <summary>The patch of its tracked changes against its commit (a file in the run folder), when there are any.</summary>
    public StoredFileRecord? Patch { get; init; }

    /// <summary>Its untracked, non-ignored files, with paths relative to the superproject's working tree: listed, never copied.</summary>
    public IReadOnlyList<FileRecord> Untracked { get; init; } = [];
}

/// <summary>A file written into the run folder.</summary>
/// <param name="File">Name relative to the run folder.</param>
/// <param name="Sha256">SHA-256 of its bytes, lower-case hex.</param>
/// <param name="Bytes">Its size.</param>
public sealed record StoredFileRecord(string File, string Sha256, long Bytes);

/// <summary>A file fingerprint.</summary>
/// <param name="Path">Path relative to the project (or repository, for untracked files), forward slashes.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Sha256">SHA-256, lower-case hex; null for a symbolic link that points outside the project.</param>
public sealed record FileRecord(string Path, long Size, string? Sha256)
{
    /// <summary>For a symbolic link, its target as stored in the link.</summary>
    public string? LinkTarget { get; init; }

    /// <summary>Whether a copy of the content is in the store's object store.</summary>
    public bool Stored { get; init; }
}

/// <summary>How the child ran.</summary>
public sealed record ExecutionRecord
{
    /// <summary>When the child started (UTC).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the run ended (UTC); null while running.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Wall time in seconds.</summary>
    public double? DurationSeconds { get; init; }

    /// <summary>The child's exit code; null while running or when it was killed by a signal.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The signal that ended or interrupted the run, such as SIGINT.</summary>
    public string? Signal { get; init; }

    /// <summary>User CPU seconds of the child and its waited-for descendants.</summary>
    public double? CpuUserSeconds { get; init; }

    /// <summary>System CPU seconds of the child and its waited-for descendants.</summary>
    public double? CpuSystemSeconds { get; init; }

    /// <summary>Largest resident set seen in the child's process tree, in bytes.</summary>
    public long? PeakMemoryBytes { get; init; }

    /// <summary>The child's standard output, as saved in the run folder.</summary>
    public StoredFileRecord? Stdout { get; init; }

    /// <summary>The child's standard error, as saved in the run folder.</summary>
    public StoredFileRecord? Stderr { get; init; }
}

/// <summary>The fingerprint of one declared input or output.</summary>
/// <param name="Spec">The entry as declared (a file, directory or glob), or the parameter's value.</param>
/// <param name="Kind">A file, a directory or a glob.</param>
/// <param name="Origin">The entry point's inputs or outputs, or a <c>path</c> parameter.</param>
/// <param name="Digest">For a file, its SHA-256; for a directory or glob, the SHA-256 of its sorted <c>path NUL sha256 LF</c> lines.</param>
/// <param name="Files">Every file it covers, sorted by path.</param>
public sealed record DataRecord(string Spec, DataKind Kind, DataOrigin Origin, string Digest, IReadOnlyList<FileRecord> Files)
{
    /// <summary>
    /// False when the MLproject declared the entry <c>store: false</c>, so no copy of its files was kept on purpose;
    /// null (not written) otherwise.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Store { get; init; }
}

/// <summary>Metrics the entry point wrote.</summary>
/// <param name="File">The metrics file relative to the project, or to the run folder when repro chose it.</param>
/// <param name="Sha256">SHA-256 of the file, when it exists.</param>
/// <param name="Values">Name to number.</param>
public sealed record MetricsRecord(string? File, string? Sha256, IReadOnlyDictionary<string, double> Values);

/// <summary>What <c>repro verify</c> concluded, stored in the verification run's manifest.</summary>
/// <param name="Verdict">The verdict.</param>
/// <param name="Summary">One line saying why.</param>
/// <param name="Rtol">The relative tolerance given with --rtol.</param>
/// <param name="Atol">The absolute tolerance given with --atol.</param>
/// <param name="Outputs">Each recorded (or newly appeared) output file compared.</param>
/// <param name="Metrics">Each metric compared.</param>
/// <param name="LikelyCauses">Recorded factors that differ between the two runs.</param>
public sealed record VerificationRecord(
    Verdict Verdict,
    string Summary,
    double Rtol,
    double Atol,
    IReadOnlyList<OutputCheck> Outputs,
    IReadOnlyList<MetricCheck> Metrics,
    IReadOnlyList<string> LikelyCauses)
{
    /// <summary>
    /// Inputs that no longer matched the record in the workspace and were written into the verify checkout from the
    /// object store instead, so the re-run read exactly what the run read.
    /// </summary>
    public IReadOnlyList<RestoredInput> RestoredInputs { get; init; } = [];
}

/// <summary>An input a verification took from the object store because the workspace copy differed from the record.</summary>
/// <param name="Path">Path relative to the project, forward slashes.</param>
/// <param name="Sha256">The recorded digest, whose object was restored.</param>
/// <param name="From"><c>store</c>, or <c>store (fetched from REMOTE)</c> when the object came from the default remote.</param>
public sealed record RestoredInput(string Path, string Sha256, string From);

/// <summary>The verdict of <c>repro verify</c>.</summary>
[JsonConverter(typeof(ManifestEnumConverter<Verdict>))]
public enum Verdict
{
    /// <summary>Every output and metric is bit-identical.</summary>
    [JsonStringEnumMemberName("REPRODUCED")]
    Reproduced,

    /// <summary>Same content modulo container metadata, or within the given tolerance.</summary>
    [JsonStringEnumMemberName("EQUIVALENT")]
    Equivalent,

    /// <summary>Some output or metric differs beyond tolerance, or the re-run failed.</summary>
    [JsonStringEnumMemberName("DIFFERENT")]
    Different,

    /// <summary>The run could not be re-created: a changed or missing input, untracked file or commit.</summary>
    [JsonStringEnumMemberName("NOT_VERIFIABLE")]
    NotVerifiable,
}

/// <summary>One output file compared with its recorded version.</summary>
/// <param name="Path">Path relative to the project.</param>
/// <param name="Outcome">Identical, equivalent or different.</param>
/// <param name="Comparer">Which comparison decided.</param>
/// <param name="Summary">One line.</param>
/// <param name="Details">Where and by how much.</param>
public sealed record OutputCheck(string Path, ComparisonOutcome Outcome, ComparerName Comparer, string Summary, IReadOnlyList<string> Details);

/// <summary>One metric compared with its recorded value.</summary>
/// <param name="Name">Metric name.</param>
/// <param name="Recorded">Recorded value.</param>
/// <param name="Actual">Re-created value.</param>
/// <param name="Outcome">Identical, equivalent or different.</param>
/// <param name="Summary">One line.</param>
public sealed record MetricCheck(string Name, double? Recorded, double? Actual, ComparisonOutcome Outcome, string Summary);
