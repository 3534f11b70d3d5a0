using Microsoft.Data.Sqlite;

namespace Repro.Core.Store;

/// <summary>
/// How repro opens its SQLite files, the run index and the hash cache. Both hold only what can be derived again
/// (from the manifests, from the files), and several repro processes share them.
/// </summary>
internal static class SqliteDerivedFile
{
    // SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE in sqlite3.h.
    private const int NoCheckpointOnClose = 1006;

    /// <summary>
    /// A busy timeout first (switching to WAL itself needs a lock another process may hold), write-ahead logging so
    /// readers and a writer never block each other, <c>synchronous = NORMAL</c> (a commit is atomic and survives a
    /// crash of repro, and only a power loss may undo the last ones, which the next synchronisation re-derives), and no
    /// checkpoint when the connection closes.
    /// </summary>
    /// <remarks>
    /// Without the last setting every repro process, being the last to close its file, copied the log back into the
    /// database and flushed both to disk: a few fsyncs per command, tens of milliseconds on a busy disk. The log is now
    /// copied back when it reaches SQLite's automatic checkpoint size (1,000 pages), by whichever process writes then.
    /// </remarks>
    public static void Configure(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        SQLitePCL.raw.sqlite3_db_config(connection.Handle, NoCheckpointOnClose, 1, out _);
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";
        command.ExecuteNonQuery();
    }
}
