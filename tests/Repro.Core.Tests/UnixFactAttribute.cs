namespace Repro.Core.Tests;

/// <summary>A fact that needs a Unix (/bin/sh, signals, /proc or file modes); skipped on Windows.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Fake tools are /bin/sh scripts.";
        }
    }
}
