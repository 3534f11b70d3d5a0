using System.Globalization;
using Microsoft.Data.Sqlite;
using Repro.Core.Capture.Data;
using Repro.Core.FileSystem;

namespace Repro.Core.Tests.Capture.Data;

public sealed class HashCacheTests : IDisposable
{
    private const string Sha = "0000000000000000000000000000000000000000000000000000000000000001";

    private static readonly DateTimeOffset FarFuture = DateTimeOffset.UtcNow.AddDays(1);

    private readonly DataTestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    public static TheoryData<string> KeyFields => ["size", "mtime", "ctime", "inode", "device"];

    [Fact]
    public void TryGuessAll_AfterRememberAll_GivesTheLastDigestAtEachPathWhateverItsStatusEvenAfterReopening()
    {
        var fresh = new FileStatus(FileKind.Regular, 10, 1_000, 2_000, 42, 7, HasIdentity: true);
        using (var cache = HashCache.Open(_directory.Store))
        {
            cache.RememberAll([new CacheEntry("/data/a.csv", fresh, Sha)]);
            // Too recent for the status-checked cache, which refuses it; the guess is kept regardless.
            Assert.Equal(0, cache.PutAll([new CacheEntry("/data/a.csv", fresh, Sha)], DateTimeOffset.UnixEpoch));
        }

        using var reopened = HashCache.Open(_directory.Store);

        Assert.Equal([Sha, null], reopened.TryGuessAll(["/data/a.csv", "/data/b.csv"]));
        Assert.Null(reopened.TryGet("/data/a.csv", fresh));
    }

    [Fact]
    public void Open_CacheOfSchemaVersion1_KeepsItsEntriesAndGainsTheGuessTable()
    {
        var status = new FileStatus(FileKind.Regular, 10, 1_000, 2_000, 42, 7, HasIdentity: true);
        using (var cache = HashCache.Open(_directory.Store))
        {
            cache.PutAll([new CacheEntry("/data/a.csv", status, Sha)], FarFuture);
        }

        var path = Path.Combine(_directory.Store, HashCache.FileName);
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DROP TABLE last_digests; PRAGMA user_version = 1;";
            command.ExecuteNonQuery();
        }

        using var upgraded = HashCache.Open(_directory.Store);
        upgraded.RememberAll([new CacheEntry("/data/b.csv", status, Sha)]);

        Assert.Equal(Sha, upgraded.TryGet("/data/a.csv", status));
        Assert.Equal([null, Sha], upgraded.TryGuessAll(["/data/a.csv", "/data/b.csv"]));
    }

    [Theory]
    [MemberData(nameof(KeyFields))]
    public void TryGet_EntryDifferingInOneKeyField_Misses(string field)
    {
        using var cache = HashCache.Open(_directory.Store);
        var status = new FileStatus(FileKind.Regular, 10, 1_000, 2_000, 42, 7, HasIdentity: true);
        cache.PutAll([new CacheEntry("/data/a.csv", status, Sha)], FarFuture);

        var changed = field switch
        {
            "size" => status with { Size = 11 },
            "mtime" => status with { ModifiedNs = 1_001 },
            "ctime" => status with { ChangedNs = 2_001 },
            "inode" => status with { Inode = 43 },
            _ => status with { Device = 8 },
        };

        Assert.Equal(Sha, cache.TryGet("/data/a.csv", status));
        Assert.Null(cache.TryGet("/data/a.csv", changed));
    }

    [Fact]
    public void TryGet_AnotherProcessOpensTheSameStore_SeesTheEntry()
    {
        var status = new FileStatus(FileKind.Regular, 10, 1_000, 2_000, 42, 7, HasIdentity: true);
        using (var writer = HashCache.Open(_directory.Store))
        {
            writer.PutAll([new CacheEntry("/data/a.csv", status, Sha)], FarFuture);
        }

        using var reader = HashCache.Open(_directory.Store);

        Assert.Equal(Sha, reader.TryGet("/data/a.csv", status));
        Assert.True(File.Exists(Path.Combine(_directory.Store, HashCache.FileName)));
    }

    [Fact]
    public void PutAll_TimestampsWithinTheRacyMarginOfHashingStart_StoresNothing()
    {
        using var cache = HashCache.Open(_directory.Store);
        var started = DateTimeOffset.UtcNow;
        var startedNs = (started.UtcTicks - DateTime.UnixEpoch.Ticks) * 100;
        var oneSecond = 1_000_000_000L;
        var recentWrite = new FileStatus(FileKind.Regular, 10, startedNs - oneSecond, startedNs - (5 * oneSecond), 1, 1, HasIdentity: true);
        var recentChange = recentWrite with { Inode = 2, ModifiedNs = startedNs - (5 * oneSecond), ChangedNs = startedNs - oneSecond };
        var old = recentWrite with { Inode = 3, ModifiedNs = startedNs - (5 * oneSecond), ChangedNs = startedNs - (3 * oneSecond) };

        var stored = cache.PutAll(
            [new CacheEntry("/w", recentWrite, Sha), new CacheEntry("/c", recentChange, Sha), new CacheEntry("/o", old, Sha)],
            started);

        Assert.Equal(1, stored);
        Assert.Null(cache.TryGet("/w", recentWrite));
        Assert.Null(cache.TryGet("/c", recentChange));
        Assert.Equal(Sha, cache.TryGet("/o", old));
    }

    [Fact]
    public void PutAll_StatusWithoutIdentity_IsNeverStored()
    {
        using var cache = HashCache.Open(_directory.Store);
        var status = new FileStatus(FileKind.Regular, 10, 1_000, 0, 0, 0, HasIdentity: false);

        Assert.Equal(0, cache.PutAll([new CacheEntry("/a", status, Sha)], FarFuture));
        Assert.Null(cache.TryGet("/a", status));
    }

    [Fact]
    public async Task PutAllAndTryGetAll_ManyConnectionsAtOnce_EveryEntryIsStoredAndFound()
    {
        const int Writers = 8;
        const int PerWriter = 200;
        static FileStatus StatusOf(int writer, int i) => new(FileKind.Regular, i, i, i, (ulong)((writer * PerWriter) + i), 1, HasIdentity: true);
        static string ShaOf(int writer, int i) => $"{writer:x4}{i:x4}".PadLeft(64, '0');

        // Writers share some paths (i % 50), so they also overwrite each other's entries.
        var tasks = Enumerable.Range(0, Writers).Select(writer => Task.Run(() =>
        {
            using var cache = HashCache.Open(_directory.Store);
            for (var batch = 0; batch < PerWriter; batch += 20)
            {
                var entries = Enumerable.Range(batch, 20)
                    .Select(i => new CacheEntry($"/w{writer}/{i}", StatusOf(writer, i), ShaOf(writer, i)))
                    .Append(new CacheEntry($"/shared/{batch}", StatusOf(writer, batch), ShaOf(writer, batch)))
                    .ToList();
                cache.PutAll(entries, FarFuture);
                var found = cache.TryGetAll(entries.Select(e => new CacheKey(e.Path, e.Status)).ToList());
                Assert.Equal(entries.Take(20).Select(e => e.Sha256), found.Take(20));
            }
        })).ToArray();
        await Task.WhenAll(tasks);

        using var check = HashCache.Open(_directory.Store);
        for (var writer = 0; writer < Writers; writer++)
        {
            for (var i = 0; i < PerWriter; i++)
            {
                Assert.Equal(ShaOf(writer, i), check.TryGet($"/w{writer}/{i}", StatusOf(writer, i)));
            }
        }
    }

    [Fact]
    public void FileStatus_FilesOnTwoFileSystems_MatchWhatStatReports()
    {
        // The cache key is only as good as statx's fields: compare them with coreutils stat on the temp folder
        // and on /dev/shm, which is a separate tmpfs on most Linux machines.
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var files = new List<string> { _directory.Write("here.bin", "same") };
        if (Directory.Exists("/dev/shm"))
        {
            files.Add(Path.Combine("/dev/shm", $"repro-test-{Guid.NewGuid():N}"));
            File.WriteAllText(files[1], "same");
        }

        try
        {
            foreach (var file in files)
            {
                var reported = DataTestDirectory.Tool("stat", "-c", "%i %s %.9Y %.9Z %Hd %Ld", file);
                if (reported is null)
                {
                    return;
                }

                var fields = reported.Trim().Split(' ');
                var status = FileStatus.Of(file, followLinks: true)!.Value;
                Assert.True(status.HasIdentity);
                Assert.Equal(FileKind.Regular, status.Kind);
                Assert.Equal(ulong.Parse(fields[0], CultureInfo.InvariantCulture), status.Inode);
                Assert.Equal(4, status.Size);
                Assert.Equal(long.Parse(fields[2].Replace(".", "", StringComparison.Ordinal), CultureInfo.InvariantCulture), status.ModifiedNs);
                Assert.Equal(long.Parse(fields[3].Replace(".", "", StringComparison.Ordinal), CultureInfo.InvariantCulture), status.ChangedNs);
                Assert.Equal((ulong.Parse(fields[4], CultureInfo.InvariantCulture) << 32) | ulong.Parse(fields[5], CultureInfo.InvariantCulture), status.Device);
            }
        }
        finally
        {
            if (files.Count > 1)
            {
                File.Delete(files[1]);
            }
        }
    }

    [Fact]
    public void Open_DamagedFile_IsSetAsideWithAWarningAndStartedAgain()
    {
        Directory.CreateDirectory(_directory.Store);
        var path = Path.Combine(_directory.Store, HashCache.FileName);
        File.WriteAllBytes(path, [.. Enumerable.Range(0, 8192).Select(i => (byte)(i * 7 + 3))]);
        var warnings = new List<string>();
        var status = new FileStatus(FileKind.Regular, 10, 1_000, 2_000, 42, 7, HasIdentity: true);

        using var cache = HashCache.Open(_directory.Store, warnings.Add);
        cache.PutAll([new CacheEntry("/data/a.csv", status, Sha)], FarFuture);

        Assert.Equal(Sha, cache.TryGet("/data/a.csv", status));
        var warning = Assert.Single(warnings);
        Assert.Contains("was damaged", warning, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(_directory.Store, HashCache.FileName + ".damaged-*"));
    }

    [Fact]
    public void TryGetAll_DamageFoundInUse_AnswersNothingWarnsOnceAndSetsTheFileAside()
    {
        var status = new FileStatus(FileKind.Regular, 10, 1_000, 2_000, 42, 7, HasIdentity: true);
        using (var writer = HashCache.Open(_directory.Store))
        {
            writer.PutAll(Enumerable.Range(0, 2000).Select(i => new CacheEntry($"/data/{i}.csv", status, Sha)).ToList(), FarFuture);
        }

        var path = Path.Combine(_directory.Store, HashCache.FileName);

        // The cache leaves its changes in the write-ahead log when it closes: copy them into the file first, or SQLite
        // would read those pages from the log and never see the damage.
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            checkpoint.ExecuteNonQuery();
        }

        var bytes = File.ReadAllBytes(path);
        for (var i = 4096; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(i * 13);
        }

        File.WriteAllBytes(path, bytes);
        var warnings = new List<string>();

        using var cache = HashCache.Open(_directory.Store, warnings.Add);
        var found = cache.TryGetAll([.. Enumerable.Range(0, 2000).Select(i => new CacheKey($"/data/{i}.csv", status))]);
        cache.PutAll([new CacheEntry("/data/new.csv", status, Sha)], FarFuture);

        Assert.All(found, Assert.Null);
        Assert.Contains("was damaged", Assert.Single(warnings), StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Open_FolderInItsPlace_IsNotUsedAndSaysSo()
    {
        Directory.CreateDirectory(Path.Combine(_directory.Store, HashCache.FileName));
        var warnings = new List<string>();
        var status = new FileStatus(FileKind.Regular, 10, 1_000, 2_000, 42, 7, HasIdentity: true);

        using var cache = HashCache.Open(_directory.Store, warnings.Add);

        Assert.Equal(0, cache.PutAll([new CacheEntry("/data/a.csv", status, Sha)], FarFuture));
        Assert.Null(cache.TryGet("/data/a.csv", status));
        Assert.Contains("is a folder, not a file", Assert.Single(warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void OpenOnFirstUse_NothingToLookUpOrStore_CreatesNoFile()
    {
        var status = new FileStatus(FileKind.Regular, 10, 1_000, 2_000, 42, 7, HasIdentity: true);

        using (var cache = HashCache.OpenOnFirstUse(_directory.Store))
        {
            Assert.Empty(cache.TryGetAll([]));
            Assert.Empty(cache.TryGuessAll([]));
            cache.RememberAll([]);
            Assert.Equal(0, cache.PutAll([new CacheEntry("/data/a.csv", status, Sha)], DateTimeOffset.UnixEpoch));
        }

        Assert.False(File.Exists(Path.Combine(_directory.Store, HashCache.FileName)));
    }

    [Fact]
    public void OpenOnFirstUse_FirstStore_CreatesTheFileAndKeepsWhatWasStored()
    {
        var status = new FileStatus(FileKind.Regular, 10, 1_000, 2_000, 42, 7, HasIdentity: true);

        using (var cache = HashCache.OpenOnFirstUse(_directory.Store))
        {
            Assert.Equal(1, cache.PutAll([new CacheEntry("/data/a.csv", status, Sha)], FarFuture));
        }

        using var again = HashCache.OpenOnFirstUse(_directory.Store);
        Assert.Equal(Sha, again.TryGet("/data/a.csv", status));
    }

    [Fact]
    public void OpenOnFirstUse_DamagedFile_IsSetAsideWithAWarningAtFirstUse()
    {
        Directory.CreateDirectory(_directory.Store);
        var path = Path.Combine(_directory.Store, HashCache.FileName);
        File.WriteAllBytes(path, [.. Enumerable.Range(0, 8192).Select(i => (byte)(i * 7 + 3))]);
        var warnings = new List<string>();
        var status = new FileStatus(FileKind.Regular, 10, 1_000, 2_000, 42, 7, HasIdentity: true);

        using var cache = HashCache.OpenOnFirstUse(_directory.Store, warnings.Add);
        Assert.Empty(warnings);
        cache.PutAll([new CacheEntry("/data/a.csv", status, Sha)], FarFuture);

        Assert.Equal(Sha, cache.TryGet("/data/a.csv", status));
        Assert.Contains("was damaged", Assert.Single(warnings), StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(_directory.Store, HashCache.FileName + ".damaged-*"));
    }
}
