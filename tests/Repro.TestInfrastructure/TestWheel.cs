using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Repro.TestInfrastructure;

/// <summary>
/// Writes a pure-Python wheel by hand, so pip can install it with <c>PIP_NO_INDEX=1 PIP_FIND_LINKS=DIR</c> on a machine
/// that cannot reach PyPI. The package is <c>NAME</c> (dashes become underscores) with <c>VALUE = "NAME VERSION"</c>.
/// Entries carry a fixed date, so the same wheel has the same hash every time.
/// </summary>
public static class TestWheel
{
    private static readonly DateTimeOffset FixedDate = new(2024, 1, 2, 3, 4, 6, TimeSpan.Zero);

    /// <summary>Writes the wheel into <paramref name="directory"/> and returns its path.</summary>
    public static string Write(string directory, string name, string version)
    {
        var module = name.Replace('-', '_');
        var distInfo = $"{module}-{version}.dist-info";
        var files = new List<(string Path, byte[] Content)>
        {
            ($"{module}/__init__.py", Encoding.UTF8.GetBytes($"VALUE = \"{name} {version}\"\n")),
            ($"{distInfo}/METADATA", Encoding.UTF8.GetBytes($"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")),
            ($"{distInfo}/WHEEL", Encoding.UTF8.GetBytes("Wheel-Version: 1.0\nGenerator: repro-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n")),
        };
        var record = new StringBuilder();
        foreach (var (path, content) in files)
        {
            var digest = Convert.ToBase64String(SHA256.HashData(content)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            record.Append($"{path},sha256={digest},{content.Length}\n");
        }

        record.Append($"{distInfo}/RECORD,,\n");
        files.Add(($"{distInfo}/RECORD", Encoding.UTF8.GetBytes(record.ToString())));

        Directory.CreateDirectory(directory);
        var wheel = Path.Combine(directory, $"{module}-{version}-py3-none-any.whl");
        using var archive = ZipFile.Open(wheel, ZipArchiveMode.Create);
        foreach (var (path, content) in files)
        {
            var entry = archive.CreateEntry(path, CompressionLevel.Optimal);
            entry.LastWriteTime = FixedDate;
            using var stream = entry.Open();
            stream.Write(content);
        }

        return wheel;
    }

    /// <summary>The <c>--hash</c> pip expects for a file.</summary>
    public static string HashOf(string file) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));
}
