using System.Security.Cryptography;
using System.Text;
using Repro.Core.Runs;

namespace Repro.Core.Capture.Data;

/// <summary>
/// The single digest of a directory or glob: SHA-256 over one UTF-8 line per file, <c>path NUL sha256 LF</c>,
/// sorted by path with ordinal comparison, so two runs compare at a glance. A symbolic link that was not followed
/// has no content digest and contributes <c>path NUL link:TARGET LF</c> instead.
/// </summary>
public static class DataDigest
{
    /// <summary>The digest over <paramref name="files"/>, lower-case hex.</summary>
    public static string Of(IEnumerable<FileRecord> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{file.Path}\0{file.Sha256 ?? "link:" + file.LinkTarget}\n"));
        }

        return FileHasher.ToHex(hash.GetHashAndReset());
    }
}
