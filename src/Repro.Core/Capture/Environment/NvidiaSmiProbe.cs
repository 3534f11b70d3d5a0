using Repro.Core.Processes;
using Repro.Core.Runs;

namespace Repro.Core.Capture.Environment;

/// <summary>GPUs, driver and CUDA version from <c>nvidia-smi</c>.</summary>
internal static class NvidiaSmiProbe
{
    private static readonly string[] QueryArguments =
        ["--query-gpu=name,driver_version,memory.total", "--format=csv,noheader,nounits"];

    /// <summary>
    /// Expensive: starts nvidia-smi twice, concurrently, because the CUDA version appears only in the plain header.
    /// Each start initialises the driver (tens to hundreds of milliseconds) and can hang on a wedged GPU, hence the timeout.
    /// </summary>
    /// <param name="variables">The environment whose PATH finds nvidia-smi.</param>
    /// <param name="workingDirectory">Where to run it.</param>
    /// <param name="timeout">Limit for each run.</param>
    /// <param name="cancellationToken">Stops the probe.</param>
    /// <returns>The GPUs (empty when nvidia-smi is absent or fails) and the CUDA version.</returns>
    public static async Task<Probed<(IReadOnlyList<GpuRecord> Gpus, string? CudaVersion)>> ProbeAsync(
        IReadOnlyDictionary<string, string> variables, string workingDirectory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (ExecutableLocator.Find("nvidia-smi", variables, workingDirectory) is not { } nvidiaSmi)
        {
            return new Probed<(IReadOnlyList<GpuRecord>, string?)>(([], null), null);
        }

        var queryTask = ExternalProbe.RunAsync(nvidiaSmi, QueryArguments, workingDirectory, variables, timeout, cancellationToken);
        var headerTask = ExternalProbe.RunAsync(nvidiaSmi, [], workingDirectory, variables, timeout, cancellationToken);
        var query = await queryTask;
        var header = await headerTask;

        IReadOnlyList<GpuRecord> gpus = query.Succeeded ? NvidiaSmiParser.ParseGpus(query.Stdout) : [];
        var cudaVersion = header.Succeeded ? NvidiaSmiParser.ParseCudaVersion(header.Stdout) : null;
        var warning = !query.Succeeded
            ? $"nvidia-smi {Explain(query, timeout)}; GPUs and CUDA version not recorded"
            : !header.Succeeded
                ? $"nvidia-smi {Explain(header, timeout)}; CUDA version not recorded"
                : null;
        return new Probed<(IReadOnlyList<GpuRecord>, string?)>((gpus, cudaVersion), warning);
    }

    // nvidia-smi writes its failures ("couldn't communicate with the NVIDIA driver") to standard output.
    private static string Explain(ProbeResult result, TimeSpan timeout)
    {
        var message = FirstLine(result.Stdout) ?? FirstLine(result.Stderr);
        return message is null ? result.Describe(timeout) : $"{result.Describe(timeout)} ({message})";
    }

    private static string? FirstLine(string text) =>
        text.Split('\n').Select(line => line.Trim()).FirstOrDefault(line => line.Length > 0);
}
