using Repro.Core.Environments.Python;
using Repro.Core.Errors;

namespace Repro.Core.Tests.Environments.Python;

public sealed class PythonInterpreterLocatorTests : IDisposable
{
    private readonly TempDirectory _machine = new();

    private string PathDirectory => Path.Combine(_machine.Path, "bin");

    private string PyenvRoot => Path.Combine(_machine.Path, "pyenv");

    // A stand-in interpreter: answers the identity probe as the given version would.
    private string FakePython(string relativePath, string version)
    {
        var full = Path.Combine(_machine.Path, relativePath);
        _machine.WriteScript(
            relativePath,
            $$"""echo '{"path": "{{full}}", "version": "{{version}}", "build": "{{version}} (fake)", "implementation": "cpython", "machine": "x86_64"}'""");
        return full;
    }

    private PythonInterpreterLocator Locator(params (string Name, string Value)[] extra)
    {
        var variables = new Dictionary<string, string>
        {
            ["PATH"] = $"{Path.Combine(PyenvRoot, "shims")}{Path.PathSeparator}{PathDirectory}{Path.PathSeparator}/usr/bin{Path.PathSeparator}/bin",
            ["HOME"] = _machine.Path,
            ["PYENV_ROOT"] = PyenvRoot,
        };
        foreach (var (name, value) in extra)
        {
            variables[name] = value;
        }

        return new PythonInterpreterLocator(variables, _machine.Path);
    }

    [UnixFact]
    public async Task Find_MinorVersionOnPath_IsFound()
    {
        var onPath = FakePython("bin/python3.9", "3.9.18");

        var found = await Locator().FindAsync("3.9", null, "python_env.yaml", CancellationToken.None);

        Assert.Equal(onPath, found.Path);
        Assert.Equal("3.9.18", found.Version);
    }

    [UnixFact]
    public async Task Find_PatchVersionOnlyInPyenv_IsFoundThere()
    {
        FakePython("bin/python3.9", "3.9.18");
        var pyenv = FakePython("pyenv/versions/3.9.1/bin/python3", "3.9.1");

        var found = await Locator().FindAsync("3.9.1", null, "python_env.yaml", CancellationToken.None);

        Assert.Equal(pyenv, found.Path);
    }

    [UnixFact]
    public async Task Find_SeveralPyenvVersions_TakesTheNewestThatMatches()
    {
        FakePython("pyenv/versions/3.10.2/bin/python3", "3.10.2");
        var newest = FakePython("pyenv/versions/3.10.13/bin/python3", "3.10.13");
        FakePython("pyenv/versions/3.1/bin/python3", "3.1");

        var found = await Locator().FindAsync("3.10", null, "python_env.yaml", CancellationToken.None);

        Assert.Equal(newest, found.Path);
    }

    [UnixFact]
    public async Task Find_PyenvShimOnPath_IsSkippedForARequestedVersion()
    {
        FakePython("pyenv/shims/python3.12", "3.12.0");
        var version = FakePython("pyenv/versions/3.12.1/bin/python3", "3.12.1");

        var found = await Locator().FindAsync("3.12", null, "python_env.yaml", CancellationToken.None);

        Assert.Equal(version, found.Path);
    }

    [UnixFact]
    public async Task Find_NoMatchingInterpreter_SaysEverythingItSearched()
    {
        FakePython("pyenv/versions/3.9.1/bin/python3", "3.9.1");

        var error = await Assert.ThrowsAsync<InputException>(() => Locator().FindAsync("3.8", null, "python_env.yaml", CancellationToken.None));

        Assert.Equal(
            $"no Python 3.8 found for python_env.yaml: searched python3.8 on PATH (none); pyenv versions in {Path.Combine(PyenvRoot, "versions")} (3.9.1); "
            + "install it (for example `pyenv install 3.8`) or name one with --python",
            error.Message);
    }

    [UnixFact]
    public async Task Find_ExplicitInterpreterOfAnotherVersion_IsRefused()
    {
        var explicitPython = FakePython("elsewhere/python", "3.12.1");

        var error = await Assert.ThrowsAsync<InputException>(() => Locator().FindAsync("3.11", explicitPython, "python_env.yaml", CancellationToken.None));

        Assert.Equal($"--python {explicitPython} is Python 3.12.1, but python_env.yaml asks for Python 3.11", error.Message);
    }

    [UnixFact]
    public async Task Find_ExplicitInterpreterOfTheVersion_IsUsed()
    {
        var explicitPython = FakePython("elsewhere/python", "3.11.9");

        var found = await Locator().FindAsync("3.11", "elsewhere/python", "python_env.yaml", CancellationToken.None);

        Assert.Equal(explicitPython, found.Path);
    }

    [UnixFact]
    public async Task Find_ExplicitProgramThatIsNotPython_IsRefused()
    {
        _machine.WriteScript("elsewhere/python", "echo 'not python'");

        var error = await Assert.ThrowsAsync<InputException>(() => Locator().FindAsync(null, "elsewhere/python", "python_env.yaml", CancellationToken.None));

        Assert.EndsWith("did not answer as a Python interpreter", error.Message, StringComparison.Ordinal);
    }

    [UnixFact]
    public async Task Find_WithAnIdentityCache_AsksAnUnchangedInterpreterOnceAndAReplacedOneAgain()
    {
        var asked = Path.Combine(_machine.Path, "asked.log");
        var python = Path.Combine(_machine.Path, "bin", "python3.9");
        void Install(string version) => _machine.WriteScript(
            "bin/python3.9",
            $$"""echo asked >> '{{asked}}'; echo '{"path": "{{python}}", "version": "{{version}}", "build": "{{version}} (fake)", "implementation": "cpython", "machine": "x86_64"}'""");
        var variables = new Dictionary<string, string> { ["PATH"] = $"{PathDirectory}{Path.PathSeparator}/usr/bin{Path.PathSeparator}/bin", ["HOME"] = _machine.Path };
        var identities = Path.Combine(_machine.Path, "cache", "interpreters");
        Install("3.9.1");

        var first = await new PythonInterpreterLocator(variables, _machine.Path, identities).FindAsync("3.9", null, "python_env.yaml", CancellationToken.None);
        var again = await new PythonInterpreterLocator(variables, _machine.Path, identities).FindAsync("3.9", null, "python_env.yaml", CancellationToken.None);
        Install("3.9.2");
        var upgraded = await new PythonInterpreterLocator(variables, _machine.Path, identities).FindAsync("3.9", null, "python_env.yaml", CancellationToken.None);

        Assert.Equal(first, again);
        Assert.Equal(("3.9.1", "3.9.2"), (first.Version, upgraded.Version));
        Assert.Equal(2, File.ReadAllLines(asked).Length);
    }

    [Fact]
    public async Task Find_NoVersionRequested_TakesThePython3OnThePath()
    {
        var found = await new PythonInterpreterLocator().FindAsync(null, null, "python_env.yaml", CancellationToken.None);

        Assert.StartsWith("3.", found.Version, StringComparison.Ordinal);
        Assert.True(File.Exists(found.Path), found.Path);
        Assert.Equal("cpython", found.Implementation);
    }

    [Theory]
    [InlineData("3.11", true)]
    [InlineData("3.11.7", true)]
    [InlineData("3", true)]
    [InlineData(null, true)]
    [InlineData("3.1", false)]
    [InlineData("3.11.1", false)]
    public void Satisfies_RequestedComponentsLeadTheVersion(string? requested, bool expected)
    {
        var interpreter = new PythonInterpreter("/usr/bin/python3.11", "3.11.7", "3.11.7", "cpython", "x86_64");

        Assert.Equal(expected, interpreter.Satisfies(requested));
    }

    public void Dispose() => _machine.Dispose();
}
