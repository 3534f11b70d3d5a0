namespace Repro.Core.Capture.Data;

/// <summary>
/// How far a fingerprinting pass has got. Only files whose contents must be read count: files answered by the
/// hash cache are not part of the totals.
/// </summary>
/// <param name="BytesDone">Bytes hashed so far.</param>
/// <param name="BytesTotal">Bytes to hash in all.</param>
/// <param name="FilesDone">Files finished so far.</param>
/// <param name="FilesTotal">Files to hash in all.</param>
/// <param name="Elapsed">Time since hashing started.</param>
public sealed record HashProgress(long BytesDone, long BytesTotal, int FilesDone, int FilesTotal, TimeSpan Elapsed)
{
    /// <summary>Whether every file is done: the last report of a pass, after which a progress bar can be cleared.</summary>
    public bool IsComplete => FilesDone == FilesTotal;
}
