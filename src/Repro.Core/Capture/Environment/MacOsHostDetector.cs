using System.Runtime.InteropServices;

namespace Repro.Core.Capture.Environment;

/// <summary>macOS: the product version from SystemVersion.plist, the processor and memory from <c>sysctl</c>.</summary>
internal sealed class MacOsHostDetector : IHostDetector
{
    private const string SysctlPath = "/usr/sbin/sysctl";

    /// <inheritdoc />
    public bool IsApplicable => OperatingSystem.IsMacOS();

    /// <inheritdoc />
    public async Task<HostFacts> DetectAsync(IReadOnlyDictionary<string, string> variables, TimeSpan probeTimeout, CancellationToken cancellationToken)
    {
        var (name, version) = SystemFile.ReadOrNull("/System/Library/CoreServices/SystemVersion.plist") is { } plist
            ? MacOsParsers.ParseSystemVersion(plist)
            : (null, null);

        // Expensive: one process start; macOS has no /proc to read instead.
        var sysctl = await ExternalProbe.RunAsync(SysctlPath, ["-n", "machdep.cpu.brand_string", "hw.memsize"], "/", variables, probeTimeout, cancellationToken);
        var (cpuModel, memory) = sysctl.Succeeded ? MacOsParsers.ParseSysctl(sysctl.Stdout) : (null, null);

        // A container on macOS runs inside a Linux VM, so repro on macOS itself is never in one, but that is not
        // something the detector observed.
        return new HostFacts(name ?? "macOS", version, MacOsParsers.ParseDarwinRelease(RuntimeInformation.OSDescription), cpuModel, null, memory, null);
    }
}
