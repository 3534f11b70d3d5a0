using System.Globalization;
using Microsoft.Data.Sqlite;
using Repro.Core.FileSystem;
using Repro.Core.Store;

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
/// <para>
/// It is a cache, so it never fails a run: a damaged file is set aside (<c>hash-cache.db.damaged-…</c>) with a warning
/// and a new one is started; one that cannot be opened or written (a read-only or full store, a folder in its place)
/// is not used, with a warning, and every file is hashed.
/// </para>
/// </remarks>
public sealed class HashCache : IDisposable
{
    /// <summary>The file name of the cache inside the store.</summary>
    public const string FileName = "hash-cache.db";

    /// <summary>How much older than the start of hashing a file's timestamps must be for its hash to be kept.</summary>
    public static readonly TimeSpan DefaultRacyMargin = TimeSpan.FromSeconds(2);

    // 2 added last_digests; a version 1 file gets the new table on first open.
    private const int SchemaVersion = 2;

    private readonly Lock _gate = new();
    private readonly Action<string>? _warn;
    private SqliteConnection? _connection;
    private bool _disabled;

    // Opened on first use (OpenOnFirstUse) and not yet: the first query opens it.
    private bool _connectPending;

    private HashCache(string path, SqliteConnection? connection, Action<string>? warn)
    {
        FilePath = path;
        _connection = connection;
        _warn = warn;
        _disabled = connection is null;
    }

    /// <summary>The cache file.</summary>
    public string FilePath { get; }

    /// <summary>Required age of timestamps before an entry is stored; tests shorten it.</summary>
    internal TimeSpan RacyMargin { get; set; } = DefaultRacyMargin;

    /// <summary>Opens (creating when needed) <c>hash-cache.db</c> in <paramref name="storeDirectory"/>.</summary>
    /// <param name="storeDirectory">The run store.</param>
    /// <param name="warn">Receives a line when the cache was damaged and set aside, or cannot be used (then it answers nothing).</param>
    public static HashCache Open(string storeDirectory, Action<string>? warn = null)
    {
        var path = CachePath(storeDirectory);
        return new HashCache(path, TryConnect(path, warn), warn);
    }

    /// <summary>
    /// As <see cref="Open"/>, but the file is opened (and created) only when the cache is first asked or told
    /// something: a run with no data to hash (no inputs, no outputs) never opens it. A damaged or
    /// unusable cache is then reported at that first use, in the same words.
    /// </summary>
    /// <param name="storeDirectory">The run store.</param>
    /// <param name="warn">As for <see cref="Open"/>.</param>
    public static HashCache OpenOnFirstUse(string storeDirectory, Action<string>? warn = null) =>
        new(CachePath(storeDirectory), null, warn) { _connectPending = true, _disabled = false };

    private static string CachePath(string storeDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(storeDirectory);
        return Path.Combine(Path.GetFullPath(storeDirectory), FileName);
    }

    // The connection, or null (with a warning) when the cache cannot be used.
    private static SqliteConnection? TryConnect(string path, Action<string>? warn)
    {
        if (Directory.Exists(path))
        {
            warn?.Invoke($"the hash cache {path} is a folder, not a file: every file is hashed; move it away and repro starts a new cache");
            return null;
        }

        try
        {
            return Connect(path);
        }
        catch (SqliteException exception) when (SqliteFiles.IsDamage(exception))
        {
            var aside = SqliteFiles.SetAside(path);
            warn?.Invoke($"the hash cache {path} was damaged ({exception.Message}); set aside as {aside} and started again");
            try
            {
                return Connect(path);
            }
            catch (Exception again) when (again is SqliteException or IOException or UnauthorizedAccessException)
            {
                warn?.Invoke($"the hash cache {path} cannot be used ({again.Message}): every file is hashed");
                return null;
            }
        }
        catch (Exception exception) when (exception is SqliteException or IOException or UnauthorizedAccessException)
        {
            warn?.Invoke($"the hash cache {path} cannot be used ({exception.Message}): every file is hashed");
            return null;
        }
    }

    private static SqliteConnection Connect(string path)
    {
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

            SqliteDerivedFile.Configure(connection);

            // Creating the table and stamping the version is a write (and a disk flush): only for a new file.
            if (Convert.ToInt64(Scalar(connection, "PRAGMA user_version"), CultureInfo.InvariantCulture) == SchemaVersion)
            {
                return connection;
            }

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
            Execute(connection, """
                CREATE TABLE IF NOT EXISTS last_digests (
                    path TEXT PRIMARY KEY NOT NULL,
                    sha256 TEXT NOT NULL
                ) WITHOUT ROWID;
                """);
            Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {SchemaVersion};"));
            return connection;
        }
        catch
        {
            connection?.Dispose();
            throw;
        }
    }

    /// <summary>The cached SHA-256 of the file at <paramref name="absolutePath"/> when <paramref name="status"/> still matches the entry; otherwise null.</summary>
    public string? TryGet(string absolutePath, FileStatus status) => TryGetAll([new CacheKey(absolutePath, status)])[0];

    /// <summary>Looks up many files in one transaction; the result has one entry per key, null for a miss.</summary>
    public IReadOnlyList<string?> TryGetAll(IReadOnlyList<CacheKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var found = new string?[keys.Count];
        if (keys.Count == 0)
        {
            return found;
        }

        lock (_gate)
        {
            Guard(connection =>
            {
                using var transaction = connection.BeginTransaction(deferred: true);
                using var command = connection.CreateCommand();
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

                    pathParameter.Value = PathText.ToRecorded(path);
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

        var stored = 0;
        lock (_gate)
        {
            Guard(connection =>
            {
                using var transaction = connection.BeginTransaction(deferred: false);
                using var command = connection.CreateCommand();
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
                    path.Value = PathText.ToRecorded(entry.Path);
                    size.Value = entry.Status.Size;
                    mtime.Value = entry.Status.ModifiedNs;
                    ctime.Value = entry.Status.ChangedNs;
                    inode.Value = unchecked((long)entry.Status.Inode);
                    device.Value = unchecked((long)entry.Status.Device);
                    sha256.Value = entry.Sha256;
                    command.ExecuteNonQuery();
                }

                transaction.Commit();
                stored = safe.Count;
            });
        }

        return stored;
    }

    /// <summary>
    /// The digest last measured at each path, whatever the file's status now: a guess, never an answer. A caller
    /// that uses one must hash the file and compare (an output rewritten with the same content by a deterministic
    /// re-run is then read once and not copied into the object store again). Null where nothing was remembered.
    /// </summary>
    public IReadOnlyList<string?> TryGuessAll(IReadOnlyList<string> absolutePaths)
    {
        ArgumentNullException.ThrowIfNull(absolutePaths);
        var found = new string?[absolutePaths.Count];
        if (absolutePaths.Count == 0)
        {
            return found;
        }

        lock (_gate)
        {
            Guard(connection =>
            {
                using var transaction = connection.BeginTransaction(deferred: true);
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "SELECT sha256 FROM last_digests WHERE path = $path;";
                var pathParameter = command.Parameters.Add("$path", SqliteType.Text);
                for (var i = 0; i < absolutePaths.Count; i++)
                {
                    pathParameter.Value = PathText.ToRecorded(absolutePaths[i]);
                    found[i] = command.ExecuteScalar() as string;
                }

                transaction.Commit();
            });
        }

        return found;
    }

    /// <summary>
    /// Remembers the digest just measured at each path as the guess <see cref="TryGuessAll"/> gives next time. Unlike
    /// <see cref="PutAll"/> this keeps fresh files too: a guess is checked by hashing before it is used.
    /// </summary>
    public void RememberAll(IReadOnlyList<CacheEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            Guard(connection =>
            {
                using var transaction = connection.BeginTransaction(deferred: false);
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "INSERT OR REPLACE INTO last_digests (path, sha256) VALUES ($path, $sha256);";
                var path = command.Parameters.Add("$path", SqliteType.Text);
                var sha256 = command.Parameters.Add("$sha256", SqliteType.Text);
                foreach (var entry in entries)
                {
                    path.Value = PathText.ToRecorded(entry.Path);
                    sha256.Value = entry.Sha256;
                    command.ExecuteNonQuery();
                }

                transaction.Commit();
            });
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _connectPending = false;
            if (_connection is not null)
            {
                SqliteDerivedFile.Close(_connection);
            }
        }
    }

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

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    // Runs a query on a cache still in use; a failure takes the cache out of use for the rest of the run (and sets a
    // damaged file aside, so the next run starts a new one) instead of failing the run.
    private void Guard(Action<SqliteConnection> action)
    {
        if (_connectPending)
        {
            _connectPending = false;
            _connection = TryConnect(FilePath, _warn);
            _disabled = _connection is null;
        }

        if (_disabled || _connection is null)
        {
            return;
        }

        try
        {
            action(_connection);
        }
        catch (SqliteException e)
        {
            _disabled = true;
            if (SqliteFiles.IsDamage(e))
            {
                _connection.Dispose();
                var aside = SqliteFiles.SetAside(FilePath);
                _warn?.Invoke($"the hash cache {FilePath} was damaged ({e.Message}); set aside as {aside}: every file is hashed, and the next run starts a new cache");
            }
            else
            {
                _warn?.Invoke($"the hash cache {FilePath} cannot be used ({e.Message}): every file is hashed");
            }
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
