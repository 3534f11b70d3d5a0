using Microsoft.Data.Sqlite;

namespace Repro.Core.Store;

/// <summary>
/// What the store's SQLite files (the run index and the hash cache, both caches of what the manifests and the files
/// themselves hold) have in common: telling damage from a file that only cannot be written, and setting a damaged file aside.
/// </summary>
public static class SqliteFiles
{
    /// <summary>
    /// Whether an SQLite error means the file itself is damaged (corrupt, or not a database), as opposed to one that
    /// cannot be opened or written (permissions, a full disk), which setting it aside would not cure.
    /// </summary>
    public static bool IsDamage(SqliteException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        const int corrupt = 11, format = 24, notADatabase = 26;
        return (exception.SqliteErrorCode & 0xff) is corrupt or notADatabase or format;
    }

    /// <summary>
    /// Moves a damaged SQLite file aside as <c>NAME.damaged-UTCTIME</c> (kept for a post-mortem, never read again) and
    /// deletes its journal files; returns the new name.
    /// </summary>
    public static string SetAside(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        SqliteConnection.ClearAllPools();
        var aside = $"{path}.damaged-{DateTime.UtcNow:yyyyMMdd-HHmmss-fff}";
        try
        {
            File.Move(path, aside, overwrite: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Moved by another process first, or immovable: opening again says which.
        }

        foreach (var journal in new[] { path + "-wal", path + "-shm", path + "-journal" })
        {
            try
            {
                File.Delete(journal);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Opening again reports the real problem if the file is still unusable.
            }
        }

        return Path.GetFileName(aside);
    }
}
