using System.Text.Json.Nodes;
using Repro.Core.Runs;
using Repro.Core.Verification.Differences;
using static Repro.Core.Tests.Verification.Differences.TestManifests;

namespace Repro.Core.Tests.Verification.Differences;

public sealed class ManifestDifferencesTests
{
    public static TheoryData<string, Func<RunManifest, RunManifest>, string, string?, string?, string> Factors => new()
    {
        { "parameter", run => run.WithParameter("alpha", "0.2"), "parameters.alpha", "0.1", "0.2", "parameter alpha 0.1 -> 0.2" },
        { "seed", run => run with { Seed = new SeedRecord(7, SeedSource.Cli) }, "seed", "42", "7", "seed 42 -> 7" },
        { "commit", run => run.WithGit(git => git with { Commit = "fedcba9876543210fedcba9876543210fedcba98" }), "code.commit", Commit, "fedcba9876543210fedcba9876543210fedcba98", "commit 0123456789ab -> fedcba987654" },
        { "dirty flag", run => run.WithGit(git => git with { Dirty = false }), "code.dirty", "true", "false", "working tree dirty -> clean" },
        { "patch", run => run.WithGit(git => git with { Patch = new StoredFileRecord("code.patch", Hash('a'), 90) }), "code.patch", PatchHash, Hash('a'), "uncommitted changes patch changed" },
        { "untracked file", run => run.WithGit(git => git with { Untracked = [new FileRecord("notes.py", 10, Hash('b'))] }), "code.untracked.notes.py", null, Hash('b'), "untracked file notes.py added" },
        { "entry point", run => run with { EntryPoint = new EntryPointRecord("evaluate", EntryPointKind.Declared) }, "code.entryPoint", "train (declared)", "evaluate (declared)", "entry point train (declared) -> evaluate (declared)" },
        { ".NET runtime", run => run.WithEnvironment(env => env with { Dotnet = env.Dotnet with { Runtime = "10.0.12" } }), "environment.dotnet.runtime", "10.0.1", "10.0.12", ".NET runtime 10.0.1 -> 10.0.12" },
        { ".NET SDK", run => run.WithEnvironment(env => env with { Dotnet = env.Dotnet with { Sdk = null } }), "environment.dotnet.sdk", "10.0.100", null, ".NET SDK 10.0.100 -> (none)" },
        { "CPU model", run => run.WithEnvironment(env => env with { Cpu = env.Cpu with { Model = "Intel Xeon Gold 6338" } }), "environment.cpu.model", "AMD EPYC 7763 64-Core Processor", "Intel Xeon Gold 6338", "CPU model AMD EPYC 7763 64-Core Processor -> Intel Xeon Gold 6338" },
        { "logical cores", run => run.WithEnvironment(env => env with { Cpu = env.Cpu with { LogicalCores = 8 } }), "environment.cpu.logicalCores", "16", "8", "logical cores 16 -> 8" },
        { "vector ISA", run => run.WithEnvironment(env => env with { Cpu = env.Cpu with { VectorIsa = ["sse4.2", "avx", "avx2", "fma"] } }), "environment.cpu.vectorIsa", "sse4.2 avx avx2 fma avx512f", "sse4.2 avx avx2 fma", "CPU vector ISA lost avx512f" },
        { "GPU", run => run.WithEnvironment(env => env with { Gpus = [new GpuRecord("NVIDIA H100 80GB HBM3", "550.54.15", 85_899_345_920)] }), "environment.gpus[0].name", "NVIDIA A100-SXM4-40GB", "NVIDIA H100 80GB HBM3", "GPU 0 NVIDIA A100-SXM4-40GB -> NVIDIA H100 80GB HBM3" },
        { "GPU driver", run => run.WithEnvironment(env => env with { Gpus = [env.Gpus[0] with { Driver = "535.104.05" }] }), "environment.gpus[0].driver", "550.54.15", "535.104.05", "GPU 0 driver 550.54.15 -> 535.104.05" },
        { "CUDA", run => run.WithEnvironment(env => env with { CudaVersion = "12.2" }), "environment.cuda", "12.4", "12.2", "CUDA 12.4 -> 12.2" },
        { "cuDNN", run => run.WithEnvironment(env => env with { CudnnVersion = "8.9.7" }), "environment.cudnn", "9.1.0", "8.9.7", "cuDNN 9.1.0 -> 8.9.7" },
        { "lock file", run => run.WithEnvironment(env => env with { LockFiles = [new LockFileRecord("packages.lock.json", Hash('c')), env.LockFiles[1]] }), "environment.lockFiles.packages.lock.json", PackagesLockHash, Hash('c'), "lock file packages.lock.json changed" },
        { "interpreter version", run => run.WithEnvironment(env => env with { Interpreter = env.Interpreter! with { Version = "3.12.2" } }), "environment.interpreter.version", "3.11.8", "3.12.2", "python version 3.11.8 -> 3.12.2" },
        { "kernel", run => run.WithEnvironment(env => env with { Os = env.Os with { Kernel = "6.8.0-40-generic" } }), "environment.os.kernel", "6.1.0-18-amd64", "6.8.0-40-generic", "kernel 6.1.0-18-amd64 -> 6.8.0-40-generic" },
        { "OS", run => run.WithEnvironment(env => env with { Os = env.Os with { Name = "Ubuntu" } }), "environment.os.name", "Debian GNU/Linux", "Ubuntu", "OS Debian GNU/Linux -> Ubuntu" },
        { "allow-listed variable", run => run.WithVariable("CUDA_VISIBLE_DEVICES", "1"), "environment.variables.CUDA_VISIBLE_DEVICES", "0", "1", "CUDA_VISIBLE_DEVICES 0 -> 1" },
        { "declared environment file", run => run with { Project = run.Project with { Environment = run.Project.Environment with { Sha256 = Hash('d') } } }, "environment.declared.sha256", RequirementsHash, Hash('d'), "environment file python_env.yaml changed" },
        { "repro version", run => run with { Repro = new ToolRecord("0.2.0") }, "environment.repro.version", "0.1.0", "0.2.0", "repro 0.1.0 -> 0.2.0" },
        { "determinism variable", run => run.WithDeterminismVariable("PYTHONHASHSEED", null), "determinism.PYTHONHASHSEED", "42", null, "PYTHONHASHSEED 42 -> (unset)" },
        { "pinned threads", run => run with { Determinism = run.Determinism with { Threads = null } }, "determinism.threads", "4", null, "pinned threads 4 -> (none)" },
        { "Python library version", run => run.WithPythonProcess(process => process with { Libraries = [process.Libraries[0], process.Libraries[1] with { Version = "2.4.0" }] }), "determinism.python.libraries.torch.version", "2.3.1", "2.4.0", "Python library torch 2.3.1 -> 2.4.0" },
        { "Python flag", run => run.WithPythonProcess(process => process with { Flags = new JsonObject { ["torch.backends.cudnn.benchmark"] = true, ["torch.are_deterministic_algorithms_enabled"] = true } }), "determinism.python.flags.torch.backends.cudnn.benchmark", "false", "true", "Python flag torch.backends.cudnn.benchmark false -> true" },
        { "Python hook", run => run with { Python = run.Python! with { Hook = Hash('8') } }, "determinism.python.hook", Hash('7'), Hash('8'), "Python hook 777777777777 -> 888888888888" },
        { "Repro.Sdk report", run => run with { Sdk = JsonNode.Parse("""{"sdk":{"name":"Repro.Sdk","version":"0.1.0"},"torch":{"deterministicAlgorithms":true,"matmulAllowTf32":true,"intraOpThreads":4}}""")!.AsObject() }, "determinism.sdk.torch.matmulAllowTf32", "false", "true", "Repro.Sdk torch.matmulAllowTf32 false -> true" },
    };

    [Fact]
    public void Compare_SameManifest_FindsNoDifferences()
    {
        var diff = ManifestDifferences.Compare(Original(), Original());

        Assert.True(diff.Identical);
        Assert.Empty(diff.Differences);
        Assert.False(diff.FactorsDiffer);
        Assert.False(diff.OutcomesDiffer);
    }

    [Fact]
    public void Compare_VerificationInTemporaryCheckout_ReportsOnlyTheProjectLocationAndNoFactor()
    {
        var diff = ManifestDifferences.Compare(Original(), TestManifests.Verification());

        var difference = Assert.Single(diff.Differences);
        Assert.Equal("code.projectDirectory", difference.Key);
        Assert.Equal(DifferenceRole.Informational, difference.Role);
        Assert.Equal(ProjectDirectory, difference.A);
        Assert.Equal(CheckoutDirectory, difference.B);
        Assert.Empty(diff.Factors);
        Assert.Equal("20250301-101500-123-k3x9ab", diff.RunA);
        Assert.Equal("20250302-090000-456-q7w2cd", diff.RunB);
    }

    [Theory]
    [MemberData(nameof(Factors))]
    public void Compare_OneFactorChanged_ReportsItAsAFactorWithBothValuesAndAPhrase(string kind, Func<RunManifest, RunManifest> change, string key, string? a, string? b, string summary)
    {
        var diff = ManifestDifferences.Compare(Original(), change(Original()));

        var difference = Assert.Single(diff.Differences, difference => difference.Role == DifferenceRole.Factor);
        Assert.True(difference.Key == key, $"{kind}: key {difference.Key}");
        Assert.Equal(a, difference.A);
        Assert.Equal(b, difference.B);
        Assert.Equal(summary, difference.Summary);
        Assert.Equal(difference, Assert.Single(diff.Factors));
        Assert.False(diff.OutcomesDiffer);
    }

    [Fact]
    public void Compare_AutoSeedOffInTheOtherRun_NamesItFirstAmongThePythonFactors()
    {
        var diff = ManifestDifferences.Compare(Original(), Original() with { Python = PythonRecord.Off });

        Assert.Equal("Python auto-seed on -> off", diff.Factors[0].Summary);
        Assert.Equal(
            [
                "determinism.python.autoSeed", "determinism.python.flags.torch.are_deterministic_algorithms_enabled", "determinism.python.flags.torch.backends.cudnn.benchmark",
                "determinism.python.hook", "determinism.python.interpreter", "determinism.python.libraries.random.version", "determinism.python.libraries.torch.version",
            ],
            diff.Factors.Select(factor => factor.Key));
    }

    [Fact]
    public void Compare_ManifestWrittenBeforeTheHook_ReadsAsARunWithoutIt()
    {
        var diff = ManifestDifferences.Compare(Original() with { Python = null }, Original() with { Python = PythonRecord.Off });

        var factor = Assert.Single(diff.Factors);
        Assert.Equal("Python auto-seed (none) -> off", factor.Summary);
    }

    [Fact]
    public void Compare_FactorsOfSeveralSections_GroupsThemInSectionOrder()
    {
        var b = Original()
            .WithMetrics(("accuracy", 0.5))
            .WithEnvironment(env => env with { CudaVersion = "12.2" })
            .WithParameter("alpha", "0.3") with { Seed = new SeedRecord(1, SeedSource.Cli) };

        var sections = ManifestDifferences.Compare(Original(), b).Differences.Select(difference => difference.Section).ToList();

        Assert.Equal([DiffSection.Parameters, DiffSection.Seed, DiffSection.Environment, DiffSection.Metrics, DiffSection.Metrics], sections);
    }

    [Fact]
    public void Compare_HostUserMemoryAndBranch_AreInformationalNotFactors()
    {
        var b = Original()
            .WithEnvironment(env => env with { Hostname = "gpu-box-2", User = "grace", MemoryBytes = 1024, Container = true })
            .WithGit(git => git with { Branch = "feature", RemoteUrl = "https://example.org/fork.git" });

        var diff = ManifestDifferences.Compare(Original(), b);

        Assert.Equal(
            ["code.branch", "code.remoteUrl", "environment.hostname", "environment.user", "environment.container", "environment.memoryBytes"],
            diff.Differences.Select(difference => difference.Key));
        Assert.All(diff.Differences, difference => Assert.Equal(DifferenceRole.Informational, difference.Role));
        Assert.Empty(diff.Factors);
    }

    [Fact]
    public void Compare_DurationsTimesRunIdsAndWarnings_AreNotDifferences()
    {
        var b = Original() with
        {
            RunId = "20250309-000000-000-zzzzzz",
            RunName = "other",
            Warnings = ["something else"],
            Execution = Original().Execution! with { DurationSeconds = 1000, StartedAt = DateTimeOffset.UnixEpoch, CpuUserSeconds = 1, PeakMemoryBytes = 1 },
        };

        Assert.Empty(ManifestDifferences.Compare(Original(), b).Differences);
    }

    [Fact]
    public void Compare_InputFilesAddedRemovedAndChanged_ReportsEachFileWithBothHashes()
    {
        var b = Original() with
        {
            Inputs =
            [
                Data("data", DataOrigin.Inputs, new FileRecord("data/hour.csv", 1_156_736, Hash('e')), new FileRecord("data/weather.csv", 300, Hash('f'))),
            ],
        };

        var inputs = ManifestDifferences.Compare(Original(), b).In(DiffSection.Inputs);

        Assert.Collection(
            inputs,
            removed =>
            {
                Assert.Equal(("inputs.data/day.csv", DayCsvHash, null, DifferenceChange.Removed), (removed.Key, removed.A, removed.B, removed.Change));
                Assert.Equal("input data/day.csv removed", removed.Summary);
            },
            changed =>
            {
                Assert.Equal(("inputs.data/hour.csv", HourCsvHash, Hash('e'), DifferenceChange.Changed), (changed.Key, changed.A, changed.B, changed.Change));
                Assert.Equal("input data/hour.csv changed", changed.Summary);
            },
            added =>
            {
                Assert.Equal(("inputs.data/weather.csv", null, Hash('f'), DifferenceChange.Added), (added.Key, added.A, added.B, added.Change));
                Assert.Equal("input data/weather.csv added", added.Summary);
            });
        Assert.All(inputs, input => Assert.Equal(DifferenceRole.Factor, input.Role));
    }

    [Fact]
    public void Compare_OutputFileChanged_IsAnOutcome()
    {
        var b = Original() with { Outputs = [Data("model.bin", DataOrigin.Outputs, new FileRecord("model.bin", 4_096, Hash('e')))] };

        var diff = ManifestDifferences.Compare(Original(), b);

        var output = Assert.Single(diff.Differences);
        Assert.Equal(("outputs.model.bin", ModelHash, Hash('e'), DifferenceRole.Outcome), (output.Key, output.A, output.B, output.Role));
        Assert.True(diff.OutcomesDiffer);
        Assert.Empty(diff.Factors);
    }

    [Fact]
    public void Compare_SymbolicLinkInput_ComparesItsTarget()
    {
        var a = Original() with { Inputs = [Data("data/link", DataOrigin.Inputs, new FileRecord("data/link", 0, null) { LinkTarget = "/mnt/a" })] };
        var b = Original() with { Inputs = [Data("data/link", DataOrigin.Inputs, new FileRecord("data/link", 0, null) { LinkTarget = "/mnt/b" })] };

        var difference = Assert.Single(ManifestDifferences.Compare(a, b).Differences);

        Assert.Equal(("symlink to /mnt/a", "symlink to /mnt/b"), (difference.A, difference.B));
    }

    [Fact]
    public void Compare_MetricChanged_GivesAbsoluteAndRelativeDifference()
    {
        var a = Original().WithMetrics(("rmse", 0.5));
        var b = Original().WithMetrics(("rmse", 0.4));

        var metric = Assert.Single(ManifestDifferences.Compare(a, b).Differences);

        Assert.Equal(("metrics.rmse", "0.5", "0.4", DifferenceRole.Outcome), (metric.Key, metric.A, metric.B, metric.Role));
        Assert.Equal(0.1, metric.AbsoluteDifference!.Value, 12);
        Assert.Equal(0.2, metric.RelativeDifference!.Value, 12);
        Assert.Equal("metric rmse 0.5 -> 0.4 (-0.1, -20%)", metric.Summary);
    }

    [Fact]
    public void Compare_MetricFromZero_HasNoRelativeDifference()
    {
        var metric = Assert.Single(ManifestDifferences.Compare(Original().WithMetrics(("loss", 0)), Original().WithMetrics(("loss", 0.25))).Differences);

        Assert.Equal(0.25, metric.AbsoluteDifference);
        Assert.Null(metric.RelativeDifference);
        Assert.Equal("metric loss 0 -> 0.25 (+0.25)", metric.Summary);
    }

    [Fact]
    public void Compare_MetricAddedOrRemoved_HasNoArithmeticDifference()
    {
        var diff = ManifestDifferences.Compare(Original().WithMetrics(("f1", 0.8)), Original().WithMetrics(("auc", 0.7)));

        Assert.Collection(
            diff.Differences,
            added => Assert.Equal(("metrics.auc", null, "0.7", DifferenceChange.Added, null), (added.Key, added.A, added.B, added.Change, added.AbsoluteDifference)),
            removed => Assert.Equal(("metrics.f1", "0.8", null, DifferenceChange.Removed, null), (removed.Key, removed.A, removed.B, removed.Change, removed.AbsoluteDifference)));
    }

    [Fact]
    public void Compare_MetricNaNInBothRuns_IsNotADifference() =>
        Assert.Empty(ManifestDifferences.Compare(Original().WithMetrics(("loss", double.NaN)), Original().WithMetrics(("loss", double.NaN))).Differences);

    [Fact]
    public void Compare_EnvironmentVariableAddedAndRemoved_ReportsUnsetOnTheMissingSide()
    {
        var b = Original().WithVariable("LANG", null).WithVariable("OMP_NUM_THREADS", "8");

        var diff = ManifestDifferences.Compare(Original(), b);

        Assert.Collection(
            diff.Differences,
            removed =>
            {
                Assert.Equal(("environment.variables.LANG", "C.UTF-8", null, DifferenceChange.Removed), (removed.Key, removed.A, removed.B, removed.Change));
                Assert.Equal("LANG C.UTF-8 -> (unset)", removed.Summary);
            },
            added =>
            {
                Assert.Equal(("environment.variables.OMP_NUM_THREADS", null, "8", DifferenceChange.Added), (added.Key, added.A, added.B, added.Change));
                Assert.Equal("OMP_NUM_THREADS (unset) -> 8", added.Summary);
            });
        Assert.All(diff.Differences, difference => Assert.Equal(DifferenceRole.Factor, difference.Role));
    }

    [Fact]
    public void Compare_WithheldVariablePresentInOneRun_IsAFactorWithoutItsValue()
    {
        var b = Original().WithEnvironment(env => env with { WithheldVariables = ["CUDA_API_KEY"] });

        var difference = Assert.Single(ManifestDifferences.Compare(Original(), b).Differences);

        Assert.Equal(("environment.withheldVariables.CUDA_API_KEY", null, "(withheld)", DifferenceRole.Factor), (difference.Key, difference.A, difference.B, difference.Role));
    }

    [Fact]
    public void Compare_DeterminismVariableUserSetWithAnotherValue_NamesWhoSetEachValue()
    {
        var a = Original().WithDeterminismVariable("PYTHONHASHSEED", "0", VariableSetter.User);

        var difference = Assert.Single(ManifestDifferences.Compare(a, Original()).Differences);

        Assert.Equal(("determinism.PYTHONHASHSEED", "0", "42", DifferenceRole.Factor), (difference.Key, difference.A, difference.B, difference.Role));
        Assert.Equal("PYTHONHASHSEED 0 (set by user) -> 42 (set by repro)", difference.Summary);
    }

    [Fact]
    public void Compare_DeterminismVariableSameValueSetByUserInsteadOfRepro_IsInformational()
    {
        var b = Original().WithDeterminismVariable("PYTHONHASHSEED", "42", VariableSetter.User);

        var difference = Assert.Single(ManifestDifferences.Compare(Original(), b).Differences);

        Assert.Equal(("determinism.PYTHONHASHSEED.setBy", "repro", "user", DifferenceRole.Informational), (difference.Key, difference.A, difference.B, difference.Role));
        Assert.Equal("PYTHONHASHSEED set by repro -> set by user (same value)", difference.Summary);
    }

    [Fact]
    public void Compare_GpuRemoved_ReportsTheWholeGpuOnce()
    {
        var b = Original().WithEnvironment(env => env with { Gpus = [], CudaVersion = null, CudnnVersion = null });

        var diff = ManifestDifferences.Compare(Original(), b);

        Assert.Equal(["environment.gpus[0]", "environment.cuda", "environment.cudnn"], diff.Differences.Select(difference => difference.Key));
        Assert.Equal("GPU 0 NVIDIA A100-SXM4-40GB (driver 550.54.15) -> (none)", diff.Differences[0].Summary);
    }

    [Fact]
    public void Compare_VectorIsaReordered_IsNotADifference()
    {
        var b = Original().WithEnvironment(env => env with { Cpu = env.Cpu with { VectorIsa = ["avx512f", "fma", "avx2", "avx", "sse4.2"] } });

        Assert.Empty(ManifestDifferences.Compare(Original(), b).Differences);
    }

    [Fact]
    public void Compare_VectorIsaLostAndGained_NamesBoth()
    {
        var b = Original().WithEnvironment(env => env with { Cpu = env.Cpu with { VectorIsa = ["sse4.2", "avx", "avx2", "fma", "amx-tile"] } });

        Assert.Equal("CPU vector ISA lost avx512f; gained amx-tile", Assert.Single(ManifestDifferences.Compare(Original(), b).Differences).Summary);
    }

    [Fact]
    public void Compare_CommandChangedWithSameParameters_ReportsTheCommand()
    {
        var b = Original() with { Command = Original().Command with { Rendered = "python train2.py --alpha 0.1" } };

        var difference = Assert.Single(ManifestDifferences.Compare(Original(), b).Differences);

        Assert.Equal(("code.command", DifferenceRole.Factor), (difference.Key, difference.Role));
    }

    [Fact]
    public void Compare_CommandChangedBecauseAParameterDid_ReportsOnlyTheParameter()
    {
        var b = Original().WithParameter("alpha", "0.2") with { Command = Original().Command with { Rendered = "python train.py --alpha 0.2 --epochs 10 --data /home/ada/bike-sharing/data" } };

        Assert.Equal(["parameters.alpha"], ManifestDifferences.Compare(Original(), b).Differences.Select(difference => difference.Key));
    }

    [Fact]
    public void Compare_PathParameterOutsideTheProject_IsAFactor()
    {
        var b = TestManifests.Verification().WithParameter("data", "/mnt/other/data");

        var difference = Assert.Single(ManifestDifferences.Compare(Original(), b).Factors);

        Assert.Equal(("parameters.data", $"{ProjectDirectory}/data", "/mnt/other/data"), (difference.Key, difference.A, difference.B));
    }

    [Fact]
    public void Compare_ParameterOnlyInOneRun_IsAddedOrRemoved()
    {
        var b = Original() with { Parameters = [.. Original().Parameters.Where(parameter => parameter.Name != "epochs"), new ParameterRecord("dropout", ParameterType.String, ParameterSource.Extra, "0.3", "0.3")] };

        var diff = ManifestDifferences.Compare(Original(), b);

        Assert.Equal(
            [("parameters.epochs", DifferenceChange.Removed), ("parameters.dropout", DifferenceChange.Added)],
            diff.Differences.Select(difference => (difference.Key, difference.Change)));
    }

    [Fact]
    public void Compare_FailedRun_ReportsStatusAndExitCodeAsOutcomes()
    {
        var b = Original() with { Status = RunStatus.Failed, Execution = Original().Execution! with { ExitCode = 1 } };

        var diff = ManifestDifferences.Compare(Original(), b);

        Assert.Equal(
            [("execution.status", "FINISHED", "FAILED"), ("execution.exitCode", "0", "1")],
            diff.Differences.Select(difference => (difference.Key, difference.A, difference.B)));
        Assert.All(diff.Differences, difference => Assert.Equal(DifferenceRole.Outcome, difference.Role));
    }

    [Fact]
    public void Compare_SdkReportOnlyInOneRun_ReportsEachLeaf()
    {
        var b = Original() with { Sdk = null };

        var keys = ManifestDifferences.Compare(Original(), b).Differences.Select(difference => difference.Key);

        Assert.Equal(
            ["determinism.sdk.sdk.name", "determinism.sdk.sdk.version", "determinism.sdk.torch.deterministicAlgorithms", "determinism.sdk.torch.intraOpThreads", "determinism.sdk.torch.matmulAllowTf32"],
            keys);
    }

    [Fact]
    public void Compare_NestedSubmoduleAtAnotherCommit_NamesItsPathAndBothCommits()
    {
        var inner = "1111111111111111111111111111111111111111";
        var moved = "2222222222222222222222222222222222222222";
        SubmoduleRecord[] Submodules(string innerCommit) =>
        [
            new() { Path = "lib", Commit = "3333333333333333333333333333333333333333" },
            new() { Path = "lib/vendor", Commit = innerCommit, Untracked = [new FileRecord("lib/vendor/notes.txt", 3, Hash('e'))] },
        ];
        var a = Original().WithGit(git => git with { Submodules = Submodules(inner) });
        var b = Original().WithGit(git => git with { Submodules = [.. Submodules(moved), new() { Path = "tools", Commit = null }] });

        var diff = ManifestDifferences.Compare(a, b);

        var commit = Assert.Single(diff.Differences, d => d.Key == "code.submodules.lib/vendor.commit");
        Assert.Equal((inner, moved), (commit.A, commit.B));
        Assert.Equal(DifferenceRole.Factor, commit.Role);
        Assert.StartsWith("submodule lib/vendor commit ", commit.Summary, StringComparison.Ordinal);
        var added = Assert.Single(diff.Differences, d => d.Key == "code.submodules.tools");
        Assert.Equal("submodule tools added", added.Summary);
        Assert.DoesNotContain(diff.Differences, d => d.Key.StartsWith("code.submodules.lib.", StringComparison.Ordinal));
    }
}
