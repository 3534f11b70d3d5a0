namespace Repro.Cli.IntegrationTests.Fixtures;

/// <summary>
/// A test that runs Python entry points importing numpy and torch (Debian's python3-numpy and python3-torch). Skipped
/// where no Python has them, except in CI (CI=true), which installs them (.ci/run): there it runs, and fails without them.
/// </summary>
public sealed class PythonLibrariesFactAttribute : FactAttribute
{
    public PythonLibrariesFactAttribute()
    {
        Skip = PythonInterpreters.LibrariesSkipReason;
    }
}
