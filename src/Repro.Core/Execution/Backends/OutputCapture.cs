using System.Buffers;
using System.IO.Pipes;
using System.Security.Cryptography;
using Repro.Core.Processes;

namespace Repro.Core.Execution.Backends;

/// <summary>
/// Saves one output stream of the child to a file, hashing it and echoing it on the way, until the stream ends or
/// reading is stopped. A write that fails (a full disk) is reported through <see cref="Failed"/> at once; the stream
/// is then still read, and dropped, so the child never blocks on a full pipe while repro stops it.
/// </summary>
internal sealed class OutputCapture
{
    // The pipe is enlarged to this where the kernel allows (F_SETPIPE_SZ), so each read and write moves up to this much.
    private const int ChunkBytes = 1 << 20;

    /// <summary>The SHA-256 of no bytes: the digest of a stream that wrote nothing.</summary>
    internal const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private readonly Stream _source;
    private readonly string _path;
    private readonly Stream? _echo;
    private readonly CancellationToken _stop;
    private readonly TaskCompletionSource _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public OutputCapture(Stream source, string path, Stream? echo, CancellationToken stop)
    {
        _source = source;
        _path = path;
        _echo = echo;
        _stop = stop;
        if (source is PipeStream pipe)
        {
            NativeProcess.TryEnlargePipe(pipe.SafePipeHandle, ChunkBytes);
        }
    }

    /// <summary>Completes when the output can no longer be saved; never completes otherwise.</summary>
    public Task Failed => _failed.Task;

    /// <summary>Why the output could not be saved, or null.</summary>
    public string? Failure { get; private set; }

    /// <summary>What was saved, once <see cref="RunAsync"/> has completed.</summary>
    public CapturedStream? Captured { get; private set; }

    /// <summary>Reads the stream to its end (or until stopped); <see cref="Captured"/> then tells what was saved.</summary>
    /// <remarks>
    /// A plain <see cref="Task"/>, the result kept in <see cref="Captured"/>: a suspended async method whose result is a
    /// reference type runs in a generic box that the ReadyToRun image lacks, which the JIT compiled at every run.
    /// </remarks>
    public async Task RunAsync()
    {
        // Made with the first bytes: a run whose child writes nothing (most streams of most runs, stderr above all)
        // then never loads the cryptography library (OpenSSL on Linux) for a digest known in advance.
        IncrementalHash? hash = null;
        string digest;
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        long saved = 0;
        var echoing = _echo is not null;
        FileStream? file = null;
        try
        {
            file = Open();
            while (true)
            {
                int read;
                try
                {
                    read = await _source.ReadAsync(buffer.AsMemory(0, ChunkBytes), _stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                if (read == 0)
                {
                    break;
                }

                var chunk = buffer.AsMemory(0, read);
                if (file is not null)
                {
                    try
                    {
                        // A plain write: the page cache takes it at once, and an asynchronous file write costs a thread hop per chunk.
                        file.Write(chunk.Span);
                        hash ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                        hash.AppendData(chunk.Span);
                        saved += read;
                    }
                    catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                    {
                        Fail(exception);
                        file = Close(file);
                    }
                }

                if (echoing)
                {
                    try
                    {
                        await _echo!.WriteAsync(chunk).ConfigureAwait(false);
                        await _echo.FlushAsync().ConfigureAwait(false);
                    }
                    catch (IOException)
                    {
                        // The console went away (a closed pipe): keep saving the log.
                        echoing = false;
                    }
                }
            }

            if (file is not null)
            {
                try
                {
                    file.Flush();
                }
                catch (IOException exception)
                {
                    Fail(exception);
                }
            }

            digest = hash is null ? EmptySha256 : Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        finally
        {
            Close(file);
            ArrayPool<byte>.Shared.Return(buffer);
            hash?.Dispose();
        }

        Captured = new CapturedStream(_path, digest, saved);
    }

    private FileStream? Open()
    {
        try
        {
            return new FileStream(_path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0, FileOptions.None);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Fail(exception);
            return null;
        }
    }

    private void Fail(Exception exception)
    {
        Failure ??= $"cannot write {_path}: {exception.Message}";
        _failed.TrySetResult();
    }

    private FileStream? Close(FileStream? file)
    {
        try
        {
            file?.Dispose();
        }
        catch (IOException exception)
        {
            // Closing flushes; on a full disk that fails too.
            Fail(exception);
        }

        return null;
    }
}
