using Repro.Core.AutoSeed;
using Repro.Core.Runs;
using Repro.Core.Tests.AutoSeed.Support;

namespace Repro.Core.Tests.AutoSeed;

/// <summary>An unmodified PyTorch training script under the hook, in Debian's python3-torch.</summary>
public sealed class TorchHookTests(TorchHookTests.Runs runs) : IClassFixture<TorchHookTests.Runs>
{
    [PythonLibrariesFact]
    public void Train_SameSeedTwice_WritesByteIdenticalWeights()
    {
        Assert.Equal(runs.Weights(runs.First), runs.Weights(runs.Second));
    }

    [PythonLibrariesFact]
    public void Train_AnotherSeed_WritesOtherWeights()
    {
        Assert.NotEqual(runs.Weights(runs.First), runs.Weights(runs.OtherSeed));
    }

    [PythonLibrariesFact]
    public void Train_WithoutTheHook_WritesOtherWeightsEachTime()
    {
        // The control: the script really seeds nothing, so without the hook two runs differ.
        Assert.NotEqual(runs.Weights(runs.UnhookedFirst), runs.Weights(runs.UnhookedSecond));
    }

    [PythonLibrariesFact]
    public void Report_TrainingProcess_ReadsBackEveryDeterminismSwitch()
    {
        var root = Assert.Single(runs.First.Result.Report.Processes, process => process.Stream == "/");

        Assert.Equal(PythonHookStatus.Seeded, root.Status);
        Assert.Equal(42, root.Seed);
        Assert.Empty(root.Errors);
        Assert.Contains(root.Libraries, library => library is { Name: "torch", Seed: 42, At: "import" } && !string.IsNullOrEmpty(library.Version));
        Assert.Contains(root.Libraries, library => library is { Name: "numpy", Seed: 42 });
        Assert.True(root.Flags["torch.are_deterministic_algorithms_enabled"]!.GetValue<bool>());
        Assert.True(root.Flags["torch.is_deterministic_algorithms_warn_only_enabled"]!.GetValue<bool>());
        Assert.True(root.Flags["torch.backends.cudnn.deterministic"]!.GetValue<bool>());
        Assert.False(root.Flags["torch.backends.cudnn.benchmark"]!.GetValue<bool>());
        Assert.False(root.Flags["torch.backends.cudnn.allow_tf32"]!.GetValue<bool>());
        Assert.False(root.Flags["torch.backends.cuda.matmul.allow_tf32"]!.GetValue<bool>());
        Assert.Equal(42, root.Flags["torch.initial_seed"]!.GetValue<long>());
    }

    [PythonLibrariesFact]
    public void Report_DataLoaderWorkers_HaveTheirOwnDocumentedStreams()
    {
        var report = runs.First.Result.Report;

        Assert.Empty(report.Warnings);
        var workers = report.Processes.Where(process => process.Stream != "/").ToList();
        Assert.NotEmpty(workers);
        Assert.All(workers, worker =>
        {
            Assert.Matches("^/mp:[0-9]+$", worker.Stream);
            Assert.Equal(StreamSeeds.Derive(42, worker.Stream!), worker.Seed);
            Assert.Equal(runs.First.Result.Report.Processes.Single(process => process.Stream == "/").Pid, worker.Ppid);
        });
    }

    [PythonLibrariesFact]
    public void Train_ManyProcesses_AnnouncesOnce()
    {
        var line = Assert.Single(runs.First.Result.HookLines);
        Assert.Equal("repro: seeding random, numpy, torch and tensorflow from seed 42 as the program imports them; a seed the program sets itself wins (docs/python.md)", line);
    }

    [PythonLibrariesFact]
    public void Script_SeedingTorchItselfAfterTheHook_ItsOwnSeedWins()
    {
        var python = PythonInterpreters.RequireWithLibraries();
        var script = HookedPython.Script("torch_seeds_itself.py");

        var hooked = runs.Python.Run(python, SeedMode.Hooked, 42, [script]).Succeeded();
        var unhooked = runs.Python.Run(python, SeedMode.Unhooked, 42, [script]).Succeeded();

        Assert.Equal(unhooked.Stdout, hooked.Stdout);
        Assert.Equal(7, Assert.Single(hooked.Report.Processes).Flags["torch.initial_seed"]!.GetValue<long>());
    }

    /// <summary>The training runs, made once for the class and only when a test asks.</summary>
    public sealed class Runs : IDisposable
    {
        private readonly Lazy<Training> _first;
        private readonly Lazy<Training> _second;
        private readonly Lazy<Training> _otherSeed;
        private readonly Lazy<Training> _unhookedFirst;
        private readonly Lazy<Training> _unhookedSecond;

        public Runs()
        {
            _first = new(() => Train(SeedMode.Hooked, 42, "first.bin"));
            _second = new(() => Train(SeedMode.Hooked, 42, "second.bin"));
            _otherSeed = new(() => Train(SeedMode.Hooked, 43, "other-seed.bin"));
            _unhookedFirst = new(() => Train(SeedMode.Unhooked, 42, "unhooked-first.bin"));
            _unhookedSecond = new(() => Train(SeedMode.Unhooked, 42, "unhooked-second.bin"));
        }

        public HookedPython Python { get; } = new();

        public Training First => _first.Value;

        public Training Second => _second.Value;

        public Training OtherSeed => _otherSeed.Value;

        public Training UnhookedFirst => _unhookedFirst.Value;

        public Training UnhookedSecond => _unhookedSecond.Value;

        public byte[] Weights(Training training) => File.ReadAllBytes(training.Output);

        public void Dispose() => Python.Dispose();

        private Training Train(SeedMode mode, long seed, string output)
        {
            var path = Path.Combine(Python.Directory, output);
            var result = Python.Run(PythonInterpreters.RequireWithLibraries(), mode, seed, [HookedPython.Script("torch_train.py"), path]).Succeeded();
            return new Training(result, path);
        }
    }

    public sealed record Training(PythonResult Result, string Output);
}
