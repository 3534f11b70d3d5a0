using Microsoft.Data.Sqlite;
using Repro.Core.Store;

namespace Repro.Core.Tests.Store;

public sealed class SqliteDerivedFileTests : IDisposable
{
    // About 250 pages of 4 KiB per process: the log passes the limit after a few processes.
    private const int RowsPerProcess = 250;

    private readonly TempDirectory _temp = new("sqlite-derived");
    private readonly string _path;

    public SqliteDerivedFileTests()
    {
        _path = _temp.Combine("derived.db");
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Close_ManyProcessesEachWritingOnce_LogStaysNearTheLimit()
    {
        // Each connection is the only one on the file, as each repro process is: it rebuilds SQLite's shared-memory
        // index from the log when it opens the file.
        for (var process = 0; process < 40; process++)
        {
            var connection = Connect();
            Insert(connection, process);
            SqliteDerivedFile.Close(connection);
        }

        // Without the truncating checkpoint the log held every process's pages, about 40 MB.
        Assert.True(LogLength() <= SqliteDerivedFile.LogLimitBytes + (RowsPerProcess * 4200), $"the log is {LogLength()} bytes");
        Assert.Equal(40 * RowsPerProcess, Count());
    }

    [Fact]
    public void Close_LogOverTheLimit_IsEmptiedAndTheRowsAreInTheDatabase()
    {
        var connection = Connect();
        Insert(connection, 0, RowsPerProcess * 6);

        Assert.True(LogLength() > SqliteDerivedFile.LogLimitBytes);
        SqliteDerivedFile.Close(connection);

        Assert.Equal(0, LogLength());
        Assert.Equal(6 * RowsPerProcess, Count());
    }

    [Fact]
    public void Close_LogUnderTheLimit_IsLeftAsItIs()
    {
        var connection = Connect();
        Insert(connection, 0);
        var before = LogLength();

        SqliteDerivedFile.Close(connection);

        Assert.True(before > 0);
        Assert.Equal(before, LogLength());
        Assert.Equal(RowsPerProcess, Count());
    }

    [Fact]
    public void Close_WhileAnotherConnectionReadsAnOlderState_ReturnsWithoutWaitingAndLeavesTheLogForLater()
    {
        var writer = Connect();
        Insert(writer, 0, RowsPerProcess * 6);

        // The reader's snapshot predates the writer's last rows, which are only in the log: they cannot be copied back
        // while it reads.
        using var reader = Connect();
        using var transaction = reader.BeginTransaction(deferred: true);
        Assert.Equal(6L * RowsPerProcess, Count(reader));
        Insert(writer, 6);
        Assert.True(LogLength() > SqliteDerivedFile.LogLimitBytes);

        var started = System.Diagnostics.Stopwatch.StartNew();
        SqliteDerivedFile.Close(writer);

        // The busy timeout is 30 s: returning well before it means the checkpoint did not wait for the reader.
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"Close took {started.Elapsed}");
        Assert.True(LogLength() > 0);
        Assert.Equal(6L * RowsPerProcess, Count(reader));
        transaction.Commit();
        Assert.Equal(7 * RowsPerProcess, Count());
    }

    [Fact]
    public void Close_ConnectionAlreadyClosed_DisposesItQuietly()
    {
        var connection = Connect();
        connection.Close();

        SqliteDerivedFile.Close(connection);

        Assert.Equal(System.Data.ConnectionState.Closed, connection.State);
    }

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        connection.Open();
        SqliteDerivedFile.Configure(connection);
        using var create = connection.CreateCommand();
        create.CommandText = "CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)";
        create.ExecuteNonQuery();
        return connection;
    }

    private static void Insert(SqliteConnection connection, int batch, int rows = RowsPerProcess)
    {
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO rows (id, payload) VALUES ($id, zeroblob(3000))";
        var id = insert.Parameters.Add("$id", SqliteType.Integer);
        for (var row = 0; row < rows; row++)
        {
            id.Value = (batch * RowsPerProcess) + row;
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private long LogLength() => new FileInfo(_path + "-wal") is { Exists: true } log ? log.Length : 0;

    private long Count()
    {
        using var connection = Connect();
        return Count(connection);
    }

    private static long Count(SqliteConnection connection)
    {
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM rows";
        return (long)count.ExecuteScalar()!;
    }
}
