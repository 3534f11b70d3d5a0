using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using Repro.Core.Errors;
using Repro.Core.FileSystem;

namespace Repro.Core.Capture.Data;

/// <summary>
/// SHA-256 of files as fast as the machine allows. Files are hashed in parallel, one per processor, largest
/// first, in <see cref="BufferSize"/> chunks; once a worker has no file left to take, the others read their next
/// chunk on another thread while the current one is hashed, so one large file keeps a second core busy copying.
/// Memory is two buffers per worker whatever the file sizes. .NET's SHA-256 uses the platform library (OpenSSL on Linux, with
/// the CPU's SHA extensions where it has them).
/// </summary>
public static class FileHasher
{
    /// <summary>Size of each read. Large enough that system calls cost nothing, small enough to stay in cache.</summary>
    public const int BufferSize = 1 << 20;

    private const int Attempts = 3;
    private const int MinimumBufferSize = 4096;

    /// <summary>SHA-256 of one file, lower-case hex.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Stops hashing between chunks.</param>
    /// <exception cref="InputException">The file is missing, unreadable or kept changing while it was read.</exception>
    public static async Task<string> HashFileAsync(string path, CancellationToken cancellationToken = default)
    {
        var results = await HashFilesAsync([path], progress: null, cancellationToken);
        return results[0];
    }

    /// <summary>SHA-256 of many files, lower-case hex, in the order given.</summary>
    /// <param name="paths">The files.</param>
    /// <param name="progress">Receives progress when hashing takes longer than a second; may be null.</param>
    /// <param name="cancellationToken">Stops hashing between chunks.</param>
    /// <exception cref="InputException">A file is missing, unreadable or kept changing while it was read.</exception>
    public static async Task<IReadOnlyList<string>> HashFilesAsync(
        IReadOnlyList<string> paths,
        IProgress<HashProgress>? progress,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var jobs = paths.Select(p => new HashJob(Path.GetFullPath(p), p, ExpectedSize(p))).ToList();
        var outcomes = await HashAllAsync(jobs, new HashEngineOptions { Progress = progress }, cancellationToken);
        return outcomes.Select(o => o.Sha256).ToList();
    }

    /// <summary>Lower-case hex of a digest.</summary>
    internal static string ToHex(ReadOnlySpan<byte> digest) => Convert.ToHexStringLower(digest);

    /// <summary>Hashes every job, in parallel, and returns outcomes in job order.</summary>
    internal static async Task<HashOutcome[]> HashAllAsync(
        IReadOnlyList<HashJob> jobs,
        HashEngineOptions options,
        CancellationToken cancellationToken)
    {
        var outcomes = new HashOutcome[jobs.Count];
        if (jobs.Count == 0)
        {
            return outcomes;
        }

        // Largest first, so the last file to finish is a small one and no core idles at the end.
        var order = Enumerable.Range(0, jobs.Count).OrderByDescending(i => jobs[i].ExpectedSize).ToArray();
        var counter = new ProgressCounter(jobs.Sum(j => j.ExpectedSize), jobs.Count);

        // Small files need small buffers: hashing one lock file should not allocate megabytes.
        var bufferSize = (int)Math.Clamp(jobs.Max(j => j.ExpectedSize) + 1, Math.Min(MinimumBufferSize, options.BufferSize), options.BufferSize);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await using var reporter = ProgressReporter.Start(counter, options);

        var next = -1;
        var workerCount = Math.Min(options.Workers, jobs.Count);

        // Cores with nothing to hash: those no worker was started for, and those of workers that found the queue empty.
        var idle = options.Workers - workerCount;
        void Work()
        {
            using var worker = new Worker(options, bufferSize, counter, () => Volatile.Read(ref idle) > 0);
            int slot;
            while ((slot = Interlocked.Increment(ref next)) < order.Length)
            {
                linked.Token.ThrowIfCancellationRequested();
                var index = order[slot];
                try
                {
                    outcomes[index] = worker.Hash(jobs[index], linked.Token);
                }
                catch
                {
                    // One failure ends the pass: the others stop at their next chunk.
                    linked.Cancel();
                    throw;
                }
            }

            Interlocked.Increment(ref idle);
        }

        var workers = Enumerable.Range(0, workerCount)
            .Select(_ => Task.Factory.StartNew(Work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))
            .ToArray();
        try
        {
            await Task.WhenAll(workers);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A sibling's failure cancelled this worker; surface that failure, not the cancellation.
            var failure = workers.Select(w => w.Exception?.InnerException).First(e => e is not null and not OperationCanceledException)!;
            ExceptionDispatchInfo.Throw(failure);
            throw;
        }

        reporter?.Complete();
        return outcomes;
    }

    private static long ExpectedSize(string path)
    {
        try
        {
            return NativeFiles.Status(Path.GetFullPath(path), followLinks: true)?.Size ?? 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>One thread's hashing state: the hash object and two buffers, reused for every file it takes.</summary>
    private sealed class Worker : IDisposable
    {
        private readonly HashEngineOptions _options;
        private readonly ProgressCounter _counter;
        private readonly Func<bool> _coreIdle;
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private byte[] _current;
        private byte[] _ahead;

        public Worker(HashEngineOptions options, int bufferSize, ProgressCounter counter, Func<bool> coreIdle)
        {
            _options = options;
            _counter = counter;
            _coreIdle = coreIdle;
            _current = GC.AllocateUninitializedArray<byte>(bufferSize, pinned: true);
            _ahead = GC.AllocateUninitializedArray<byte>(bufferSize, pinned: true);
        }

        public HashOutcome Hash(HashJob job, CancellationToken cancellationToken)
        {
            for (var attempt = 1; ; attempt++)
            {
                using var handle = Open(job);
                var before = NativeFiles.Status(handle, job.Path);
                var (sha256, bytes) = HashContents(handle, job, cancellationToken);
                var after = NativeFiles.Status(handle, job.Path);
                if (bytes == before.Size && before == after)
                {
                    _counter.FileDone(job.ExpectedSize - bytes);
                    return new HashOutcome(sha256, before);
                }

                // Something wrote to the file while it was read: the digest matches no version of it.
                _counter.Retract(bytes);
                if (attempt == Attempts)
                {
                    throw new InputException($"{job.DisplayPath} kept changing while it was being hashed; stop whatever writes to it and run again");
                }
            }
        }

        public void Dispose() => _hash.Dispose();

        private SafeFileHandle Open(HashJob job) => _options.OpenJob(job);

        private (string Sha256, long Bytes) HashContents(SafeFileHandle handle, HashJob job, CancellationToken cancellationToken)
        {
            long offset = 0;
            var read = Read(handle, _current, offset, job);
            while (read > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                offset += read;

                // A full buffer means more may follow. Once a core has nothing left to hash, fetch the next chunk
                // there while this one is hashed. Before that every core is hashing, and handing reads between
                // threads only adds thread-pool wake-ups and spinning waits (starting it when the queue merely
                // emptied, with both cores still on their last file, doubled the sched_yield calls of a 16-file run).
                var ahead = _options.ReadAhead && read == _current.Length && _coreIdle()
                    ? ReadAheadAsync(handle, _ahead, offset, job)
                    : null;
                _hash.AppendData(_current, 0, read);
                _counter.Add(read);
                if (ahead is null)
                {
                    read = Read(handle, _current, offset, job);
                }
                else
                {
                    read = ahead.GetAwaiter().GetResult();
                    (_current, _ahead) = (_ahead, _current);
                }
            }

            Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
            _hash.GetHashAndReset(digest);
            return (ToHex(digest), offset);
        }

        private Task<int> ReadAheadAsync(SafeFileHandle handle, byte[] buffer, long offset, HashJob job) =>
            Task.Run(() => Read(handle, buffer, offset, job));

        private int Read(SafeFileHandle handle, byte[] buffer, long offset, HashJob job)
        {
            try
            {
                return _options.Read(handle, buffer, offset);
            }
            catch (IOException e)
            {
                throw new InputException($"cannot read {job.DisplayPath}: {e.Message}", e);
            }
        }
    }

    /// <summary>Bytes and files done, shared by the workers.</summary>
    internal sealed class ProgressCounter(long bytesTotal, int filesTotal)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _bytesTotal = bytesTotal;
        private long _bytesDone;
        private int _filesDone;

        public void Add(long bytes) => Interlocked.Add(ref _bytesDone, bytes);

        public void Retract(long bytes) => Interlocked.Add(ref _bytesDone, -bytes);

        /// <summary>Counts a finished file and corrects the total when the file's size changed since it was listed.</summary>
        public void FileDone(long sizeCorrection)
        {
            Interlocked.Add(ref _bytesTotal, -sizeCorrection);
            Interlocked.Increment(ref _filesDone);
        }

        public HashProgress Snapshot() => new(
            Interlocked.Read(ref _bytesDone),
            Interlocked.Read(ref _bytesTotal),
            Volatile.Read(ref _filesDone),
            filesTotal,
            _clock.Elapsed);
    }

    /// <summary>Reports progress from a timer: first after the delay, then at the interval, and once at the end.</summary>
    internal sealed class ProgressReporter : IAsyncDisposable
    {
        private readonly ProgressCounter _counter;
        private readonly IProgress<HashProgress> _progress;
        private readonly Timer _timer;
        private readonly Lock _gate = new();
        private readonly TimeSpan _delay;
        private bool _reported;
        private bool _stopped;

        private ProgressReporter(ProgressCounter counter, IProgress<HashProgress> progress, HashEngineOptions options)
        {
            _counter = counter;
            _progress = progress;
            _delay = options.ProgressDelay;
            _timer = new Timer(_ => Tick(), null, options.ProgressDelay, options.ProgressInterval);
        }

        public static ProgressReporter? Start(ProgressCounter counter, HashEngineOptions options) =>
            options.Progress is null ? null : new ProgressReporter(counter, options.Progress, options);

        /// <summary>Sends the final report of a pass that outlasted the delay, so a bar reaches 100% and can be cleared.</summary>
        public void Complete()
        {
            lock (_gate)
            {
                _stopped = true;
                if (_reported || _counter.Snapshot().Elapsed >= _delay)
                {
                    _progress.Report(_counter.Snapshot());
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            lock (_gate)
            {
                _stopped = true;
            }

            await _timer.DisposeAsync();
        }

        private void Tick()
        {
            lock (_gate)
            {
                if (_stopped)
                {
                    return;
                }

                _reported = true;
                _progress.Report(_counter.Snapshot());
            }
        }
    }
}

/// <summary>A file to hash: where to read it, how to name it in messages and how big it was when listed.</summary>
/// <param name="Path">Absolute path to open.</param>
/// <param name="DisplayPath">The path as the user knows it, for messages.</param>
/// <param name="ExpectedSize">Size when listed, for progress totals.</param>
internal sealed record HashJob(string Path, string DisplayPath, long ExpectedSize);

/// <summary>A file's digest and the status of the exact file that was read, unchanged from open to end.</summary>
/// <param name="Sha256">Lower-case hex SHA-256.</param>
/// <param name="Status">Status of the open file; the key under which the digest may be cached.</param>
internal sealed record HashOutcome(string Sha256, FileStatus Status);

/// <summary>Tuning and test seams for <see cref="FileHasher"/>.</summary>
internal sealed record HashEngineOptions
{
    /// <summary>Opens a file for reading; tests count calls to prove a cache hit reads nothing.</summary>
    public Func<string, SafeFileHandle> Open { get; init; } = OpenForHashing;

    /// <summary>Reads a chunk at an offset; tests make files change while they are read.</summary>
    public Func<SafeFileHandle, byte[], long, int> Read { get; init; } = static (handle, buffer, offset) => RandomAccess.Read(handle, buffer, offset);

    /// <summary>Receives progress; null for none.</summary>
    public IProgress<HashProgress>? Progress { get; init; }

    /// <summary>How long hashing runs before the first report: short passes show no bar at all.</summary>
    public TimeSpan ProgressDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Time between reports after the first.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Bytes per read.</summary>
    public int BufferSize { get; init; } = FileHasher.BufferSize;

    /// <summary>Files hashed at once.</summary>
    public int Workers { get; init; } = System.Environment.ProcessorCount;

    /// <summary>Whether to read the next chunk of a file while hashing the current one.</summary>
    public bool ReadAhead { get; init; } = true;

    /// <summary>
    /// Opens for reading without blocking writers or deleters (the file's status is checked after reading
    /// instead) and tells the kernel the read is sequential, so it reads ahead from disk.
    /// </summary>
    public static SafeFileHandle OpenForHashing(string path) => NativeFiles.OpenRead(path);

    /// <summary>Opens a job's file with <see cref="Open"/>; a file that cannot be read is an <see cref="InputException"/> naming it.</summary>
    internal SafeFileHandle OpenJob(HashJob job)
    {
        try
        {
            return Open(job.Path);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new InputException($"cannot read {job.DisplayPath}: permission denied", e);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputException($"{job.DisplayPath} disappeared before it could be hashed", e);
        }
        catch (IOException e)
        {
            throw new InputException($"cannot read {job.DisplayPath}: {e.Message}", e);
        }
    }
}
