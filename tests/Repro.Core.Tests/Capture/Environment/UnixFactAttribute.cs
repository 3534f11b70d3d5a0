namespace Repro.Core.Tests.Capture.Environment;

/// <summary>A fact that needs /bin/sh to run fake tools; skipped on Windows.</summary>
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
