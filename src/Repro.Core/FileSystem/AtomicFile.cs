using System.Security.Cryptography;

namespace Repro.Core.FileSystem;

/// <summary>
/// Writes files so a reader sees either the old content or the new, never a torn file:
/// write a temporary file in the same folder, flush it to disk, then rename it over the target.
/// </summary>
public static class AtomicFile
{
    /// <summary>Atomically replaces <paramref name="path"/> with <paramref name="content"/>.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{RandomNumberGenerator.GetHexString(8, lowercase: true)}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The original failure is the one worth reporting.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }
}
