namespace Repro.Core.Capture.Environment;

/// <summary>Reads the small system files detectors parse (<c>/proc/cpuinfo</c>, <c>/etc/os-release</c>), which may be absent or unreadable.</summary>
internal static class SystemFile
{
    /// <summary>Reads a whole file.</summary>
    /// <param name="path">Absolute path.</param>
    /// <returns>Its text, or null when it does not exist or cannot be read, which callers treat as "unknown".</returns>
    public static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
