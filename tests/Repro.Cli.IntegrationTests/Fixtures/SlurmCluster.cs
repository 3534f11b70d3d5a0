namespace Repro.Cli.IntegrationTests.Fixtures;

/// <summary>
/// The one-node Slurm cluster of build/slurm/: found running, or started with build/slurm/start-slurm.sh (idempotent,
/// seconds from installed packages). Where it cannot run (no root, no apt, no Linux) the Slurm tests are skipped,
/// saying why, except under CI (<c>REPRO_SLURM_REQUIRED=1</c>, set by .ci/run), where they fail instead.
/// </summary>
public static class SlurmCluster
{
    private static readonly Lazy<string?> Refusal = new(Start);

    /// <summary>Why the cluster cannot run here; null when it runs.</summary>
    public static string? WhyNot => Refusal.Value;

    private static string? Start()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "the Slurm cluster of build/slurm needs Linux";
        }

        if (IsUp())
        {
            return null;
        }

        var root = RepositoryRoot();
        if (root is null)
        {
            return "build/slurm/start-slurm.sh was not found above the test assembly";
        }

        var started = ProcessRunner.Run("bash", [Path.Combine(root, "build", "slurm", "start-slurm.sh")], root);
        return started.ExitCode == 0 && IsUp() ? null : $"build/slurm/start-slurm.sh could not start Slurm here: {started.Stderr.Trim().Split('\n')[^1]}";
    }

    private static bool IsUp()
    {
        try
        {
            var sinfo = ProcessRunner.Run("sinfo", ["-h", "-o", "%T"], Path.GetTempPath());
            return sinfo.ExitCode == 0 && sinfo.Stdout.Trim() is "idle" or "mixed" or "allocated";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static string? RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "build", "slurm", "start-slurm.sh")))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}

/// <summary>A fact that submits real Slurm jobs; skipped (saying why) where the cluster cannot run, failed instead under CI.</summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("REPRO_SLURM_REQUIRED") != "1" && SlurmCluster.WhyNot is { } why)
        {
            Skip = why;
        }
    }
}
