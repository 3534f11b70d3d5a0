using System.Globalization;
using System.Text.RegularExpressions;
using Repro.Core.Runs;

namespace Repro.Core.Capture.Environment;

/// <summary>Reads GPUs and the CUDA version from <c>nvidia-smi</c> output captured under <c>LC_ALL=C</c>.</summary>
internal static partial class NvidiaSmiParser
{
    private const long BytesPerMebibyte = 1024 * 1024;

    /// <summary>
    /// Parses the output of <c>nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader,nounits</c>.
    /// </summary>
    /// <param name="csv">One <c>name, driver, MiB</c> line per GPU.</param>
    /// <returns>The GPUs in nvidia-smi's order; lines that are not GPU rows ("No devices were found") are skipped.</returns>
    public static IReadOnlyList<GpuRecord> ParseGpus(string csv)
    {
        var gpus = new List<GpuRecord>();
        foreach (var rawLine in csv.Split('\n'))
        {
            var fields = rawLine.Trim().Split(',');
            if (fields.Length < 3)
            {
                continue;
            }

            // The name is the only field that could hold a comma, so the last two fields are taken from the end.
            var name = string.Join(',', fields[..^2]).Trim();
            if (name.Length == 0)
            {
                continue;
            }

            var driver = Known(fields[^2]);
            var memory = Known(fields[^1]) is { } mebibytes
                && long.TryParse(mebibytes, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                ? value * BytesPerMebibyte
                : (long?)null;
            gpus.Add(new GpuRecord(name, driver, memory));
        }

        return gpus;
    }

    /// <summary>Finds <c>CUDA Version: 12.4</c> in the header of plain <c>nvidia-smi</c> output.</summary>
    /// <param name="output">The output of <c>nvidia-smi</c> without arguments.</param>
    /// <returns>The highest CUDA version the driver supports, or null when not shown.</returns>
    public static string? ParseCudaVersion(string output) =>
        CudaVersion().Match(output) is { Success: true } match ? match.Groups["version"].Value : null;

    private static string? Known(string field)
    {
        var value = field.Trim();
        return value.Length == 0 || value.StartsWith('[') || value == "N/A" ? null : value;
    }

    [GeneratedRegex(@"CUDA Version\s*:\s*(?<version>[0-9]+(?:\.[0-9]+)*)", RegexOptions.CultureInvariant)]
    private static partial Regex CudaVersion();
}
