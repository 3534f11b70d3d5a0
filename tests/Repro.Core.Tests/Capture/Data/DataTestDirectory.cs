using System.Security.Cryptography;
using System.Text;

namespace Repro.Core.Tests.Capture.Data;

/// <summary>A temporary folder owned by one test, laid out as a project and a store, deleted on dispose.</summary>
internal sealed class DataTestDirectory : IDisposable
{
    private readonly TempDirectory _temp = new("data");

    public DataTestDirectory()
    {
        Project = _temp.Folder("project");
        Store = _temp.Combine("store");
    }

    public string Root => _temp.Path;

    public string Project { get; }

    public string Store { get; }

    /// <summary>Whether file permissions are enforced (they are not for root).</summary>
    public static bool PermissionsEnforced => TempDirectory.PermissionsEnforced;

    /// <summary>Writes a file under the project, creating folders, and returns its absolute path.</summary>
    public string Write(string relative, string content) => Write(relative, Encoding.UTF8.GetBytes(content));

    public string Write(string relative, byte[] content) => _temp.Write(Path.Combine("project", relative), content);

    /// <summary>Runs a tool and returns its standard output, or null when the tool is not installed.</summary>
    public static string? Tool(string tool, params string[] arguments) =>
        ProcessRunner.TryRunChecked(tool, arguments, Path.GetTempPath(), new Dictionary<string, string?> { ["LC_ALL"] = "C" });

    /// <summary>
    /// SHA-256 of a file from an independent implementation: coreutils sha256sum when installed, then
    /// openssl (much faster on GiB-scale files), then .NET's one-shot stream hash.
    /// </summary>
    public static string ReferenceSha256(string path, bool large = false)
    {
        var output = (large ? null : Tool("sha256sum", path)) ?? Tool("openssl", "dgst", "-sha256", "-r", path);
        if (output is not null)
        {
            return output[..64];
        }

        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Sets Unix permissions; a no-op on Windows.</summary>
    public static void Chmod(string path, UnixFileMode mode) => TempDirectory.Chmod(path, mode);

    public void Dispose() => _temp.Dispose();
}
