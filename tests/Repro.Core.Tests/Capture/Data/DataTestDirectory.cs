using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Repro.Core.Tests.Capture.Data;

/// <summary>A temporary folder owned by one test (a project and a store), deleted on dispose.</summary>
internal sealed class DataTestDirectory : IDisposable
{
    public DataTestDirectory()
    {
        Root = Path.Combine(Path.GetTempPath(), "repro-data-tests", Guid.NewGuid().ToString("N"));
        Project = Path.Combine(Root, "project");
        Store = Path.Combine(Root, "store");
        Directory.CreateDirectory(Project);
    }

    public string Root { get; }

    public string Project { get; }

    public string Store { get; }

    /// <summary>Whether file permissions are enforced (they are not for root).</summary>
    public static bool PermissionsEnforced => !OperatingSystem.IsWindows() && System.Environment.UserName != "root";

    /// <summary>Writes a file under the project, creating folders, and returns its absolute path.</summary>
    public string Write(string relative, string content) => Write(relative, Encoding.UTF8.GetBytes(content));

    public string Write(string relative, byte[] content)
    {
        var path = Path.Combine(Project, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>Runs a tool and returns its standard output, or null when the tool is not installed.</summary>
    public static string? Tool(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LC_ALL"] = "C";
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{tool} failed: {process.StandardError.ReadToEnd()}");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

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

    public void Dispose()
    {
        if (!Directory.Exists(Root))
        {
            return;
        }

        // Tests make files read-only or unreadable; give permissions back so everything can be deleted.
        RestorePermissions(Root);

        Directory.Delete(Root, recursive: true);
    }

    /// <summary>Sets Unix permissions; a no-op on Windows.</summary>
    public static void Chmod(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    private static void RestorePermissions(string directory)
    {
        Chmod(directory, (UnixFileMode)0b111_111_111);
        foreach (var entry in Directory.EnumerateFileSystemEntries(directory))
        {
            var info = new FileInfo(entry);
            if (info.LinkTarget is not null)
            {
                continue;
            }

            if (info.Attributes.HasFlag(FileAttributes.Directory))
            {
                RestorePermissions(entry);
            }
            else
            {
                Chmod(entry, (UnixFileMode)0b111_111_111);
            }
        }
    }
}
