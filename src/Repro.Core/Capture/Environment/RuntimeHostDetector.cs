using System.Runtime.InteropServices;

namespace Repro.Core.Capture.Environment;

/// <summary>Any other OS (FreeBSD, illumos): only what the runtime itself reports.</summary>
internal sealed class RuntimeHostDetector : IHostDetector
{
    /// <inheritdoc />
    public bool IsApplicable => true;

    /// <inheritdoc />
    public Task<HostFacts> DetectAsync(IReadOnlyDictionary<string, string> variables, TimeSpan probeTimeout, CancellationToken cancellationToken) =>
        Task.FromResult(new HostFacts(
            RuntimeInformation.OSDescription,
            System.Environment.OSVersion.Version.ToString(),
            null,
            null,
            null,
            RuntimeMemory.TotalBytes(),
            null));
}
