using System.Diagnostics;
using System.Globalization;
using Repro.Core.Capture.Data;
using Repro.Core.FileSystem;

namespace Repro.Bench.Hashing;

/// <summary>
/// Adding 1 GiB in 16 files to the object store, in process, against <c>cp -r</c> of the same files (both flushed to
/// disk: the store flushes every object before it renames it into place), interleaved in each repetition, from the
/// page cache. Two store cases: files whose digest can be trusted from their status (older than the hash cache's racy
/// margin: a clone or kernel copy, no read), and files just written (a kernel copy or clone, read back and hashed while
/// the disk writes it). Then a run's outputs, whose digest is not known yet, both ways in the same run: as outputs were
/// stored before (hashed, then added, the copy read back) and as they are now (copied, the copy hashed: one read), into
/// an empty store and into one that already holds them.
/// </summary>
internal static class StoreBenchmark
{
    private const int Files = 16;
    private const long Total = 1L << 30;

    public static async Task<int> RunAsync(string directory, int repetitions)
    {
        var data = Path.Combine(directory, "data");
        Directory.CreateDirectory(data);
        var files = Enumerable.Range(1, Files).Select(i => Path.Combine(data, $"part-{i:00}.bin")).ToArray();
        foreach (var file in files)
        {
            Create(file, Total / Files);
        }

        // Older than the racy margin when hashed, as outputs of an earlier step or long-lived data are.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var started = DateTimeOffset.UtcNow;
        var digests = await FileHasher.HashFilesAsync(files, progress: null);
        var statuses = files.Select(f => FileStatus.Of(f, followLinks: true)!.Value).ToArray();
        var trustedBefore = (started.UtcDateTime - HashCache.DefaultRacyMargin - DateTime.UnixEpoch).Ticks * 100;
        if (statuses.Any(s => s.ModifiedNs >= trustedBefore || s.ChangedNs >= trustedBefore))
        {
            throw new InvalidOperationException("the files are too new to be trusted");
        }

        var cloning = CanClone(directory);
        Console.WriteLine($"# Object store benchmark: {Environment.ProcessorCount} cores, {directory} (reflinks: {(cloning ? "yes" : "no")}), {repetitions} repetitions, medians");
        Console.WriteLine();
        Console.WriteLine($"Load average before: {Load()}");
        Console.WriteLine();

        var cp = new List<double>();
        var cpNever = new List<double>();
        var trusted = new List<double>();
        var fresh = new List<double>();
        var outputBefore = new List<double>();
        var outputNow = new List<double>();
        var storedBefore = new List<double>();
        var storedNow = new List<double>();
        var storedExpected = new List<double>();
        var outcomes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < repetitions; i++)
        {
            foreach (var file in files)
            {
                await using var warm = File.OpenRead(file);
                await warm.CopyToAsync(Stream.Null);
            }

            // cp flushes exactly the files it wrote (coreutils `sync FILE...`: one fsync each), as the store flushes each
            // object before its rename; a plain `sync` would also wait for every other process's writes.
            cp.Add(Shell($"cp -r '{data}' '{directory}/cp' && find '{directory}/cp' -type f -exec sync {{}} +"));
            Clean(Path.Combine(directory, "cp"));
            cpNever.Add(Shell($"cp -r --reflink=never '{data}' '{directory}/cp' && find '{directory}/cp' -type f -exec sync {{}} +"));
            Clean(Path.Combine(directory, "cp"));
            trusted.Add(Add(directory, files, digests, statuses, outcomes));
            fresh.Add(Add(directory, files, digests, null, outcomes));
            outputBefore.Add(await HashThenAddAsync(directory, files, keep: true, outcomes));
            storedBefore.Add(await HashThenAddAsync(directory, files, keep: false, outcomes));
            outputNow.Add(AddByContent(directory, files, digests, keep: true, outcomes));
            storedExpected.Add(await ExpectedAsync(directory, files, digests, outcomes));
            storedNow.Add(AddByContent(directory, files, digests, keep: false, outcomes));
        }

        Console.WriteLine("| What (1 GiB in 16 files) | Median (s) | Ratio to cp -r && sync FILES | Ratio to cp -r --reflink=never && sync FILES |");
        Console.WriteLine("|---|---:|---:|---:|");
        Row("cp -r && sync FILES", cp, cp, cpNever);
        Row("cp -r --reflink=never && sync FILES", cpNever, cp, cpNever);
        Row("store add, trusted status (clone or kernel copy, no read)", trusted, cp, cpNever);
        Row("store add, just written (kernel copy, read back and hashed while the disk writes)", fresh, cp, cpNever);
        Row("run outputs before: hashed, then store add (kernel copy read back): two reads", outputBefore, cp, cpNever);
        Row("run outputs now: store add by content (kernel copy, the copy hashed): one read", outputNow, cp, cpNever);
        Row("run outputs already stored, before: hashed, object found", storedBefore, cp, cpNever);
        Row("run outputs already stored, without an expected digest: copied, the copy hashed, dropped unflushed", storedNow, cp, cpNever);
        Row("run outputs already stored, expected digest (verify, or the last digest at the path): hashed, nothing copied", storedExpected, cp, cpNever);
        Console.WriteLine();
        Console.WriteLine($"Store outcomes: {string.Join(", ", outcomes.Order(StringComparer.Ordinal))}. Load average after: {Load()}");
        return 0;
    }

    /// <summary>Adds every file, four at once as the fingerprinter does; the store flushes each object before its rename.</summary>
    private static double Add(string directory, string[] files, IReadOnlyList<string> digests, FileStatus[]? statuses, HashSet<string> outcomes)
    {
        var storeDirectory = Path.Combine(directory, "store");
        var store = new ObjectStore(storeDirectory);
        var clock = Stopwatch.StartNew();
        var results = new PutOutcome[files.Length];
        Parallel.For(0, files.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => results[i] = store.Put(files[i], digests[i], statuses?[i]));
        var seconds = clock.Elapsed.TotalSeconds;
        outcomes.UnionWith(results.Select(r => $"{(statuses is null ? "just written" : "trusted")}: {r}"));
        Clean(storeDirectory);
        return seconds;
    }

    /// <summary>
    /// A run's outputs as they were stored before: every file hashed (as the fingerprinter hashes), then added four at
    /// once with the copy read back. With <paramref name="keep"/> false the store is left filled for the next call,
    /// which then finds every object there.
    /// </summary>
    private static async Task<double> HashThenAddAsync(string directory, string[] files, bool keep, HashSet<string> outcomes)
    {
        var store = new ObjectStore(Path.Combine(directory, "store"));
        var clock = Stopwatch.StartNew();
        var digests = await FileHasher.HashFilesAsync(files, progress: null);
        var results = new PutOutcome[files.Length];
        Parallel.For(0, files.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => results[i] = store.Put(files[i], digests[i], null));
        var seconds = clock.Elapsed.TotalSeconds;
        outcomes.UnionWith(results.Select(r => $"outputs before: {r}"));
        if (!keep)
        {
            Clean(Path.Combine(directory, "store"));
        }

        return seconds;
    }

    /// <summary>
    /// A run's outputs that the store already holds, fingerprinted as a verify (or a re-run whose guess is right) does:
    /// the expected digest names a stored object of the file's size, so each file is hashed once and nothing is copied.
    /// </summary>
    private static async Task<double> ExpectedAsync(string directory, string[] files, IReadOnlyList<string> digests, HashSet<string> outcomes)
    {
        var store = new ObjectStore(Path.Combine(directory, "store"));
        var expected = files.Select((file, i) => (Path: Path.GetRelativePath(directory, file).Replace('\\', '/'), Sha256: digests[i]))
            .ToDictionary(pair => pair.Path, pair => pair.Sha256, StringComparer.Ordinal);
        var fingerprinter = new Fingerprinter(new FingerprintOptions { ObjectStore = store, ExpectedOutputs = expected });
        var clock = Stopwatch.StartNew();
        var outputs = await fingerprinter.FingerprintOutputsAsync(directory, [DataSpec.Output("data")], CancellationToken.None);
        var seconds = clock.Elapsed.TotalSeconds;
        if (!outputs.Records[0].Files.Select(f => f.Sha256).SequenceEqual(digests) || fingerprinter.CopiedByContent != 0)
        {
            throw new InvalidOperationException("outputs with expected digests were copied or recorded with other digests");
        }

        outcomes.Add($"outputs expected: {fingerprinter.ConfirmedFromExpectation} confirmed, {fingerprinter.CopiedByContent} copied");
        return seconds;
    }

    /// <summary>A run's outputs as they are stored now: copied into the store and the copy hashed, as the fingerprinter does.</summary>
    private static double AddByContent(string directory, string[] files, IReadOnlyList<string> digests, bool keep, HashSet<string> outcomes)
    {
        var store = new ObjectStore(Path.Combine(directory, "store"));
        var clock = Stopwatch.StartNew();
        var results = new ContentPut[files.Length];
        Parallel.For(0, files.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(4, Environment.ProcessorCount) }, i =>
        {
            using var input = NativeFiles.OpenRead(files[i]);
            results[i] = store.PutContent(input, files[i], progress: null, CancellationToken.None);
        });
        var seconds = clock.Elapsed.TotalSeconds;
        if (results.Select(r => r.Sha256).Where((sha256, i) => sha256 != digests[i]).Any())
        {
            throw new InvalidOperationException("store add by content gave another digest than the hash");
        }

        outcomes.UnionWith(results.Select(r => $"outputs now: {r.Outcome}"));
        if (!keep)
        {
            Clean(Path.Combine(directory, "store"));
        }

        return seconds;
    }

    private static void Row(string what, List<double> times, List<double> cp, List<double> cpNever) =>
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {what} | {Median(times):0.000} | {Median(times) / Median(cp):0.00} | {Median(times) / Median(cpNever):0.00} |"));

    private static double Shell(string command)
    {
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(new ProcessStartInfo("sh", ["-c", command]) { UseShellExecute = false })!;
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{command}` failed");
        }

        return clock.Elapsed.TotalSeconds;
    }

    private static void Clean(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }

        Directory.Delete(directory, recursive: true);
        using var sync = Process.Start(new ProcessStartInfo("sync") { UseShellExecute = false })!;
        sync.WaitForExit();
    }

    private static bool CanClone(string directory)
    {
        var probe = Path.Combine(directory, "probe");
        File.WriteAllBytes(probe, new byte[4096]);
        try
        {
            using var cp = Process.Start(new ProcessStartInfo("cp", ["--reflink=always", probe, probe + ".clone"]) { UseShellExecute = false, RedirectStandardError = true })!;
            cp.StandardError.ReadToEnd();
            cp.WaitForExit();
            return cp.ExitCode == 0;
        }
        finally
        {
            File.Delete(probe);
            File.Delete(probe + ".clone");
        }
    }

    private static void Create(string path, long size)
    {
        if (File.Exists(path) && new FileInfo(path).Length == size)
        {
            return;
        }

        // Every file different: identical files would be one object, and the store would copy only the first.
        var random = new Random(path.Aggregate(17, (hash, c) => unchecked((hash * 31) + c)));
        var buffer = new byte[1 << 20];
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1);
        for (long written = 0; written < size; written += buffer.Length)
        {
            random.NextBytes(buffer);
            stream.Write(buffer, 0, (int)Math.Min(buffer.Length, size - written));
        }
    }

    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown";

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
