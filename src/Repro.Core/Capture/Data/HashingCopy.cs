using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Repro.Core.Capture.Data;

/// <summary>
/// Copies and hashes in one pass, so storing or sending a file proves its digest without reading it twice. Each call
/// stays on its own thread (callers copy several files at once to use more cores): waiting here for other thread-pool
/// work would starve the pool when many copies run in parallel.
/// </summary>
internal static class HashingCopy
{
    private const int BufferSize = 1 << 20;
    private const int MinimumBufferSize = 4096;

    // Writeback is started behind the copy every this many bytes, so the disk writes while the copy hashes on and the
    // caller's final flush finds little left to do.
    private const long WritebackChunk = 8 << 20;

    /// <summary>
    /// Copies <paramref name="input"/> from its start to <paramref name="output"/> at its start and returns the SHA-256
    /// of what was copied (lower-case hex), or null when more than <paramref name="limit"/> bytes come.
    /// </summary>
    public static string? Copy(SafeFileHandle input, SafeFileHandle output, long limit)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = Buffer(input);
        long offset = 0;
        long writtenBack = 0;
        int read;
        while ((read = RandomAccess.Read(input, buffer, offset)) > 0)
        {
            if (offset + read > limit)
            {
                return null;
            }

            hash.AppendData(buffer, 0, read);
            RandomAccess.Write(output, buffer.AsSpan(0, read), offset);
            offset += read;
            if (offset - writtenBack >= WritebackChunk)
            {
                FileCloning.StartWriteback(output, writtenBack, offset - writtenBack);
                writtenBack = offset;
            }
        }

        return FileHasher.ToHex(hash.GetHashAndReset());
    }

    /// <summary>The SHA-256 of the whole content of an open file, lower-case hex.</summary>
    public static string Hash(SafeFileHandle handle) => Hash(handle, progress: null, CancellationToken.None);

    /// <summary>
    /// The SHA-256 of the whole content of an open file, lower-case hex, telling <paramref name="progress"/> each
    /// chunk's size as it is hashed.
    /// </summary>
    public static string Hash(SafeFileHandle handle, Action<int>? progress, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = Buffer(handle);
        long offset = 0;
        int read;
        while ((read = RandomAccess.Read(handle, buffer, offset)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            hash.AppendData(buffer, 0, read);
            offset += read;
            progress?.Invoke(read);
        }

        return FileHasher.ToHex(hash.GetHashAndReset());
    }

    // A metrics file of a few bytes should not cost two megabytes of buffers.
    private static byte[] Buffer(SafeFileHandle handle) =>
        GC.AllocateUninitializedArray<byte>((int)Math.Clamp(RandomAccess.GetLength(handle) + 1, MinimumBufferSize, BufferSize));
}
