using Repro.Core.Capture.Data;
using Repro.Core.Capture.Git;
using Repro.Core.Capture.Results;
using Repro.Core.Environments.Python;
using Repro.Core.Execution.Backends;
using Repro.Core.FileSystem;
using Repro.Core.Processes;
using Repro.Core.Projects;
using Repro.Core.Runs;
using Repro.Core.Sources;
using Repro.Core.Store;

namespace Repro.Core.Execution;

/// <summary>
/// Everything one run has learnt so far, handed from stage to stage (<see cref="IRunStage"/>). Each fact is set by the
/// stage that learns it; reading one before it is set is a mistake in the order of the stages and says so.
/// After <see cref="Start"/> the manifest is the record: each later stage adds what it learns to <see cref="Manifest"/>.
/// </summary>
public sealed class RunContext : IDisposable
{
    private string? _projectDirectory;
    private string? _codeDirectory;
    private LoadedProject? _loaded;
    private RenderedCommand? _command;
    private SeedRecord? _seed;
    private AutoSeedChoice? _autoSeed;
    private RunStore? _store;
    private RunFolder? _folder;
    private Fingerprinter? _fingerprinter;
    private MetricsFile? _metricsFile;
    private ProjectRecord? _projectRecord;
    private GitRecord? _git;
    private EnvironmentRecord? _environment;
    private IReadOnlyList<DataRecord>? _inputs;
    private ChildEnvironment? _childEnvironment;
    private RunManifest? _manifest;
    private ChildProcessResult? _result;

    /// <summary>A run about to be resolved.</summary>
    /// <param name="request">What the user asked for.</param>
    /// <param name="interruption">Signals the user sends while it runs.</param>
    public RunContext(RunRequest request, Interruption interruption)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(interruption);
        Request = request;
        Interruption = interruption;
        InheritedEnvironment = new Dictionary<string, string>(request.Environment, StringComparer.Ordinal);
    }

    /// <summary>What the user asked for.</summary>
    public RunRequest Request { get; }

    /// <summary>Signals the user sends while the run is going on.</summary>
    public Interruption Interruption { get; }

    /// <summary>Warnings for the manifest and the user, in the order given.</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>
    /// The environment the child inherits, before repro's own variables: repro's environment at first. Stages that
    /// prepare an environment change it (a folder first on PATH, a variable the environment needs); capture records and
    /// probes it, so what is recorded is what the child gets.
    /// </summary>
    public Dictionary<string, string> InheritedEnvironment { get; }

    /// <summary>
    /// Determinism switches that stages before the start add to repro's own (set in the child's environment unless
    /// already set, and recorded either way); a verification replays the recorded switches instead.
    /// </summary>
    public List<DeterminismSwitch> AdditionalSwitches { get; } = [];

    /// <summary>
    /// Whether the stages only plan (<c>repro run --dry-run</c>): a stage that would fetch, copy or build something
    /// before the run folder exists says what it would do in <see cref="PlannedSteps"/> instead.
    /// </summary>
    public bool PlanOnly { get; init; }

    /// <summary>What the stages would fetch, copy or build, one line each; filled only when <see cref="PlanOnly"/>.</summary>
    public List<string> PlannedSteps { get; } = [];

    /// <summary>
    /// Variables that stages before the start set over everything, like the run variables (recorded as set by repro,
    /// computed afresh in a verification): the Python hook's <c>PYTHONPATH</c> and report file.
    /// </summary>
    public List<DeterminismSwitch> AdditionalRunVariables { get; } = [];

    /// <summary>The project directory, absolute: where the MLproject is read, the command runs, and inputs and outputs are found.</summary>
    public string ProjectDirectory { get => Known(_projectDirectory); set => _projectDirectory = value; }

    /// <summary>
    /// Where the run's code is captured from: the project directory, except for a project checked out through the
    /// git cache, whose code is the cached checkout while the run works in a copy of it (<see cref="WorkingCopy"/>).
    /// </summary>
    public string CodeDirectory { get => _codeDirectory ?? ProjectDirectory; set => _codeDirectory = value; }

    /// <summary>Where a project URI led (the cached checkout and its commit); null for a project directory used in place.</summary>
    public ProjectSource? Source { get; set; }

    /// <summary>The run's own copy of a cached checkout, removed again when the run does not start; null when the project is used in place.</summary>
    public string? WorkingCopy { get; set; }

    /// <summary>How the declared environment is provided (<see cref="EnvironmentManagerStage"/>): <c>local</c> unless a stage chose otherwise.</summary>
    public string EnvironmentManager { get; set; } = EnvironmentManagerStage.Local;

    /// <summary>The Python environment the child runs in, held until the run is disposed; null when none was built.</summary>
    public PythonEnvironmentLease? PythonEnvironmentLease { get; set; }

    /// <summary>The record of <see cref="PythonEnvironmentLease"/>'s environment, for the manifest.</summary>
    public PythonEnvironmentRecord? PythonEnvironment { get; set; }

    /// <summary>The MLproject file as loaded, with its file-wide warnings.</summary>
    public LoadedProject Loaded { get => Known(_loaded); set => _loaded = value; }

    /// <summary>The MLproject file as loaded.</summary>
    public MLProject Project => Loaded.Project;

    /// <summary>The entry point's command with its parameters.</summary>
    public RenderedCommand Command { get => Known(_command); set => _command = value; }

    /// <summary>The run's seed and where it came from.</summary>
    public SeedRecord Seed { get => Known(_seed); set => _seed = value; }

    /// <summary>Whether repro's Python start-up hook seeds the run, and why.</summary>
    public AutoSeedChoice AutoSeed { get => Known(_autoSeed); set => _autoSeed = value; }

    /// <summary>
    /// The manifest's <c>python</c> section as the run starts (the hook on or off, which hook); the processes are added
    /// after the child exits. Null when no stage prepared the hook.
    /// </summary>
    public PythonRecord? Python { get; set; }

    /// <summary>The declared inputs and <c>path</c> parameters, fingerprinted before the child starts.</summary>
    public IReadOnlyList<DataSpec> InputSpecs { get; set; } = [];

    /// <summary>The declared outputs, fingerprinted after the child exits.</summary>
    public IReadOnlyList<DataSpec> OutputSpecs { get; set; } = [];

    /// <summary>The store the run is recorded in.</summary>
    public RunStore Store { get => Known(_store); set => _store = value; }

    /// <summary>The run's folder; once it exists, a run that fails before it starts removes it.</summary>
    public RunFolder Folder { get => Known(_folder); set => _folder = value; }

    /// <summary>Whether the run's folder has been created.</summary>
    public bool HasFolder => _folder is not null;

    /// <summary>The lock of the run's folder, held while this process records the run (<see cref="RunFolder.LockFileName"/>); released with the run.</summary>
    public FileLock? FolderLock { get; set; }

    /// <summary>The store's hash cache, closed with the run.</summary>
    public HashCache? HashCache { get; set; }

    /// <summary>The git capture's status pass, started when the run began (<see cref="RunService"/>); null when none was.</summary>
    internal GitStatusPrefetch? GitStatusPrefetch { get; set; }

    /// <summary>The store's object store: copies of outputs and metrics files.</summary>
    public ObjectStore? Objects { get; set; }

    /// <summary>Fingerprints inputs and outputs, with the store's hash cache and object store.</summary>
    public Fingerprinter Fingerprinter { get => Known(_fingerprinter); set => _fingerprinter = value; }

    /// <summary>The file the entry point writes metrics to, with its state before the run.</summary>
    public MetricsFile MetricsFile { get => Known(_metricsFile); set => _metricsFile = value; }

    /// <summary>The project as the manifest records it.</summary>
    public ProjectRecord ProjectRecord { get => Known(_projectRecord); set => _projectRecord = value; }

    /// <summary>The code the run comes from.</summary>
    public GitRecord Git { get => Known(_git); set => _git = value; }

    /// <summary>The machine and software the run sees.</summary>
    public EnvironmentRecord Environment { get => Known(_environment); set => _environment = value; }

    /// <summary>Fingerprints of the inputs, taken before the child starts.</summary>
    public IReadOnlyList<DataRecord> Inputs { get => Known(_inputs); set => _inputs = value; }

    /// <summary>The child's complete environment and the record of its determinism variables.</summary>
    public ChildEnvironment ChildEnvironment { get => Known(_childEnvironment); set => _childEnvironment = value; }

    /// <summary>Where the command executes: this host unless a stage chose otherwise before the execute stage.</summary>
    public IExecutionBackend Backend { get; set; } = LocalBackend.Instance;

    /// <summary>
    /// The local child's watchdog, started by the start stage while it writes the first manifest and taken by the
    /// execute stage (<see cref="TakeWatchdog"/>); one never taken is dismissed when the run is disposed.
    /// </summary>
    internal Task<ProcessWatchdog?>? StartingWatchdog { get; set; }

    /// <summary>Hands the watchdog started for this run's child over to whoever starts the child; null when none was started.</summary>
    internal Task<ProcessWatchdog?>? TakeWatchdog()
    {
        var starting = StartingWatchdog;
        StartingWatchdog = null;
        return starting;
    }

    /// <summary>The record of the run, from <see cref="Start"/> on.</summary>
    public RunManifest Manifest { get => Known(_manifest); set => _manifest = value; }

    /// <summary>
    /// Whether the run has started: its RUNNING manifest is saved. From then on the run is always recorded, however it
    /// ends; before, nothing of it may remain.
    /// </summary>
    public bool HasStarted => _manifest is not null;

    /// <summary>How the command ran.</summary>
    public ChildProcessResult Result { get => Known(_result); set => _result = value; }

    /// <summary>Fingerprints of the declared outputs, and those that were missing; null until fingerprinted.</summary>
    public OutputFingerprints? Outputs { get; set; }

    /// <summary>
    /// How the run ended when a stage already knows (interrupted, outputs that cannot be fingerprinted); later stages
    /// that only make sense for a complete run skip themselves, and the record stage keeps this status.
    /// </summary>
    public RunEnding? Ending { get; private set; }

    /// <summary>Records the first reason the run cannot end FINISHED; later calls keep the first.</summary>
    public void End(RunStatus status, string message) => Ending ??= new RunEnding(status, message);

    /// <summary>
    /// Whether <see cref="Start"/> saves the RUNNING manifest (true). A run that starts no child but records a result
    /// already known (a reused pipeline step: its outputs restored in milliseconds) sets it false: its first manifest on
    /// disk is its final one, or the FAILED one if repro fails before that, and until then its folder is one being
    /// prepared (its lock held), as for any run before it starts.
    /// </summary>
    public bool SavesRunningManifest { get; set; } = true;

    /// <summary>Saves <paramref name="manifest"/> as the run's first record (see <see cref="SavesRunningManifest"/>): from now on the run has started.</summary>
    public void Start(RunManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (SavesRunningManifest)
        {
            Store.Save(manifest, Warnings);
        }

        _manifest = manifest;
    }

    /// <summary>Adds a warning from any thread (a cache that reports damage while files are hashed).</summary>
    public void Warn(string warning)
    {
        lock (Warnings)
        {
            Warnings.Add(warning);
        }
    }

    /// <summary>Dismisses a watchdog no child needed, closes the hash cache and the run folder's lock, lets others rebuild the Python environment, and removes the working copy of a run that never started.</summary>
    public void Dispose()
    {
        if (TakeWatchdog() is { } unused)
        {
            ChildProcessRunner.DismissUnused(unused);
        }

        GitStatusPrefetch?.Dispose();
        HashCache?.Dispose();
        FolderLock?.Dispose();
        PythonEnvironmentLease?.Dispose();
        if (!HasStarted && WorkingCopy is { } copy)
        {
            Sources.WorkingCopy.Delete(copy);
        }
    }

    private static T Known<T>(T? value, [System.Runtime.CompilerServices.CallerMemberName] string name = "")
        where T : class =>
        value ?? throw new InvalidOperationException($"the run's {name} is not known yet: a stage that needs it runs before the stage that sets it");
}

/// <summary>How a run ended, when that is decided before the record stage.</summary>
/// <param name="Status">The final status.</param>
/// <param name="Message">Why, for the manifest's status message.</param>
public sealed record RunEnding(RunStatus Status, string Message);
