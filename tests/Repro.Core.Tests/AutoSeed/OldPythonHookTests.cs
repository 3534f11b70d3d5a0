using Repro.Core.AutoSeed;
using Repro.Core.Runs;
using Repro.Core.Tests.AutoSeed.Support;

namespace Repro.Core.Tests.AutoSeed;

/// <summary>The hook under pyenv's older interpreters: 3.8 is seeded; 3.7 and 2.7 run unseeded and say so.</summary>
public sealed class OldPythonHookTests : IDisposable
{
    private readonly HookedPython _python = new();

    public void Dispose() => _python.Dispose();

    [PyenvFact("3.7")]
    public void Python37_RunsUnseededAndSaysSoOnStderrAndInTheReport() => Unsupported("3.7");

    [PyenvFact("2.7")]
    public void Python27_RunsUnseededAndSaysSoOnStderrAndInTheReport() => Unsupported("2.7");

    [PyenvFact("3.7")]
    public void Python37_UserSitecustomize_StillRuns()
    {
        var user = Path.Combine(_python.Directory, "user");
        _python.Write("user/sitecustomize.py", "print('user sitecustomize ran')\n");

        var result = _python.Run(PythonInterpreters.Pyenv("3.7")!, SeedMode.Hooked, 42, ["-c", "print('program ran')"], userPythonPath: user).Succeeded();

        Assert.Equal("user sitecustomize ran\nprogram ran\n", result.Stdout);
    }

    [PyenvFact("3.8")]
    public void Python38_TheOldestSupported_IsSeeded()
    {
        var python = PythonInterpreters.Pyenv("3.8")!;

        var hooked = _python.Run(python, SeedMode.Hooked, 42, ["-c", "import random; print(repr(random.random()))"]).Succeeded();
        var reference = _python.Run(python, SeedMode.Unhooked, 42, ["-c", "import random; random.seed(42); print(repr(random.random()))"]).Succeeded();

        Assert.Equal(reference.Stdout, hooked.Stdout);
        var process = Assert.Single(hooked.Report.Processes);
        Assert.Equal(PythonHookStatus.Seeded, process.Status);
        Assert.StartsWith("3.8.", process.PythonVersion, StringComparison.Ordinal);
    }

    private void Unsupported(string version)
    {
        var result = _python.Run(PythonInterpreters.Pyenv(version)!, SeedMode.Hooked, 42, ["-c", "print('program ran')"]).Succeeded();

        Assert.Equal("program ran\n", result.Stdout);
        var line = Assert.Single(result.HookLines);
        Assert.Matches($"^repro: Python {version.Replace(".", "\\.", StringComparison.Ordinal)}\\.[0-9]+ is older than 3\\.8; repro does not seed its generators \\(docs/python\\.md\\)$", line);
        var report = result.Report;
        Assert.Empty(report.Warnings);
        var process = Assert.Single(report.Processes);
        Assert.Equal(PythonHookStatus.Unsupported, process.Status);
        Assert.StartsWith(version + ".", process.PythonVersion, StringComparison.Ordinal);
        Assert.Equal("cpython", process.Implementation);
        Assert.Null(process.Seed);
    }
}
