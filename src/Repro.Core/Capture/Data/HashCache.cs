using System.Globalization;
using Microsoft.Data.Sqlite;
using Repro.Core.Errors;
using Repro.Core.FileSystem;

namespace Repro.Core.Capture.Data;

/// <summary>
/// Remembers the SHA-256 of files so unchanged data is not read again. Stored in the run store as
/// <c>hash-cache.db</c> (SQLite in WAL mode with a busy timeout, so several repro processes can share it).
/// </summary>
/// <remarks>
/// <para>
/// An entry is keyed by absolute path and answers only when size, modification time, change time (both in
/// nanoseconds), inode and device all still match. A same-size rewrite that restores the old modification time
/// still changes the change time, which no user can set; a file replaced by rename has a new inode; a different
/// file system mounted at the same place has another device.
/// </para>
/// <para>
/// The racy case, as git calls it: file timestamps come from a coarse kernel clock (one tick is several
/// milliseconds, and some file systems keep only seconds or two-second steps), so a same-size write that lands
/// in the same tick as the last one, just after the file was hashed, leaves every key field unchanged. An entry
/// is therefore only stored when the file's modification and change times are at least
/// <see cref="DefaultRacyMargin"/> older than the moment hashing started; any later write then gets a later
/// timestamp. Freshly written files are simply hashed again next time.
/// </para>
/// <para>Without <c>statx</c> (other operating systems) there is no inode or change time, and the cache answers nothing.</para>
/// </remarks>
public sealed class HashCache : IDisposable
{
    /// <summary>The file name of the cache inside the store.</summary>
    public const string FileName = "hash-cache.db";

    /// <summary>How much older than the start of hashing a file's timestamps must be for its hash to be kept.</summary>
    public static readonly TimeSpan DefaultRacyMargin = TimeSpan.FromSeconds(2);

    private const int SchemaVersion = 1;

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    private HashCache(string path, SqliteConnection connection)
    {
        FilePath = path;
        _connection = connection;
    }

    /// <summary>The cache file.</summary>
    public string FilePath { get; }

    /// <summary>Required age of timestamps before an entry is stored; tests shorten it.</summary>
    internal TimeSpan RacyMargin { get; set; } = DefaultRacyMargin;

    /// <summary>Opens (creating when needed) <c>hash-cache.db</c> in <paramref name="storeDirectory"/>.</summary>
    /// <exception cref="StoreException">The store cannot be created or the cache is unreadable.</exception>
    public static HashCache Open(string storeDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(storeDirectory);
        var path = Path.Combine(Path.GetFullPath(storeDirectory), FileName);
        SqliteConnection? connection = null;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = path,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = false,
                DefaultTimeout = 60,
            }.ToString());
            connection.Open();

            // The busy timeout comes first: switching to WAL itself needs a lock another process may hold.
            Execute(connection, "PRAGMA busy_timeout = 30000;");
            Execute(connection, "PRAGMA journal_mode = WAL;");
            Execute(connection, "PRAGMA synchronous = NORMAL;");
            Execute(connection, """
                CREATE TABLE IF NOT EXISTS file_hashes (
                    path TEXT PRIMARY KEY NOT NULL,
                    size INTEGER NOT NULL,
                    mtime_ns INTEGER NOT NULL,
                    ctime_ns INTEGER NOT NULL,
                    inode INTEGER NOT NULL,
                    device INTEGER NOT NULL,
                    sha256 TEXT NOT NULL
                ) WITHOUT ROWID;
                """);
            Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {SchemaVersion};"));
            return new HashCache(path, connection);
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            connection?.Dispose();
            throw new StoreException($"cannot open the hash cache {path}: {e.Message}", e);
        }
    }

    /// <summary>The cached SHA-256 of the file at <paramref name="absolutePath"/> when <paramref name="status"/> still matches the entry; otherwise null.</summary>
    public string? TryGet(string absolutePath, FileStatus status) => TryGetAll([new CacheKey(absolutePath, status)])[0];

    /// <summary>Looks up many files in one transaction; the result has one entry per key, null for a miss.</summary>
    public IReadOnlyList<string?> TryGetAll(IReadOnlyList<CacheKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var found = new string?[keys.Count];
        lock (_gate)
        {
            Guard(() =>
            {
                using var transaction = _connection.BeginTransaction(deferred: true);
                using var command = _connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "SELECT size, mtime_ns, ctime_ns, inode, device, sha256 FROM file_hashes WHERE path = $path;";
                var pathParameter = command.Parameters.Add("$path", SqliteType.Text);
                for (var i = 0; i < keys.Count; i++)
                {
                    var (path, status) = keys[i];
                    if (!Cacheable(status))
                    {
                        continue;
                    }

                    pathParameter.Value = path;
                    using var reader = command.ExecuteReader();
                    if (reader.Read() && Matches(reader, status))
                    {
                        found[i] = reader.GetString(5);
                    }
                }

                transaction.Commit();
            });
        }

        return found;
    }

    /// <summary>
    /// Stores digests measured in a pass that started at <paramref name="hashingStartedUtc"/>. Entries whose
    /// timestamps are not safely older than that moment are skipped (see the remarks on <see cref="HashCache"/>).
    /// </summary>
    /// <returns>How many entries were stored.</returns>
    public int PutAll(IReadOnlyList<CacheEntry> entries, DateTimeOffset hashingStartedUtc)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var trustedBefore = NativeFiles.ToUnixNs(hashingStartedUtc.UtcDateTime - RacyMargin);
        var safe = entries.Where(e => Cacheable(e.Status) && e.Status.ModifiedNs < trustedBefore && e.Status.ChangedNs < trustedBefore).ToList();
        if (safe.Count == 0)
        {
            return 0;
        }

        lock (_gate)
        {
            Guard(() =>
            {
                using var transaction = _connection.BeginTransaction(deferred: false);
                using var command = _connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = """
                    INSERT OR REPLACE INTO file_hashes (path, size, mtime_ns, ctime_ns, inode, device, sha256)
                    VALUES ($path, $size, $mtime, $ctime, $inode, $device, $sha256);
                    """;
                var path = command.Parameters.Add("$path", SqliteType.Text);
                var size = command.Parameters.Add("$size", SqliteType.Integer);
                var mtime = command.Parameters.Add("$mtime", SqliteType.Integer);
                var ctime = command.Parameters.Add("$ctime", SqliteType.Integer);
                var inode = command.Parameters.Add("$inode", SqliteType.Integer);
                var device = command.Parameters.Add("$device", SqliteType.Integer);
                var sha256 = command.Parameters.Add("$sha256", SqliteType.Text);
                foreach (var entry in safe)
                {
                    path.Value = entry.Path;
                    size.Value = entry.Status.Size;
                    mtime.Value = entry.Status.ModifiedNs;
                    ctime.Value = entry.Status.ChangedNs;
                    inode.Value = unchecked((long)entry.Status.Inode);
                    device.Value = unchecked((long)entry.Status.Device);
                    sha256.Value = entry.Sha256;
                    command.ExecuteNonQuery();
                }

                transaction.Commit();
            });
        }

        return safe.Count;
    }

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();

    private static bool Cacheable(FileStatus status) => status.HasIdentity && status.Kind == FileKind.Regular;

    private static bool Matches(SqliteDataReader reader, FileStatus status) =>
        reader.GetInt64(0) == status.Size
        && reader.GetInt64(1) == status.ModifiedNs
        && reader.GetInt64(2) == status.ChangedNs
        && unchecked((ulong)reader.GetInt64(3)) == status.Inode
        && unchecked((ulong)reader.GetInt64(4)) == status.Device;

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private void Guard(Action action)
    {
        try
        {
            action();
        }
        catch (SqliteException e)
        {
            throw new StoreException($"hash cache {FilePath}: {e.Message}", e);
        }
    }
}

/// <summary>A file to look up in the <see cref="HashCache"/>.</summary>
/// <param name="Path">Absolute path of the file whose contents are hashed.</param>
/// <param name="Status">Its status now.</param>
public readonly record struct CacheKey(string Path, FileStatus Status);

/// <summary>A digest to remember.</summary>
/// <param name="Path">Absolute path of the file that was read.</param>
/// <param name="Status">Its status while it was read.</param>
/// <param name="Sha256">Lower-case hex SHA-256.</param>
public readonly record struct CacheEntry(string Path, FileStatus Status, string Sha256);
