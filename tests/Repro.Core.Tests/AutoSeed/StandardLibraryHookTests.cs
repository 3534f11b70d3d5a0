using Repro.Core.AutoSeed;
using Repro.Core.Runs;
using Repro.Core.Tests.AutoSeed.Support;

namespace Repro.Core.Tests.AutoSeed;

/// <summary>The hook under the python3 on PATH (here pyenv's 3.11, without numpy or torch).</summary>
public sealed class StandardLibraryHookTests : IDisposable
{
    private const string Announcement = "repro: seeding random, numpy, torch and tensorflow from seed 42 as the program imports them; a seed the program sets itself wins (docs/python.md)";

    private readonly HookedPython _python = new();

    public void Dispose() => _python.Dispose();

    private static string Python => PythonInterpreters.RequireDefault();

    [PythonFact]
    public void Plain_SameSeedTwice_IsByteIdenticalInProcessForkAndSubprocess()
    {
        var first = Plain(42);
        var second = Plain(42);

        Assert.Equal(first.Stdout, second.Stdout);
        Assert.Equal(4, first.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [PythonFact]
    public void Plain_TwoSeeds_Differ()
    {
        Assert.NotEqual(Plain(42).Stdout, Plain(43).Stdout);
    }

    [PythonFact]
    public void Plain_WithoutTheHook_RandomDiffers()
    {
        var first = _python.Run(Python, SeedMode.Unhooked, 42, [HookedPython.Script("plain.py")]).Succeeded().LinesByKey();
        var second = _python.Run(Python, SeedMode.Unhooked, 42, [HookedPython.Script("plain.py")]).Succeeded().LinesByKey();

        Assert.NotEqual(first["random"], second["random"]);
        Assert.Equal(first["set"], second["set"]);
    }

    [PythonFact]
    public void Plain_ForkedChildAndSubprocess_FollowTheDocumentedStreams()
    {
        var lines = Plain(42).LinesByKey();
        var reference = _python.Run(Python, SeedMode.Unhooked, 42, ["-c", """
            import random
            random.seed(42); print("random", repr(random.random()))
            random.seed(int(__import__("sys").argv[1])); print("fork", repr(random.random()))
            """, StreamSeeds.Derive(42, "/fork:1").ToString(System.Globalization.CultureInfo.InvariantCulture)]).Succeeded().LinesByKey();

        Assert.Equal(reference["random"], lines["random"]);
        Assert.Equal(reference["fork"], lines["fork"]);
        // A new interpreter started by the program is a first process again: it draws what the parent drew first.
        Assert.Equal(lines["random"], lines["subprocess"]);
    }

    [PythonFact]
    public void Plain_ParentAndSubprocess_AnnounceOnceAndReportEach()
    {
        var result = Plain(42);

        Assert.Equal([Announcement], result.HookLines);
        var report = result.Report;
        Assert.Empty(report.Warnings);
        Assert.Equal(2, report.Processes.Count);
        Assert.All(report.Processes, process => Assert.Equal("/", process.Stream));
        Assert.All(report.Processes, process => Assert.Empty(process.Errors));
    }

    [PythonFact]
    public void UserSitecustomize_OnTheOriginalPath_StillRunsAsItself()
    {
        var user = Path.Combine(_python.Directory, "user");
        _python.Write("user/sitecustomize.py", "import builtins\nbuiltins.USER_SITECUSTOMIZE = __file__\nprint('user sitecustomize ran')\n");

        var result = _python.Run(Python, SeedMode.Hooked, 42, ["-c", """
            import random, sys
            print(USER_SITECUSTOMIZE == sys.modules["sitecustomize"].__file__, repr(random.random()))
            """], userPythonPath: user).Succeeded();
        var reference = _python.Run(Python, SeedMode.Unhooked, 42, ["-c", "import random; random.seed(42); print('True', repr(random.random()))"]).Succeeded();

        Assert.Equal("user sitecustomize ran\n" + reference.Stdout, result.Stdout);
    }

    [PythonFact]
    public void SysPath_UnderTheHook_IsWhatItIsWithout()
    {
        var script = "import sys; print(sys.path)";

        var hooked = _python.Run(Python, SeedMode.Hooked, 42, ["-c", script]).Succeeded();
        var unhooked = _python.Run(Python, SeedMode.Unhooked, 42, ["-c", script]).Succeeded();

        Assert.Equal(unhooked.Stdout, hooked.Stdout);
    }

    [PythonFact]
    public void BrokenImport_InsideAWatchedPackage_ReportsTheProgramsOwnError()
    {
        var fake = Path.Combine(_python.Directory, "fake");
        _python.Write("fake/torch/__init__.py", "raise ImportError('libtorch_cpu.so: cannot open shared object file: No such file or directory')\n");
        var script = "import torch";

        var hooked = _python.Run(Python, SeedMode.Hooked, 42, ["-c", script], userPythonPath: fake);
        var unhooked = _python.Run(Python, SeedMode.Unhooked, 42, ["-c", script], userPythonPath: fake);

        Assert.Equal(1, hooked.ExitCode);
        Assert.Equal(unhooked.ExitCode, hooked.ExitCode);
        Assert.Equal(LastLine(unhooked.Stderr), LastLine(hooked.Stderr));
        Assert.Equal("ImportError: libtorch_cpu.so: cannot open shared object file: No such file or directory", LastLine(hooked.Stderr));
        Assert.Empty(Assert.Single(hooked.Report.Processes).Errors);
    }

    [PythonFact]
    public void MissingModule_ThatTheHookWatches_IsTheUsualModuleNotFoundError()
    {
        var script = "import tensorflow";

        var hooked = _python.Run(Python, SeedMode.Hooked, 42, ["-c", script]);
        var unhooked = _python.Run(Python, SeedMode.Unhooked, 42, ["-c", script]);

        Assert.Equal(unhooked.ExitCode, hooked.ExitCode);
        Assert.Equal(LastLine(unhooked.Stderr), LastLine(hooked.Stderr));
    }

    // Debian packages no TensorFlow and CI cannot reach PyPI, so a stand-in package with the part of TensorFlow's API the
    // hook calls (tf.random.set_seed, tf.config.experimental.enable_op_determinism, config.is_op_determinism_enabled)
    // records what the hook does with it.
    [PythonFact]
    public void TensorFlowImport_SeedsItEnablesOpDeterminismAndReportsBoth()
    {
        var fake = Path.Combine(_python.Directory, "fake");
        _python.Write("fake/tensorflow/__init__.py", """
            import types
            __version__ = "2.16.1"
            calls = []
            determinism = [False]
            def _set_seed(seed):
                calls.append(("set_seed", seed))
            def _enable_op_determinism():
                calls.append(("enable_op_determinism",))
                determinism[0] = True
            random = types.SimpleNamespace(set_seed=_set_seed)
            config = types.SimpleNamespace(experimental=types.SimpleNamespace(enable_op_determinism=_enable_op_determinism))
            """);
        _python.Write("fake/tensorflow/python/__init__.py", string.Empty);
        _python.Write("fake/tensorflow/python/framework/__init__.py", string.Empty);
        _python.Write("fake/tensorflow/python/framework/config.py", "import tensorflow\ndef is_op_determinism_enabled():\n    return tensorflow.determinism[0]\n");

        var result = _python.Run(Python, SeedMode.Hooked, 42, ["-c", "import tensorflow; print(tensorflow.calls)"], userPythonPath: fake).Succeeded();

        Assert.Equal("[('set_seed', 42), ('enable_op_determinism',)]\n", result.Stdout);
        var process = Assert.Single(result.Report.Processes);
        Assert.Contains(new PythonLibraryRecord("tensorflow", "2.16.1", 42, "import"), process.Libraries);
        Assert.True(process.Flags["tensorflow.config.experimental.is_op_determinism_enabled"]!.GetValue<bool>());
        Assert.Empty(process.Errors);
    }

    [PythonFact]
    public void ExceptionInsideTheHook_IsReportedAndTheProgramGoesOn()
    {
        var fake = Path.Combine(_python.Directory, "fake");
        _python.Write("fake/torch/__init__.py", "__version__ = '0.0-fake'\ndef manual_seed(seed):\n    raise RuntimeError('no generator here')\n");

        var result = _python.Run(Python, SeedMode.Hooked, 42, ["-c", "import torch; print('program goes on', torch.__version__)"], userPythonPath: fake).Succeeded();

        Assert.Equal("program goes on 0.0-fake\n", result.Stdout);
        Assert.Contains("repro: auto-seed: torch.manual_seed failed (RuntimeError: no generator here); the program goes on", result.HookLines);
        var process = Assert.Single(result.Report.Processes);
        Assert.Contains("torch.manual_seed failed (RuntimeError: no generator here)", process.Errors);
        Assert.Contains(process.Errors, error => error.StartsWith("torch.use_deterministic_algorithms(True, warn_only=True) failed (AttributeError", StringComparison.Ordinal));
        Assert.DoesNotContain(process.Libraries, library => library.Name == "torch");
    }

    [PythonFact]
    public void InvalidSeed_SeedsNothingSaysSoAndTheProgramRuns()
    {
        var result = _python.Run(Python, SeedMode.Hooked, 42, ["-c", "print('ran')"], seedText: "forty-two").Succeeded();

        Assert.Equal("ran\n", result.Stdout);
        Assert.Equal(["repro: REPRO_SEED is 'forty-two', not a whole number from 0 to 4294967295; nothing is seeded"], result.HookLines);
        var process = Assert.Single(result.Report.Processes);
        Assert.Equal(PythonHookStatus.NotSeeded, process.Status);
        Assert.Null(process.Stream);
    }

    [PythonFact]
    public void ProgramSeedingRandomItself_ItsOwnSeedWins()
    {
        var script = "import random; random.seed(7); print(repr(random.random()))";

        var hooked = _python.Run(Python, SeedMode.Hooked, 42, ["-c", script]).Succeeded();
        var unhooked = _python.Run(Python, SeedMode.Unhooked, 42, ["-c", script]).Succeeded();

        Assert.Equal(unhooked.Stdout, hooked.Stdout);
    }

    [PythonFact]
    public void ManyProcessesEndingTogether_EachAppendOneWholeLine()
    {
        var result = _python.Run(Python, SeedMode.Hooked, 42, ["-c", """
            import subprocess, sys
            children = [subprocess.Popen([sys.executable, "-c", "import random; random.random()"]) for _ in range(16)]
            print(sum(child.wait() for child in children))
            """]).Succeeded();

        Assert.Equal("0\n", result.Stdout);
        Assert.Equal(17, result.ReportLines.Count);
        var report = result.Report;
        Assert.Empty(report.Warnings);
        Assert.Equal(17, report.Processes.Select(process => process.Pid).Distinct().Count());
    }

    [PythonFact]
    public void SecondCopyOfTheHookOnThePath_SeedsAndReportsOnce()
    {
        var outer = PythonHook.Materialize(Path.Combine(_python.Directory, "outer-run-hook"));

        var result = _python.Run(Python, SeedMode.Hooked, 42, ["-c", "import random; print(repr(random.random()))"], userPythonPath: outer.Path).Succeeded();
        var reference = _python.Run(Python, SeedMode.Unhooked, 42, ["-c", "import random; random.seed(42); print(repr(random.random()))"]).Succeeded();

        Assert.Equal(reference.Stdout, result.Stdout);
        Assert.Equal([Announcement], result.HookLines);
        Assert.Single(result.ReportLines);
    }

    [PythonFact]
    public void DontWriteBytecode_IsKeptForTheProgramWhileTheHookCachesItsOwn()
    {
        var program = Path.Combine(_python.Directory, "program");
        _python.Write("program/helper.py", "VALUE = 1\n");

        _python.Run(Python, SeedMode.Hooked, 42, ["-c", "import sys, helper; assert sys.dont_write_bytecode"], userPythonPath: program,
            environment: new Dictionary<string, string> { ["PYTHONDONTWRITEBYTECODE"] = "1" }).Succeeded();

        Assert.False(Directory.Exists(Path.Combine(program, "__pycache__")));
        Assert.Contains(Directory.GetFiles(Path.Combine(_python.Hook.Path, "__pycache__")), file => Path.GetFileName(file).StartsWith("_repro_autoseed.", StringComparison.Ordinal));
    }

    private PythonResult Plain(long seed) => _python.Run(Python, SeedMode.Hooked, seed, [HookedPython.Script("plain.py")]).Succeeded();

    private static string LastLine(string text) => text.TrimEnd('\n').Split('\n')[^1];
}
