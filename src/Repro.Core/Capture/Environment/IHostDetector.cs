namespace Repro.Core.Capture.Environment;

/// <summary>
/// Learns the operating system, processor, memory and container facts of one kind of OS. Each fact may be null,
/// meaning unknown: a detector reports what it read, never a guess.
/// </summary>
internal interface IHostDetector
{
    /// <summary>Whether this detector understands the OS repro runs on.</summary>
    bool IsApplicable { get; }

    /// <summary>Reads the facts.</summary>
    /// <param name="variables">The environment handed to capture; read for container hints and for probes' PATH, never recorded.</param>
    /// <param name="probeTimeout">Limit for each external program a detector runs.</param>
    /// <param name="cancellationToken">Stops the detection.</param>
    /// <returns>The facts, with nulls for the unknown.</returns>
    Task<HostFacts> DetectAsync(IReadOnlyDictionary<string, string> variables, TimeSpan probeTimeout, CancellationToken cancellationToken);
}

/// <summary>Facts a host detector found; null is unknown.</summary>
/// <param name="OsName">Distribution or OS name.</param>
/// <param name="OsVersion">Its version.</param>
/// <param name="Kernel">Kernel release.</param>
/// <param name="CpuModel">Processor model.</param>
/// <param name="VectorIsa">Vector instruction sets, or null when the detector could not read them.</param>
/// <param name="MemoryBytes">Total physical memory.</param>
/// <param name="Container">Whether the process runs in a container.</param>
internal sealed record HostFacts(
    string? OsName,
    string? OsVersion,
    string? Kernel,
    string? CpuModel,
    IReadOnlyList<string>? VectorIsa,
    long? MemoryBytes,
    bool? Container);
