namespace Repro.Core.FileSystem;

/// <summary>What kind of file system object a path names.</summary>
public enum FileKind
{
    /// <summary>A regular file.</summary>
    Regular,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A symbolic link (only seen when links are not followed).</summary>
    SymbolicLink,

    /// <summary>A named pipe.</summary>
    Fifo,

    /// <summary>A Unix domain socket.</summary>
    Socket,

    /// <summary>A character device.</summary>
    CharacterDevice,

    /// <summary>A block device.</summary>
    BlockDevice,

    /// <summary>Anything else the operating system reports.</summary>
    Other,
}

/// <summary>
/// The facts about a file that decide whether a cached hash still describes it: size, modification and
/// change times in nanoseconds since the Unix epoch, inode and device.
/// </summary>
/// <param name="Kind">What the path names.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="ModifiedNs">Last modification time (mtime), nanoseconds since the Unix epoch.</param>
/// <param name="ChangedNs">Last status change time (ctime), nanoseconds since the Unix epoch; 0 when unknown.</param>
/// <param name="Inode">Inode number; 0 when unknown.</param>
/// <param name="Device">Device the file lives on (major in the high 32 bits, minor in the low 32 bits); 0 when unknown.</param>
/// <param name="HasIdentity">
/// Whether change time, inode and device are real (read with Linux <c>statx</c>). Without them a cached hash
/// could be fooled, so the hash cache is not used.
/// </param>
public readonly record struct FileStatus(
    FileKind Kind,
    long Size,
    long ModifiedNs,
    long ChangedNs,
    ulong Inode,
    ulong Device,
    bool HasIdentity)
{
    /// <summary>The status of <paramref name="path"/>, or null when nothing exists there.</summary>
    /// <param name="path">Absolute path.</param>
    /// <param name="followLinks">Whether to describe the target of a symbolic link rather than the link.</param>
    /// <exception cref="IOException">The status could not be read for another reason (permission, I/O error).</exception>
    public static FileStatus? Of(string path, bool followLinks) => NativeFiles.Status(path, followLinks);
}
