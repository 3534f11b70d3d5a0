namespace Repro.Core.Capture.Environment;

/// <summary>
/// Finds the system cuDNN version from its headers. Cheap: a few file-existence checks. A framework that bundles
/// its own cuDNN (PyTorch wheels do) is not seen; that version is the framework's to report.
/// </summary>
internal static class CudnnLocator
{
    private static readonly string[] HeaderNames = ["cudnn_version.h", "cudnn.h"];

    private static readonly string[] SystemIncludeFolders =
    [
        "/usr/include",
        "/usr/include/x86_64-linux-gnu",
        "/usr/include/aarch64-linux-gnu",
        "/usr/local/cuda/include",
    ];

    /// <summary>The include folders searched, in order: those under <c>CUDNN_PATH</c>, <c>CUDA_HOME</c> and <c>CUDA_PATH</c>, then the usual system ones.</summary>
    /// <param name="variables">The environment, read for the three roots only.</param>
    /// <returns>Absolute folder paths.</returns>
    public static IEnumerable<string> IncludeFolders(IReadOnlyDictionary<string, string> variables)
    {
        foreach (var root in new[] { "CUDNN_PATH", "CUDA_HOME", "CUDA_PATH" })
        {
            if (variables.TryGetValue(root, out var value) && Path.IsPathFullyQualified(value))
            {
                yield return Path.Combine(value, "include");
            }
        }

        foreach (var folder in SystemIncludeFolders)
        {
            yield return folder;
        }
    }

    /// <summary>Reads the first header that defines the version.</summary>
    /// <param name="variables">The environment, read for the roots of <see cref="IncludeFolders"/>.</param>
    /// <returns>The version, or null when no header is found.</returns>
    public static string? Find(IReadOnlyDictionary<string, string> variables)
    {
        foreach (var folder in IncludeFolders(variables))
        {
            foreach (var header in HeaderNames)
            {
                if (SystemFile.ReadOrNull(Path.Combine(folder, header)) is { } text && CudnnVersionParser.Parse(text) is { } version)
                {
                    return version;
                }
            }
        }

        return null;
    }
}
