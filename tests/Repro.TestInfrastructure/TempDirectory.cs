namespace Repro.TestInfrastructure;

/// <summary>
/// A folder owned by one test under the system temporary folder, deleted with everything in it on dispose, even files
/// and folders the test made read-only or unreadable.
/// </summary>
public sealed class TempDirectory : IDisposable
{
    /// <summary>Creates a fresh folder whose name starts with <c>repro-</c> and <paramref name="prefix"/>.</summary>
    public TempDirectory(string prefix = "test")
    {
        Path = Directory.CreateTempSubdirectory($"repro-{prefix}-").FullName;
    }

    /// <summary>Absolute path of the folder.</summary>
    public string Path { get; }

    /// <summary>Whether Unix permissions stop this process from reading a file (they do not for root).</summary>
    public static bool PermissionsEnforced => !OperatingSystem.IsWindows() && Environment.UserName != "root";

    /// <summary>A path inside the folder.</summary>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Creates a sub-folder (and its parents) and returns its full path.</summary>
    public string Folder(string relativePath) => Directory.CreateDirectory(Combine(relativePath)).FullName;

    /// <summary>Writes UTF-8 text without a byte-order mark, exactly as given, creating folders; returns the full path.</summary>
    public string Write(string relativePath, string content) => Write(relativePath, new System.Text.UTF8Encoding(false).GetBytes(content));

    /// <summary>Writes bytes, creating folders; returns the full path.</summary>
    public string Write(string relativePath, byte[] content)
    {
        var full = Combine(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
        return full;
    }

    /// <summary>Writes an executable <c>/bin/sh</c> script, for fake tools put on a test's PATH.</summary>
    public string WriteScript(string relativePath, string body)
    {
        var full = Write(relativePath, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(full, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return full;
    }

    /// <summary>Reads a text file inside the folder.</summary>
    public string Read(string relativePath) => File.ReadAllText(Combine(relativePath));

    /// <summary>Sets Unix permissions; does nothing on Windows.</summary>
    public static void Chmod(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!Directory.Exists(Path))
        {
            return;
        }

        try
        {
            // Tests make files read-only or unreadable; give permissions back so everything can be deleted.
            RestorePermissions(Path);
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process a failed test left behind may still hold a file; the OS cleans temp eventually.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }

    private static void RestorePermissions(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
            {
                File.SetAttributes(file, FileAttributes.Normal);
            }

            return;
        }

        const UnixFileMode everything = (UnixFileMode)0b111_111_111;
        File.SetUnixFileMode(directory, everything);
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
                File.SetUnixFileMode(entry, everything);
            }
        }
    }
}
