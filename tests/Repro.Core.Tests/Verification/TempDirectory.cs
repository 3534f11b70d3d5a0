using System.IO.Compression;
using System.Text;

namespace Repro.Core.Tests.Verification;

/// <summary>A directory of its own for one test, deleted with everything in it on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("repro-compare-").FullName;
    }

    public string Path { get; }

    /// <summary>Writes UTF-8 text (no byte-order mark, exactly the given line endings) and returns the full path.</summary>
    public string Text(string name, string content) => Bytes(name, new UTF8Encoding(false).GetBytes(content));

    public string Bytes(string name, byte[] content)
    {
        var path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>Writes a zip whose entries are written in the order given, with the given time and compression.</summary>
    public string Zip(string name, IEnumerable<(string Entry, byte[] Content)> entries, DateTimeOffset time, CompressionLevel level)
    {
        var path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        using var archive = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (entryName, content) in entries)
        {
            var entry = archive.CreateEntry(entryName, level);
            entry.LastWriteTime = time;
            using var stream = entry.Open();
            stream.Write(content);
        }

        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
