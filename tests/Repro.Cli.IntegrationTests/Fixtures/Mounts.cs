namespace Repro.Cli.IntegrationTests.Fixtures;

/// <summary>
/// Small file systems a test mounts for itself (a full disk, a read-only store): <c>mount</c> needs root, which these
/// tests have where CI runs them. Each mount is undone on dispose.
/// </summary>
public sealed class Mount : IDisposable
{
    private static readonly Lazy<string?> Refusal = new(ProbeRefusal);

    private Mount(string path)
    {
        Path = path;
    }

    /// <summary>Why this machine refuses mounts (not root, no mount permission in this container); null when it allows them.</summary>
    public static string? WhyNot => Refusal.Value;

    /// <summary>The mount point.</summary>
    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="size"/> (such as <c>1m</c>) at <paramref name="path"/> (created).</summary>
    public static Mount Tmpfs(string path, string size)
    {
        Directory.CreateDirectory(path);
        Checked("mount", ["-t", "tmpfs", "-o", $"size={size},mode=0755", "tmpfs", path]);
        return new Mount(path);
    }

    /// <summary>Makes <paramref name="path"/> read-only for everyone, root included: a read-only bind mount of itself.</summary>
    public static Mount ReadOnly(string path)
    {
        Checked("mount", ["--bind", path, path]);
        var mount = new Mount(path);
        try
        {
            Checked("mount", ["-o", "remount,bind,ro", path]);
        }
        catch
        {
            mount.Dispose();
            throw;
        }

        return mount;
    }

    public void Dispose()
    {
        var result = ProcessRunner.Run("umount", [Path], System.IO.Path.GetTempPath());
        if (result.ExitCode != 0)
        {
            // Busy for a moment (a process of the test still closing files): detach it; it goes when the last file closes.
            ProcessRunner.Run("umount", ["-l", Path], System.IO.Path.GetTempPath());
        }
    }

    private static void Checked(string program, string[] arguments)
    {
        var result = ProcessRunner.Run(program, arguments, System.IO.Path.GetTempPath());
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed: {result.Stderr.Trim()}");
        }
    }

    private static string? ProbeRefusal()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "mounting a tmpfs needs Linux";
        }

        using var temp = new TempDirectory("mount-probe");
        try
        {
            using (Tmpfs(temp.Combine("fs"), "64k"))
            {
                return null;
            }
        }
        catch (Exception exception) when (exception is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return $"the OS refuses mount here: {exception.Message}";
        }
    }
}

/// <summary>A fact that mounts file systems; skipped, saying why, where the OS refuses mounts.</summary>
public sealed class MountFactAttribute : FactAttribute
{
    public MountFactAttribute()
    {
        if (Mount.WhyNot is { } reason)
        {
            Skip = reason;
        }
    }
}
