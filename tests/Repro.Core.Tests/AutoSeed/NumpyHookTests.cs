using Repro.Core.Tests.AutoSeed.Support;

namespace Repro.Core.Tests.AutoSeed;

/// <summary>random, set order, numpy's global generator and default_rng() without a seed, under the hook.</summary>
public sealed class NumpyHookTests : IDisposable
{
    private readonly HookedPython _python = new();

    public void Dispose() => _python.Dispose();

    [PythonLibrariesFact]
    public void Draws_SameSeedTwice_AreByteIdentical()
    {
        var first = Draw(SeedMode.Hooked, 42);
        var second = Draw(SeedMode.Hooked, 42);

        Assert.Equal(first.Stdout, second.Stdout);
    }

    [PythonLibrariesFact]
    public void Draws_TwoSeeds_DifferInEveryUnseededGenerator()
    {
        var first = Draw(SeedMode.Hooked, 42).LinesByKey();
        var second = Draw(SeedMode.Hooked, 43).LinesByKey();

        foreach (var generator in new[] { "random", "set", "numpy", "default_rng" })
        {
            Assert.NotEqual(first[generator], second[generator]);
        }

        Assert.Equal(first["default_rng(5)"], second["default_rng(5)"]);
    }

    [PythonLibrariesFact]
    public void Draws_WithoutTheHook_DifferInRandomNumpyAndDefaultRng()
    {
        var first = Draw(SeedMode.Unhooked, 42).LinesByKey();
        var second = Draw(SeedMode.Unhooked, 42).LinesByKey();

        Assert.NotEqual(first["random"], second["random"]);
        Assert.NotEqual(first["numpy"], second["numpy"]);
        Assert.NotEqual(first["default_rng"], second["default_rng"]);
    }

    [PythonLibrariesFact]
    public void Draws_FirstProcess_FollowTheDocumentedSeedsAndDefaultRngDerivation()
    {
        var hooked = Draw(SeedMode.Hooked, 42).LinesByKey();
        var reference = _python.Run(PythonInterpreters.RequireWithLibraries(), SeedMode.Unhooked, 42, [HookedPython.Script("numpy_reference.py"), "42"]).Succeeded().LinesByKey();

        Assert.Equal(reference["random"], hooked["random"]);
        Assert.Equal(reference["numpy"], hooked["numpy"]);
        Assert.Equal(reference["default_rng"], hooked["default_rng"]);
        Assert.Equal(reference["default_rng(5)"], hooked["default_rng(5)"]);
    }

    [PythonLibrariesFact]
    public void Report_DefaultRngCalls_AreCountedAndNumpyVersionRecorded()
    {
        var process = Assert.Single(Draw(SeedMode.Hooked, 42).Report.Processes);

        Assert.Equal(2, process.Flags["numpy.random.default_rng.unseeded_calls"]!.GetValue<long>());
        Assert.Contains(process.Libraries, library => library.Name == "numpy" && library.Version is { Length: > 0 } && library.Seed == 42);
        Assert.Contains(process.Libraries, library => library is { Name: "random", Version: null, Seed: 42 });
    }

    private PythonResult Draw(SeedMode mode, long seed) =>
        _python.Run(PythonInterpreters.RequireWithLibraries(), mode, seed, [HookedPython.Script("numpy_random.py")]).Succeeded();
}
