using Repro.Core.Randomness;

namespace Repro.Core.FileSystem;

/// <summary>
/// Writes files so a reader sees either the old content or the new, never a torn file:
/// write a temporary file in the same folder, flush it to disk, then rename it over the target.
/// </summary>
public static class AtomicFile
{
    /// <summary>Atomically replaces <paramref name="path"/> with <paramref name="content"/>.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content) => WriteAllBytes(path, content, flush: null);

    /// <summary>
    /// Atomically replaces <paramref name="path"/> with <paramref name="content"/>, the temporary file's bytes flushed to
    /// the disk by <paramref name="flush"/> instead of an fsync of its own: a caller about to flush other files too
    /// (<c>syncfs</c> flushes a whole file system in one call) saves one flush. The file is renamed over
    /// <paramref name="path"/> only once <paramref name="flush"/> has returned; when it throws, the temporary file is
    /// removed and <paramref name="path"/> keeps its old content.
    /// </summary>
    /// <param name="path">The file to replace.</param>
    /// <param name="content">Its new content.</param>
    /// <param name="flush">Flushes the temporary file whose path it is given; null for an fsync of that file alone.</param>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content, Action<string>? flush)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{OsRandom.HexString(8)}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.None))
            {
                stream.Write(content);
                if (flush is null)
                {
                    stream.Flush(flushToDisk: true);
                }
            }

            flush?.Invoke(temporary);
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
