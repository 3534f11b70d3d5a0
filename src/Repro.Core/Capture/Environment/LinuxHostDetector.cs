namespace Repro.Core.Capture.Environment;

/// <summary>Linux: everything comes from files under <c>/etc</c> and <c>/proc</c>, which is cheap, so no process is started.</summary>
internal sealed class LinuxHostDetector : IHostDetector
{
    /// <inheritdoc />
    public bool IsApplicable => OperatingSystem.IsLinux();

    /// <inheritdoc />
    public Task<HostFacts> DetectAsync(IReadOnlyDictionary<string, string> variables, TimeSpan probeTimeout, CancellationToken cancellationToken)
    {
        var (osName, osVersion) = (SystemFile.ReadOrNull("/etc/os-release") ?? SystemFile.ReadOrNull("/usr/lib/os-release")) is { } osRelease
            ? OsReleaseParser.Parse(osRelease)
            : (null, null);
        var (cpuModel, vectorIsa) = SystemFile.ReadOrNull("/proc/cpuinfo") is { } cpuInfo ? CpuInfoParser.Parse(cpuInfo) : (null, null);
        var memory = SystemFile.ReadOrNull("/proc/meminfo") is { } memInfo ? MemInfoParser.ParseTotalBytes(memInfo) : null;
        var container = ContainerHints.Decide(
            File.Exists("/.dockerenv"),
            File.Exists("/run/.containerenv"),
            variables,
            SystemFile.ReadOrNull("/proc/1/cgroup"));

        // /proc/sys/kernel/osrelease is what uname -r prints, without starting uname.
        var kernel = SystemFile.ReadOrNull("/proc/sys/kernel/osrelease")?.Trim();
        return Task.FromResult(new HostFacts(osName, osVersion, string.IsNullOrEmpty(kernel) ? null : kernel, cpuModel, vectorIsa, memory, container));
    }
}
