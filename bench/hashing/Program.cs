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

    private static readonly TimeSpan IdleWaitLimit = TimeSpan.FromSeconds(60);

    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--store")
        {
            var storeDirectory = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "repro-bench-store");
            return await StoreBenchmark.RunAsync(storeDirectory, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5);
        }

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
        var busy = 0;
        for (var i = 0; i < repetitions; i++)
        {
            busy += await WaitForIdleAsync();
            sha256sum.Add(Run("sha256sum", small));
            busy += await WaitForIdleAsync();
            openssl.Add(Run("openssl", ["dgst", "-sha256", .. small]));
            ours.Add(await TimeAsync(() => FileHasher.HashFilesAsync(small, progress: null)));
            busy += await WaitForIdleAsync();
            opensslBig.Add(Run("openssl", ["dgst", "-sha256", big]));
            oursBig.Add(await TimeAsync(() => FileHasher.HashFileAsync(big)));
        }

        var (cold, cached) = await CacheAsync(directory, small, repetitions);

        Console.WriteLine("| Case | Tool | Median (s) | GiB/s | repro speed-up (medians) | repro speed-up (median of paired runs) |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|");
        Row("1 GiB in 16 files", "sha256sum (coreutils)", sha256sum, ours);
        Row("1 GiB in 16 files", "openssl dgst -sha256 (one after another)", openssl, ours);
        Row("1 GiB in 16 files", "repro FileHasher", ours, ours);
        Row("one 1 GiB file", "openssl dgst -sha256", opensslBig, oursBig);
        Row("one 1 GiB file", "repro FileHasher", oursBig, oursBig);
        Row("1 GiB in 16 files", "repro Fingerprinter, cold (--rehash)", cold, cold);
        Row("1 GiB in 16 files", "repro Fingerprinter, cache hit", cached, cold);
        if (busy > 0)
        {
            Console.WriteLine();
            Console.WriteLine($"{busy} measurement(s) started on a busy machine after waiting {IdleWaitLimit.TotalSeconds:0} s for it to go idle.");
        }

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
            await WaitForIdleAsync();
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
        Console.WriteLine("| Buffer | Read-ahead | Workers | 16 files (s) | CPU (s) | 1 GiB file (s) | CPU (s) |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|");
        foreach (var buffer in new[] { 128 << 10, 256 << 10, 512 << 10, 1 << 20, 2 << 20 })
        {
            foreach (var readAhead in new[] { false, true })
            {
                var options = new HashEngineOptions { BufferSize = buffer, ReadAhead = readAhead };
                var jobsSmall = small.Select(f => new HashJob(f, f, new FileInfo(f).Length)).ToList();
                var jobsBig = new List<HashJob> { new(big, big, new FileInfo(big).Length) };
                var many = new List<double>();
                var manyCpu = new List<double>();
                var one = new List<double>();
                var oneCpu = new List<double>();
                for (var i = 0; i < repetitions; i++)
                {
                    await WaitForIdleAsync();
                    var cpu = CpuSeconds();
                    many.Add(await TimeAsync(() => FileHasher.HashAllAsync(jobsSmall, options, CancellationToken.None)));
                    manyCpu.Add(CpuSeconds() - cpu);
                    cpu = CpuSeconds();
                    one.Add(await TimeAsync(() => FileHasher.HashAllAsync(jobsBig, options, CancellationToken.None)));
                    oneCpu.Add(CpuSeconds() - cpu);
                }

                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {buffer >> 10} KiB | {readAhead} | {options.Workers} | {Median(many):0.000} | {Median(manyCpu):0.000} | {Median(one):0.000} | {Median(oneCpu):0.000} |"));
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

    private static double CpuSeconds()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalSeconds;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown";

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static void Row(string scenario, string tool, List<double> times, List<double> ours)
    {
        var median = Median(times);
        var paired = Median(times.Zip(ours, (theirs, mine) => theirs / mine).ToList());
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {scenario} | {tool} | {median:0.0000} | {Total / median / (1 << 30):0.00} | {median / Median(ours):0.00}x | {paired:0.00}x |"));
    }

    /// <summary>
    /// Waits until both cores have been at least 90% idle for half a second (other work shares this machine), at
    /// most <see cref="IdleWaitLimit"/>; returns 1 when it gave up waiting.
    /// </summary>
    private static async Task<int> WaitForIdleAsync()
    {
        if (!File.Exists("/proc/stat"))
        {
            return 0;
        }

        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < IdleWaitLimit)
        {
            var (idle0, total0) = CpuCounters();
            await Task.Delay(500);
            var (idle1, total1) = CpuCounters();
            if ((double)(idle1 - idle0) / Math.Max(1, total1 - total0) >= 0.9)
            {
                return 0;
            }
        }

        return 1;
    }

    private static (long Idle, long Total) CpuCounters()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        return (fields[3] + fields[4], fields.Sum());
    }
}
