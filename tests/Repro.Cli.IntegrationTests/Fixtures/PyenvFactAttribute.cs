namespace Repro.Cli.IntegrationTests.Fixtures;

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
