using System.Runtime.Versioning;
using Microsoft.Win32;

namespace Repro.Core.Capture.Environment;

/// <summary>Windows: the release and processor name from the registry, the kernel build from <see cref="System.Environment.OSVersion"/>.</summary>
internal sealed class WindowsHostDetector : IHostDetector
{
    /// <inheritdoc />
    public bool IsApplicable => OperatingSystem.IsWindows();

    /// <inheritdoc />
    public Task<HostFacts> DetectAsync(IReadOnlyDictionary<string, string> variables, TimeSpan probeTimeout, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsWindows())
        {
            return Task.FromResult(new HostFacts(null, null, null, null, null, null, null));
        }

        var release = ReadMachineString(@"SOFTWARE\Microsoft\Windows NT\CurrentVersion", "DisplayVersion");
        var cpuModel = ReadMachineString(@"HARDWARE\DESCRIPTION\System\CentralProcessor\0", "ProcessorNameString");
        return Task.FromResult(new HostFacts(
            "Windows",
            release,
            System.Environment.OSVersion.Version.ToString(),
            cpuModel,
            null,
            RuntimeMemory.TotalBytes(),
            null));
    }

    [SupportedOSPlatform("windows")]
    private static string? ReadMachineString(string keyPath, string valueName)
    {
        try
        {
            using var key = Registry.LocalMachine.OpenSubKey(keyPath);
            return (key?.GetValue(valueName) as string)?.Trim() is { Length: > 0 } value ? value : null;
        }
        catch (Exception exception) when (exception is System.Security.SecurityException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
