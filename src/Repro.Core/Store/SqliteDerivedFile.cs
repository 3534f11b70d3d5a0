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

    /// <summary>
    /// Closes a connection that <see cref="Configure"/> set up, first copying the log back into the database and
    /// emptying it when it has grown past <see cref="LogLimitBytes"/>.
    /// </summary>
    /// <remarks>
    /// SQLite restarts its log from the beginning only when the writer knows that every frame was copied back. That
    /// knowledge lives in the shared-memory index, which the first connection to open the file rebuilds from the log,
    /// and the rebuild forgets it; every repro process is such a first connection, so without this the log only ever
    /// grew (31 MB after a few hundred pipelines), every process read all of it when it opened the file, and once it
    /// held more than 1,000 pages every write copied all of it back again, with three more fsyncs. A truncating
    /// checkpoint here costs one copy and one flush per <see cref="LogLimitBytes"/> of writes. It does not wait: while
    /// another process reads or writes the file, the log is left for whoever closes it next.
    /// </remarks>
    public static void Close(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        try
        {
            if (connection.State == System.Data.ConnectionState.Open
                && new FileInfo(connection.DataSource + "-wal") is { Exists: true } log
                && log.Length > LogLimitBytes)
            {
                using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA busy_timeout = 0; PRAGMA wal_checkpoint(TRUNCATE);";
                command.ExecuteNonQuery();
            }
        }
        catch (SqliteException)
        {
            // A read-only file, or a full disk: the log stays as it is, and the data in it stays valid.
        }
        catch (IOException)
        {
            // The log's size could not be read: nothing to decide on.
        }
        finally
        {
            connection.Dispose();
        }
    }

    /// <summary>
    /// The log size above which <see cref="Close"/> empties it: about SQLite's automatic checkpoint size (1,000 pages of
    /// 4 KiB, with their frame headers).
    /// </summary>
    internal const long LogLimitBytes = 4L * 1024 * 1024;
}
