namespace Repro.Core.Capture.Environment;

/// <summary>Reads the small system files detectors parse (<c>/proc/cpuinfo</c>, <c>/etc/os-release</c>), which may be absent or unreadable.</summary>
internal static class SystemFile
{
    /// <summary>Reads a whole file.</summary>
    /// <param name="path">Absolute path.</param>
    /// <returns>Its text, or null when it does not exist or cannot be read, which callers treat as "unknown".</returns>
    public static string? ReadOrNull(string path)
    {
        // Most files probed are absent on most machines (cuDNN's headers, say, looked for in eight places at every run):
        // asking first costs a stat, while a missing file thrown and caught as an exception costs far more.
        if (!File.Exists(path))
        {
            return null;
        }

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
