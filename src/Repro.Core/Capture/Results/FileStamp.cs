namespace Repro.Core.Capture.Results;

/// <summary>Size and modification time: enough to tell whether a file was rewritten while the run ran.</summary>
/// <param name="Length">Size in bytes.</param>
/// <param name="WriteTicks">Last write time, UTC ticks.</param>
internal sealed record FileStamp(long Length, long WriteTicks)
{
    /// <summary>The stamp of <paramref name="path"/>, or null when it does not exist.</summary>
    public static FileStamp? Of(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? new FileStamp(info.Length, info.LastWriteTimeUtc.Ticks) : null;
    }
}
