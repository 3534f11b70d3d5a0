namespace Repro.Core.Runs;

/// <summary>
/// The machine and software a run saw. Every fact that could not be determined is null ("unknown"),
/// never a guess.
/// </summary>
public sealed record EnvironmentRecord
{
    /// <summary>Operating system.</summary>
    public required OsRecord Os { get; init; }

    /// <summary>Processor.</summary>
    public required CpuRecord Cpu { get; init; }

    /// <summary>Total physical memory in bytes (MemTotal on Linux, hw.memsize on macOS, what the runtime sees on Windows).</summary>
    public long? MemoryBytes { get; init; }

    /// <summary>Host name, as <see cref="System.Environment.MachineName"/> reports it.</summary>
    public string? Hostname { get; init; }

    /// <summary>User name the run ran as.</summary>
    public string? User { get; init; }

    /// <summary>
    /// Whether the run ran inside a container: true on evidence (<c>/.dockerenv</c>, <c>/run/.containerenv</c>, a container
    /// runtime in PID 1's cgroup, a container image's marker variable), false when PID 1 is the host's init, null when unknown.
    /// </summary>
    public bool? Container { get; init; }

    /// <summary>The .NET runtime repro ran on and the SDK the project's global.json resolves to.</summary>
    public required DotnetRecord Dotnet { get; init; }

    /// <summary>GPUs reported by nvidia-smi; empty when none or nvidia-smi is absent.</summary>
    public IReadOnlyList<GpuRecord> Gpus { get; init; } = [];

    /// <summary>Highest CUDA version the driver supports, from the header of plain <c>nvidia-smi</c> (for example "12.4").</summary>
    public string? CudaVersion { get; init; }

    /// <summary>
    /// cuDNN version from the system's <c>cudnn_version.h</c> (under <c>CUDNN_PATH</c>, <c>CUDA_HOME</c>, <c>CUDA_PATH</c> or the
    /// usual include folders); null when none is found. A framework's bundled cuDNN is not seen.
    /// </summary>
    public string? CudnnVersion { get; init; }

    /// <summary>
    /// Lock and environment files found in the project (<c>packages.lock.json</c>, <c>global.json</c>, <c>Directory.Packages.props</c>,
    /// <c>requirements*.txt</c>, <c>uv.lock</c>, <c>poetry.lock</c>, <c>Pipfile.lock</c>, <c>python_env.yaml</c>, <c>conda.yaml</c>,
    /// <c>environment.yml</c>), with their SHA-256, sorted by path.
    /// </summary>
    public IReadOnlyList<LockFileRecord> LockFiles { get; init; } = [];

    /// <summary>The interpreter the command starts, when it is python or python3.</summary>
    public InterpreterRecord? Interpreter { get; init; }

    /// <summary>
    /// Allow-listed environment variables of the repro process, by name (sorted), values with URL credentials removed.
    /// <c>Repro.Core.Capture.Environment.EnvironmentVariablePolicy</c> decides what is allowed.
    /// </summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Names of allow-listed variables withheld because they look like secrets. Values are never recorded.</summary>
    public IReadOnlyList<string> WithheldVariables { get; init; } = [];
}

/// <summary>Operating system facts.</summary>
/// <param name="Name">Distribution or OS name (for example "Debian GNU/Linux").</param>
/// <param name="Version">Its version (for example "12").</param>
/// <param name="Kernel">Kernel release (<c>uname -r</c> on Linux and macOS, the OS build on Windows).</param>
/// <param name="Architecture">Process architecture (x64, arm64).</param>
public sealed record OsRecord(string? Name, string? Version, string? Kernel, string Architecture);

/// <summary>Processor facts.</summary>
/// <param name="Model">Model name.</param>
/// <param name="LogicalCores">Logical cores available to the process.</param>
/// <param name="VectorIsa">
/// Vector instruction sets that change floating-point results (sse4.2, avx, avx2, fma, avx512f, asimd, sve, …), sorted, named
/// as <c>/proc/cpuinfo</c> names them; from the runtime's hardware intrinsics where no flag list can be read.
/// </param>
public sealed record CpuRecord(string? Model, int LogicalCores, IReadOnlyList<string> VectorIsa);

/// <summary>.NET facts.</summary>
/// <param name="Runtime">Runtime version repro runs on.</param>
/// <param name="Rid">Runtime identifier.</param>
/// <param name="Sdk">SDK version <c>dotnet --version</c> resolves in the project directory (honouring global.json); null when dotnet is absent.</param>
public sealed record DotnetRecord(string Runtime, string Rid, string? Sdk);

/// <summary>One GPU.</summary>
/// <param name="Name">Product name.</param>
/// <param name="Driver">Driver version; null when nvidia-smi reports none.</param>
/// <param name="MemoryBytes">Total memory in bytes; null when nvidia-smi reports none.</param>
public sealed record GpuRecord(string Name, string? Driver, long? MemoryBytes);

/// <summary>A lock or environment file.</summary>
/// <param name="Path">Path relative to the project, forward slashes.</param>
/// <param name="Sha256">SHA-256, lower-case hex.</param>
public sealed record LockFileRecord(string Path, string Sha256);

/// <summary>An interpreter the command starts.</summary>
/// <param name="Command">The command word as written (python, python3, ./.venv/bin/python).</param>
/// <param name="Path">The executable the word resolves to on the run's PATH (or relative to the project); null when not found.</param>
/// <param name="Version">What <c>--version</c> says, for example "3.11.7"; null when it could not be learned.</param>
public sealed record InterpreterRecord(string Command, string? Path, string? Version);
