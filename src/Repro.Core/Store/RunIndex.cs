using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Repro.Core.Errors;
using Repro.Core.Runs;

namespace Repro.Core.Store;

/// <summary>
/// SQLite index of the runs in a store, for fast listing. It holds nothing that is not in some <c>run.json</c> (or,
/// for a pulled run, its <see cref="RunFolder.PulledMarkerFileName"/> marker):
/// when it is missing, corrupt, of another version or out of date with the manifests, it is repaired from them.
/// </summary>
public sealed class RunIndex : IDisposable
{
    private const int SchemaVersion = 4;

    private readonly SqliteConnection _connection;
    private readonly RunStore _store;

    private RunIndex(RunStore store, SqliteConnection connection)
    {
        _store = store;
        _connection = connection;
    }

    /// <summary>
    /// Loads SQLite (the managed provider and the native library) and goes once through every kind of call the index
    /// makes (open with a busy timeout and the connection settings, a transaction, a statement with text, integer,
    /// real and null parameters, a reader over each column type), on a database in memory. The first
    /// <see cref="Open"/> would otherwise do it on the spot: the library's load and the marshalling stubs of each
    /// native call, which ReadyToRun cannot precompile and the JIT compiles fully optimised, tens of milliseconds a
    /// command can spend on another thread while it parses its command line and reads its project.
    /// </summary>
    public static void Prepare()
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = ":memory:",
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        connection.Open();
        SqliteDerivedFile.Configure(connection);
        _ = Scalar(connection, "PRAGMA user_version");
        using var transaction = connection.BeginTransaction();
        Execute(connection, "CREATE TABLE prepared (t TEXT, i INTEGER, r REAL)");
        using (var insert = connection.CreateCommand())
        {
            insert.CommandText = "INSERT INTO prepared (t, i, r) VALUES ($t, $i, $r)";
            insert.Parameters.AddWithValue("$t", "text");
            insert.Parameters.AddWithValue("$i", 1L);
            insert.Parameters.AddWithValue("$r", 0.5);
            insert.ExecuteNonQuery();
            insert.Parameters["$r"].Value = DBNull.Value;
            insert.ExecuteNonQuery();
        }

        using (var select = connection.CreateCommand())
        {
            select.CommandText = "SELECT t, i, r FROM prepared WHERE i = $i ORDER BY t DESC LIMIT $limit";
            select.Parameters.AddWithValue("$i", 1L);
            select.Parameters.AddWithValue("$limit", -1);
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                _ = reader.GetString(0);
                _ = reader.GetInt64(1);
                _ = reader.IsDBNull(2) ? 0 : reader.GetDouble(2);
            }
        }

        transaction.Commit();
    }

    /// <summary>Opens (creating or rebuilding when needed) the index of <paramref name="store"/>.</summary>
    /// <param name="store">The store.</param>
    /// <param name="warnings">Receives a line when a damaged index was set aside.</param>
    /// <exception cref="StoreException">The index cannot be opened or created (a read-only or full store, a folder in its place).</exception>
    public static RunIndex Open(RunStore store, ICollection<string>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (Directory.Exists(store.IndexPath))
        {
            throw new StoreException($"the run index {store.IndexPath} is a folder, not a file; move it away and repro rebuilds the index from the manifests");
        }

        try
        {
            return OpenOrCreate(store);
        }
        catch (SqliteException exception) when (SqliteFiles.IsDamage(exception))
        {
            // A corrupt or foreign file: the manifests are the truth, so start the index again from them.
            var aside = SqliteFiles.SetAside(store.IndexPath);
            warnings?.Add($"the run index {store.IndexPath} was damaged ({exception.Message}); set aside as {aside} and rebuilt from the manifests");
            try
            {
                return OpenOrCreate(store);
            }
            catch (SqliteException again)
            {
                throw new StoreException($"cannot open the run index {store.IndexPath}: {again.Message}", again);
            }
        }
        catch (SqliteException exception)
        {
            throw new StoreException($"cannot open the run index {store.IndexPath}: {exception.Message}", exception);
        }
    }

    /// <summary>Records or replaces one run, under the id its manifest gives.</summary>
    public void Upsert(RunManifest manifest, long manifestWriteTicks)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        Upsert(manifest, manifest.RunId, manifestWriteTicks);
    }

    /// <summary>Records or replaces one run, under <paramref name="runId"/> (its folder name, whatever the manifest says).</summary>
    public void Upsert(RunManifest manifest, string runId, long manifestWriteTicks)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        manifest = manifest with { RunId = runId };
        using var command = _connection.CreateCommand();
        command.CommandText = """
            INSERT INTO runs (run_id, status, entry_point, run_name, experiment, verifies, verdict, started_at, duration, parameters, metrics, pulled, job_id, manifest_ticks)
            VALUES ($id, $status, $entry, $name, $experiment, $verifies, $verdict, $started, $duration, $parameters, $metrics, $pulled, $job, $ticks)
            ON CONFLICT(run_id) DO UPDATE SET
              status = excluded.status, entry_point = excluded.entry_point, run_name = excluded.run_name,
              experiment = excluded.experiment, verifies = excluded.verifies, verdict = excluded.verdict, started_at = excluded.started_at,
              duration = excluded.duration, parameters = excluded.parameters, metrics = excluded.metrics,
              pulled = excluded.pulled, job_id = excluded.job_id, manifest_ticks = excluded.manifest_ticks
            """;
        var summary = RunSummary.From(manifest);
        command.Parameters.AddWithValue("$id", summary.RunId);
        command.Parameters.AddWithValue("$status", summary.Status.ToString());
        command.Parameters.AddWithValue("$entry", summary.EntryPoint);
        command.Parameters.AddWithValue("$name", (object?)summary.RunName ?? DBNull.Value);
        command.Parameters.AddWithValue("$experiment", (object?)summary.ExperimentName ?? DBNull.Value);
        command.Parameters.AddWithValue("$verifies", (object?)summary.Verifies ?? DBNull.Value);
        command.Parameters.AddWithValue("$verdict", (object?)summary.Verdict?.ToString() ?? DBNull.Value);
        command.Parameters.AddWithValue("$started", summary.StartedAt?.ToString("O", CultureInfo.InvariantCulture) ?? (object)DBNull.Value);
        command.Parameters.AddWithValue("$duration", (object?)summary.DurationSeconds ?? DBNull.Value);
        command.Parameters.AddWithValue("$parameters", RunIndexJson.Write(summary.Parameters));
        command.Parameters.AddWithValue("$metrics", RunIndexJson.Write(summary.Metrics));
        command.Parameters.AddWithValue("$pulled", File.Exists(Path.Combine(_store.RunsDirectory, summary.RunId, RunFolder.PulledMarkerFileName)) ? 1 : 0);
        command.Parameters.AddWithValue("$job", (object?)summary.JobId ?? DBNull.Value);
        command.Parameters.AddWithValue("$ticks", manifestWriteTicks);
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Records or replaces many runs in one transaction (one commit, where <see cref="Upsert(RunManifest, long)"/> per run
    /// commits each): for runs whose manifests were saved without the index (<see cref="RunStore.WritesIndex"/> false).
    /// </summary>
    public void UpsertAll(IReadOnlyList<(RunManifest Manifest, long ManifestWriteTicks)> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        using var transaction = _connection.BeginTransaction();
        for (var i = 0; i < runs.Count; i++)
        {
            Upsert(runs[i].Manifest, runs[i].ManifestWriteTicks);
        }

        transaction.Commit();
    }

    /// <summary>
    /// Brings the index in line with the manifests on disk: adds runs it lacks, re-reads manifests written since
    /// they were indexed (a crash between writing run.json and the index), and drops runs whose folder is gone or
    /// whose manifest can no longer be read.
    /// Costs one directory listing and one stat per run.
    /// </summary>
    /// <returns>The runs whose manifest cannot be read (left out of the index), and warnings about the ones read.</returns>
    public SyncReport Synchronize()
    {
        var damaged = new List<DamagedRun>();
        var warnings = new List<string>();
        var indexed = new Dictionary<string, long>(StringComparer.Ordinal);
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = "SELECT run_id, manifest_ticks FROM runs";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                indexed[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        using var transaction = _connection.BeginTransaction();
        foreach (var runId in _store.ListRunIds())
        {
            var path = Path.Combine(_store.RunsDirectory, runId, RunFolder.ManifestFileName);
            var ticks = File.GetLastWriteTimeUtc(path).Ticks;
            if (indexed.TryGetValue(runId, out var known) && known == ticks)
            {
                indexed.Remove(runId);
                continue;
            }

            RunManifest manifest;
            try
            {
                manifest = _store.Load(runId, warnings);
            }
            catch (Exception exception) when (exception is StoreException or InputException)
            {
                // A damaged manifest: listed as DAMAGED, not indexed. Its old row goes too (it stays in `indexed`), so
                // the listing is what a rebuild from the manifests would give.
                damaged.Add(new DamagedRun(runId, exception.Message));
                continue;
            }

            indexed.Remove(runId);
            Upsert(manifest, runId, ticks);
        }

        foreach (var gone in indexed.Keys)
        {
            using var delete = _connection.CreateCommand();
            delete.CommandText = "DELETE FROM runs WHERE run_id = $id";
            delete.Parameters.AddWithValue("$id", gone);
            delete.ExecuteNonQuery();
        }

        transaction.Commit();
        return new SyncReport(damaged, warnings);
    }

    /// <summary>Runs matching <paramref name="query"/>, newest first.</summary>
    public IReadOnlyList<RunSummary> Query(RunQuery query)
    {
        using var command = _connection.CreateCommand();
        var conditions = new List<string>();
        if (query.EntryPoint is not null)
        {
            conditions.Add("entry_point = $entry");
            command.Parameters.AddWithValue("$entry", query.EntryPoint);
        }

        if (query.Status is { } status)
        {
            conditions.Add("status = $status");
            command.Parameters.AddWithValue("$status", status.ToString());
        }

        if (query.ExperimentName is not null)
        {
            conditions.Add("experiment = $experiment");
            command.Parameters.AddWithValue("$experiment", query.ExperimentName);
        }

        var where = conditions.Count > 0 ? "WHERE " + string.Join(" AND ", conditions) : string.Empty;
        command.CommandText = $"""
            SELECT run_id, status, entry_point, run_name, experiment, verifies, started_at, duration, parameters, metrics, verdict, pulled, job_id
            FROM runs {where} ORDER BY run_id DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$limit", query.Limit is > 0 ? query.Limit.Value : -1);

        var results = new List<RunSummary>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            results.Add(new RunSummary(
                RunId: reader.GetString(0),
                Status: Enum.Parse<RunStatus>(reader.GetString(1)),
                EntryPoint: reader.GetString(2),
                RunName: reader.IsDBNull(3) ? null : reader.GetString(3),
                ExperimentName: reader.IsDBNull(4) ? null : reader.GetString(4),
                Verifies: reader.IsDBNull(5) ? null : reader.GetString(5),
                StartedAt: reader.IsDBNull(6) ? null : DateTimeOffset.Parse(reader.GetString(6), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                DurationSeconds: reader.IsDBNull(7) ? null : reader.GetDouble(7),
                Parameters: RunIndexJson.ReadParameters(reader.GetString(8)),
                Metrics: RunIndexJson.ReadMetrics(reader.GetString(9)),
                Verdict: reader.IsDBNull(10) ? null : Enum.Parse<Verdict>(reader.GetString(10)))
            {
                Pulled = reader.GetInt64(11) != 0,
                JobId = reader.IsDBNull(12) ? null : reader.GetString(12),
            });
        }

        return results;
    }

    /// <inheritdoc />
    public void Dispose() => SqliteDerivedFile.Close(_connection);

    private static RunIndex OpenOrCreate(RunStore store)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = store.IndexPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        try
        {
            connection.Open();
            SqliteDerivedFile.Configure(connection);
            var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version"), CultureInfo.InvariantCulture);
            if (version != SchemaVersion)
            {
                // Another layout (or a fresh file): the index is derived data, so recreate it rather than migrate.
                Execute(connection, $"""
                    BEGIN IMMEDIATE;
                    DROP TABLE IF EXISTS runs;
                    CREATE TABLE runs (
                      run_id TEXT PRIMARY KEY NOT NULL,
                      status TEXT NOT NULL,
                      entry_point TEXT NOT NULL,
                      run_name TEXT,
                      experiment TEXT,
                      verifies TEXT,
                      verdict TEXT,
                      started_at TEXT,
                      duration REAL,
                      parameters TEXT NOT NULL,
                      metrics TEXT NOT NULL,
                      pulled INTEGER NOT NULL DEFAULT 0,
                      job_id TEXT,
                      manifest_ticks INTEGER NOT NULL
                    );
                    CREATE INDEX runs_entry_point ON runs (entry_point, run_id);
                    CREATE INDEX runs_status ON runs (status, run_id);
                    PRAGMA user_version = {SchemaVersion};
                    COMMIT;
                    """);
            }

            return new RunIndex(store, connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

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

}

/// <summary>A run whose manifest cannot be read.</summary>
/// <param name="RunId">The run id (its folder).</param>
/// <param name="Problem">One line naming the file and what is wrong with it.</param>
public sealed record DamagedRun(string RunId, string Problem);

/// <summary>What <see cref="RunIndex.Synchronize"/> found beside the readable manifests.</summary>
/// <param name="Damaged">Runs whose manifest cannot be read.</param>
/// <param name="Warnings">Lines about manifests that were read (a runId that disagrees with its folder).</param>
public sealed record SyncReport(IReadOnlyList<DamagedRun> Damaged, IReadOnlyList<string> Warnings);
