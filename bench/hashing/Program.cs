using System.Diagnostics;
using System.Globalization;
using Repro.Core.Capture.Data;

namespace Repro.Bench.Hashing;

/// <summary>
/// Hashes the same files with repro, coreutils <c>sha256sum</c> and <c>openssl dgst -sha256</c>, interleaved in
/// one run, from the page cache, and prints medians and ratios as a Markdown table.
/// </summary>
/// <remarks>
/// Stopwatch rather than BenchmarkDotNet: the reference tools are separate processes, and the comparison only
/// means something when they and repro run back to back on the same warm files.
/// </remarks>
internal static class Program
{
    private const int SmallFiles = 16;
    private const long Total = 1L << 30;

    public static async Task<int> Main(string[] args)
    {
        var directory = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "repro-bench-hashing");
        var repetitions = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 7;
        var tune = args.Contains("--tune");
        Directory.CreateDirectory(directory);
        var small = Enumerable.Range(1, SmallFiles).Select(i => Path.Combine(directory, $"part-{i:00}.bin")).ToArray();
        var big = Path.Combine(directory, "one-gib.bin");
        foreach (var file in small)
        {
            Create(file, Total / SmallFiles);
        }

        Create(big, Total);

        // The racy rule keeps files younger than two seconds out of the cache; let the fresh files age.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Console.WriteLine($"# Hashing benchmark: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {repetitions} repetitions, medians");
        Console.WriteLine();
        Console.WriteLine($"Load average before: {LoadAverage()}");
        Console.WriteLine();
        await CheckDigestsAsync(small);

        // Warm the page cache so every contender reads memory, not disk.
        foreach (var file in small.Append(big))
        {
            await Warm(file);
        }

        var sha256sum = new List<double>();
        var openssl = new List<double>();
        var ours = new List<double>();
        var opensslBig = new List<double>();
        var oursBig = new List<double>();
        for (var i = 0; i < repetitions; i++)
        {
            sha256sum.Add(Run("sha256sum", small));
            openssl.Add(Run("openssl", ["dgst", "-sha256", .. small]));
            ours.Add(await TimeAsync(() => FileHasher.HashFilesAsync(small, progress: null)));
            opensslBig.Add(Run("openssl", ["dgst", "-sha256", big]));
            oursBig.Add(await TimeAsync(() => FileHasher.HashFileAsync(big)));
        }

        var (cold, cached) = await CacheAsync(directory, small, repetitions);

        Console.WriteLine("| Case | Tool | Median (s) | GiB/s | repro speed-up |");
        Console.WriteLine("|---|---|---:|---:|---:|");
        Row("1 GiB in 16 files", "sha256sum (coreutils)", sha256sum, Median(ours));
        Row("1 GiB in 16 files", "openssl dgst -sha256 (one after another)", openssl, Median(ours));
        Row("1 GiB in 16 files", "repro FileHasher", ours, Median(ours));
        Row("one 1 GiB file", "openssl dgst -sha256", opensslBig, Median(oursBig));
        Row("one 1 GiB file", "repro FileHasher", oursBig, Median(oursBig));
        Row("1 GiB in 16 files", "repro Fingerprinter, cold (--rehash)", cold, Median(cold));
        Row("1 GiB in 16 files", "repro Fingerprinter, cache hit", cached, Median(cold));
        Console.WriteLine();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Cache hit costs {Median(cached) / Median(cold) * 100:0.00}% of the cold fingerprint."));

        Console.WriteLine($"Load average after: {LoadAverage()}");
        if (tune)
        {
            await TuneAsync(small, big, repetitions);
        }

        return 0;
    }

    private static async Task<(List<double> Cold, List<double> Cached)> CacheAsync(string directory, string[] files, int repetitions)
    {
        var store = Path.Combine(directory, "store");
        if (Directory.Exists(store))
        {
            Directory.Delete(store, recursive: true);
        }

        using var cache = HashCache.Open(store);
        var specs = files.Select(f => DataSpec.Input(Path.GetFileName(f))).ToList();
        var cold = new List<double>();
        var cached = new List<double>();
        for (var i = 0; i < repetitions; i++)
        {
            var rehash = new Fingerprinter(new FingerprintOptions { Cache = cache, Rehash = true });
            cold.Add(await TimeAsync(() => rehash.FingerprintInputsAsync(directory, specs, CancellationToken.None)));
            var hit = new Fingerprinter(new FingerprintOptions { Cache = cache });
            cached.Add(await TimeAsync(() => hit.FingerprintInputsAsync(directory, specs, CancellationToken.None)));
        }

        return (cold, cached);
    }

    private static async Task TuneAsync(string[] small, string big, int repetitions)
    {
        Console.WriteLine();
        Console.WriteLine("## Tuning (FileHasher engine settings)");
        Console.WriteLine();
        Console.WriteLine("| Buffer | Read-ahead | Workers | 16 files (s) | 1 GiB file (s) |");
        Console.WriteLine("|---:|---|---:|---:|---:|");
        foreach (var buffer in new[] { 128 << 10, 256 << 10, 512 << 10, 1 << 20, 4 << 20 })
        {
            foreach (var readAhead in new[] { false, true })
            {
                var options = new HashEngineOptions { BufferSize = buffer, ReadAhead = readAhead };
                var jobsSmall = small.Select(f => new HashJob(f, f, new FileInfo(f).Length)).ToList();
                var jobsBig = new List<HashJob> { new(big, big, new FileInfo(big).Length) };
                var many = new List<double>();
                var one = new List<double>();
                for (var i = 0; i < repetitions; i++)
                {
                    many.Add(await TimeAsync(() => FileHasher.HashAllAsync(jobsSmall, options, CancellationToken.None)));
                    one.Add(await TimeAsync(() => FileHasher.HashAllAsync(jobsBig, options, CancellationToken.None)));
                }

                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {buffer >> 10} KiB | {readAhead} | {options.Workers} | {Median(many):0.000} | {Median(one):0.000} |"));
            }
        }
    }

    private static async Task CheckDigestsAsync(string[] files)
    {
        var ours = await FileHasher.HashFilesAsync(files, progress: null);
        var output = Capture("sha256sum", files);
        var theirs = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[..64]).ToList();
        if (!ours.SequenceEqual(theirs))
        {
            throw new InvalidOperationException("repro's digests differ from sha256sum's");
        }
    }

    private static void Create(string path, long size)
    {
        if (File.Exists(path) && new FileInfo(path).Length == size)
        {
            return;
        }

        var random = new Random(size.GetHashCode() ^ path.Length);
        var buffer = new byte[1 << 20];
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1);
        for (long written = 0; written < size; written += buffer.Length)
        {
            random.NextBytes(buffer);
            stream.Write(buffer, 0, (int)Math.Min(buffer.Length, size - written));
        }
    }

    private static async Task Warm(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        var buffer = new byte[1 << 20];
        while (await stream.ReadAsync(buffer) > 0)
        {
        }
    }

    private static async Task<double> TimeAsync<T>(Func<Task<T>> action)
    {
        var clock = Stopwatch.StartNew();
        await action();
        return clock.Elapsed.TotalSeconds;
    }

    private static double Run(string tool, IEnumerable<string> arguments)
    {
        var clock = Stopwatch.StartNew();
        Capture(tool, arguments);
        return clock.Elapsed.TotalSeconds;
    }

    private static string Capture(string tool, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LC_ALL"] = "C";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {tool}");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{tool} exited with {process.ExitCode}");
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown";

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static void Row(string scenario, string tool, List<double> times, double oursMedian)
    {
        var median = Median(times);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {scenario} | {tool} | {median:0.000} | {Total / median / (1 << 30):0.00} | {median / oursMedian:0.00}x |"));
    }
}
