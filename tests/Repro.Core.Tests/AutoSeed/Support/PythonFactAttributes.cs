namespace Repro.Core.Tests.AutoSeed.Support;

/// <summary>
/// A test that needs a Python with numpy and torch. Outside CI it is skipped when there is none; in CI (CI=true) it
/// runs and fails, because CI installs them (.ci/run) and a missing library must not pass as a skip.
/// </summary>
public sealed class PythonLibrariesFactAttribute : FactAttribute
{
    public PythonLibrariesFactAttribute()
    {
        Skip = PythonInterpreters.LibrariesSkipReason;
    }
}

/// <summary>A test that needs a python3 on PATH (any version the hook supports, with or without libraries).</summary>
public sealed class PythonFactAttribute : FactAttribute
{
    public PythonFactAttribute()
    {
        if (!PythonInterpreters.InCi && PythonInterpreters.Default is null)
        {
            Skip = "No python3 on PATH.";
        }
    }
}

/// <summary>A test that needs one pyenv-installed Python version; skipped where pyenv does not have it.</summary>
public sealed class PyenvFactAttribute : FactAttribute
{
    public PyenvFactAttribute(string version)
    {
        Version = version;
        if (PythonInterpreters.Pyenv(version) is null)
        {
            Skip = $"pyenv has no Python {version}.";
        }
    }

    public string Version { get; }
}
