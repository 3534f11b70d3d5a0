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

    /// <summary>Total physical memory in bytes.</summary>
    public long? MemoryBytes { get; init; }

    /// <summary>Host name.</summary>
    public string? Hostname { get; init; }

    /// <summary>User name the run ran as.</summary>
    public string? User { get; init; }

    /// <summary>Whether the run ran inside a container; null when unknown.</summary>
    public bool? Container { get; init; }

    /// <summary>The .NET runtime repro ran on and the SDK the project's global.json resolves to.</summary>
    public required DotnetRecord Dotnet { get; init; }

    /// <summary>GPUs reported by nvidia-smi; empty when none or nvidia-smi is absent.</summary>
    public IReadOnlyList<GpuRecord> Gpus { get; init; } = [];

    /// <summary>CUDA driver API version nvidia-smi reports.</summary>
    public string? CudaVersion { get; init; }

    /// <summary>cuDNN version, when it can be found.</summary>
    public string? CudnnVersion { get; init; }

    /// <summary>Lock and environment files found in the project, with their SHA-256.</summary>
    public IReadOnlyList<LockFileRecord> LockFiles { get; init; } = [];

    /// <summary>The interpreter the command starts, when it is python or python3.</summary>
    public InterpreterRecord? Interpreter { get; init; }

    /// <summary>Allow-listed environment variables of the repro process, by name.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Names of allow-listed variables withheld because they look like secrets. Values are never recorded.</summary>
    public IReadOnlyList<string> WithheldVariables { get; init; } = [];
}

/// <summary>Operating system facts.</summary>
/// <param name="Name">Distribution or OS name (for example "Debian GNU/Linux").</param>
/// <param name="Version">Its version (for example "12").</param>
/// <param name="Kernel">Kernel release.</param>
/// <param name="Architecture">Process architecture (x64, arm64).</param>
public sealed record OsRecord(string? Name, string? Version, string? Kernel, string Architecture);

/// <summary>Processor facts.</summary>
/// <param name="Model">Model name.</param>
/// <param name="LogicalCores">Logical cores available to the process.</param>
/// <param name="VectorIsa">Vector instruction sets that change floating-point results (sse4.2, avx, avx2, fma, avx512f, …).</param>
public sealed record CpuRecord(string? Model, int LogicalCores, IReadOnlyList<string> VectorIsa);

/// <summary>.NET facts.</summary>
/// <param name="Runtime">Runtime version repro runs on.</param>
/// <param name="Rid">Runtime identifier.</param>
/// <param name="Sdk">SDK version <c>dotnet --version</c> resolves in the project directory (honouring global.json); null when dotnet is absent.</param>
public sealed record DotnetRecord(string Runtime, string Rid, string? Sdk);

/// <summary>One GPU.</summary>
/// <param name="Name">Product name.</param>
/// <param name="Driver">Driver version.</param>
/// <param name="MemoryBytes">Total memory.</param>
public sealed record GpuRecord(string Name, string? Driver, long? MemoryBytes);

/// <summary>A lock or environment file.</summary>
/// <param name="Path">Path relative to the project, forward slashes.</param>
/// <param name="Sha256">SHA-256, lower-case hex.</param>
public sealed record LockFileRecord(string Path, string Sha256);

/// <summary>An interpreter the command starts.</summary>
/// <param name="Command">The command word (python, python3).</param>
/// <param name="Path">The resolved executable.</param>
/// <param name="Version">What it says its version is.</param>
public sealed record InterpreterRecord(string Command, string? Path, string? Version);
