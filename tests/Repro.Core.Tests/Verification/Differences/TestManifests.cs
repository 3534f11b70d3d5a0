using System.Text.Json.Nodes;
using Repro.Core.Runs;

namespace Repro.Core.Tests.Verification.Differences;

/// <summary>A realistic manifest of a finished training run, and the manifest its verification would write.</summary>
internal static class TestManifests
{
    public const string ProjectDirectory = "/home/ada/bike-sharing";
    public const string CheckoutDirectory = "/tmp/repro-verify-5f1c/bike-sharing";

    public static readonly string HourCsvHash = Hash('1');
    public static readonly string DayCsvHash = Hash('2');
    public static readonly string ModelHash = Hash('3');
    public static readonly string PackagesLockHash = Hash('4');
    public static readonly string RequirementsHash = Hash('5');
    public static readonly string PatchHash = Hash('6');
    public static readonly string Commit = "0123456789abcdef0123456789abcdef01234567";

    /// <summary>A 64-character lower-case hex digest made of one repeated digit.</summary>
    public static string Hash(char digit) => new(digit, 64);

    public static RunManifest Original() => Run("20250301-101500-123-k3x9ab", ProjectDirectory, new DateTimeOffset(2025, 3, 1, 10, 15, 0, TimeSpan.Zero));

    /// <summary>What the verification of <see cref="Original"/> records when everything reproduces: same facts, new run, temporary checkout.</summary>
    public static RunManifest Verification() =>
        Run("20250302-090000-456-q7w2cd", CheckoutDirectory, new DateTimeOffset(2025, 3, 2, 9, 0, 0, TimeSpan.Zero)) with
        {
            Verifies = "20250301-101500-123-k3x9ab",
            Execution = new ExecutionRecord
            {
                StartedAt = new DateTimeOffset(2025, 3, 2, 9, 0, 0, TimeSpan.Zero),
                EndedAt = new DateTimeOffset(2025, 3, 2, 9, 1, 40, TimeSpan.Zero),
                DurationSeconds = 100.2,
                ExitCode = 0,
                CpuUserSeconds = 170.0,
                CpuSystemSeconds = 5.5,
                PeakMemoryBytes = 2_000_000_000,
            },
        };

    public static RunManifest WithEnvironment(this RunManifest manifest, Func<EnvironmentRecord, EnvironmentRecord> change) =>
        manifest with { Environment = change(manifest.Environment) };

    public static RunManifest WithGit(this RunManifest manifest, Func<GitRecord, GitRecord> change) =>
        manifest with { Git = change(manifest.Git) };

    public static RunManifest WithParameter(this RunManifest manifest, string name, string value) =>
        manifest with
        {
            Parameters = [.. manifest.Parameters.Select(parameter => parameter.Name == name ? parameter with { Given = value, Value = value, Source = ParameterSource.User } : parameter)],
        };

    public static RunManifest WithDeterminismVariable(this RunManifest manifest, string name, string? value, VariableSetter setBy = VariableSetter.Repro)
    {
        var variables = manifest.Determinism.Variables.Where(variable => variable.Name != name).ToList();
        if (value is not null)
        {
            variables.Add(new DeterminismVariable(name, value, setBy, "test"));
        }

        return manifest with { Determinism = manifest.Determinism with { Variables = variables } };
    }

    public static RunManifest WithVariable(this RunManifest manifest, string name, string? value) =>
        manifest.WithEnvironment(environment =>
        {
            var variables = new SortedDictionary<string, string>(environment.Variables.ToDictionary(), StringComparer.Ordinal);
            if (value is null)
            {
                variables.Remove(name);
            }
            else
            {
                variables[name] = value;
            }

            return environment with { Variables = variables };
        });

    public static RunManifest WithMetrics(this RunManifest manifest, params (string Name, double Value)[] values) =>
        manifest with
        {
            Metrics = new MetricsRecord("metrics.json", Hash('9'), new SortedDictionary<string, double>(values.ToDictionary(value => value.Name, value => value.Value), StringComparer.Ordinal)),
        };

    public static DataRecord Data(string spec, DataOrigin origin, params FileRecord[] files) =>
        new(spec, files.Length == 1 && files[0].Path == spec ? DataKind.File : DataKind.Directory, origin, Hash('0'), files);

    private static RunManifest Run(string runId, string projectDirectory, DateTimeOffset startedAt)
    {
        var runDirectory = $"/home/ada/.repro/runs/{runId}";
        return new RunManifest
        {
            RunId = runId,
            RunName = "baseline",
            ExperimentName = "bikes",
            Status = RunStatus.Finished,
            Repro = new ToolRecord("0.1.0"),
            Project = new ProjectRecord("bike-sharing", projectDirectory, "MLproject", new ProjectEnvironmentRecord("python_env", "python_env.yaml", RequirementsHash, null, "local")),
            EntryPoint = new EntryPointRecord("train", EntryPointKind.Declared),
            Parameters =
            [
                new ParameterRecord("alpha", ParameterType.Float, ParameterSource.User, "0.1", "0.1"),
                new ParameterRecord("epochs", ParameterType.Int, ParameterSource.Default, "10", "10"),
                new ParameterRecord("data", ParameterType.Path, ParameterSource.Default, "data", $"{projectDirectory}/data"),
            ],
            Command = new CommandRecord(
                $"python train.py --alpha 0.1 --epochs 10 --data {projectDirectory}/data",
                ["bash", "-c", $"python train.py --alpha 0.1 --epochs 10 --data {projectDirectory}/data"],
                projectDirectory),
            Seed = new SeedRecord(42, SeedSource.Cli),
            Determinism = new DeterminismRecord(
                [
                    new DeterminismVariable("PYTHONHASHSEED", "42", VariableSetter.Repro, "hash salt"),
                    new DeterminismVariable("CUBLAS_WORKSPACE_CONFIG", ":4096:8", VariableSetter.Repro, "cuBLAS workspaces"),
                    new DeterminismVariable("OMP_NUM_THREADS", "4", VariableSetter.Repro, "thread pool"),
                    new DeterminismVariable("REPRO_RUN_ID", runId, VariableSetter.Repro, "the run's id"),
                    new DeterminismVariable("REPRO_RUN_DIR", runDirectory, VariableSetter.Repro, "the run folder"),
                    new DeterminismVariable("REPRO_SEED", "42", VariableSetter.Repro, "the seed"),
                    new DeterminismVariable("REPRO_PARAMS_FILE", $"{runDirectory}/params.json", VariableSetter.Repro, "parameters"),
                ],
                4),
            Git = new GitRecord
            {
                State = GitState.Repository,
                RepositoryRoot = projectDirectory,
                ProjectPath = string.Empty,
                Commit = Commit,
                CommitTime = new DateTimeOffset(2025, 2, 28, 18, 0, 0, TimeSpan.Zero),
                Branch = "main",
                RemoteName = "origin",
                RemoteUrl = "https://example.org/ada/bike-sharing.git",
                Dirty = true,
                Patch = new StoredFileRecord("code.patch", PatchHash, 812),
            },
            Environment = new EnvironmentRecord
            {
                Os = new OsRecord("Debian GNU/Linux", "12", "6.1.0-18-amd64", "x64"),
                Cpu = new CpuRecord("AMD EPYC 7763 64-Core Processor", 16, ["sse4.2", "avx", "avx2", "fma", "avx512f"]),
                MemoryBytes = 68_719_476_736,
                Hostname = "gpu-box-1",
                User = "ada",
                Container = false,
                Dotnet = new DotnetRecord("10.0.1", "linux-x64", "10.0.100"),
                Gpus = [new GpuRecord("NVIDIA A100-SXM4-40GB", "550.54.15", 42_949_672_960)],
                CudaVersion = "12.4",
                CudnnVersion = "9.1.0",
                LockFiles = [new LockFileRecord("packages.lock.json", PackagesLockHash), new LockFileRecord("requirements.txt", RequirementsHash)],
                Interpreter = new InterpreterRecord("python", $"{projectDirectory}/.venv/bin/python", "3.11.8"),
                Variables = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["CUDA_VISIBLE_DEVICES"] = "0", ["LANG"] = "C.UTF-8" },
                WithheldVariables = [],
            },
            Execution = new ExecutionRecord
            {
                StartedAt = startedAt,
                EndedAt = startedAt.AddSeconds(95),
                DurationSeconds = 95.4,
                ExitCode = 0,
                CpuUserSeconds = 160.1,
                CpuSystemSeconds = 4.2,
                PeakMemoryBytes = 1_900_000_000,
                Stdout = new StoredFileRecord("stdout.log", Hash('7'), 2048),
                Stderr = new StoredFileRecord("stderr.log", Hash('8'), 0),
            },
            Inputs =
            [
                Data("data", DataOrigin.Inputs, new FileRecord("data/day.csv", 57_569, DayCsvHash), new FileRecord("data/hour.csv", 1_156_736, HourCsvHash)),
            ],
            Outputs = [Data("model.bin", DataOrigin.Outputs, new FileRecord("model.bin", 4_096, ModelHash))],
            Metrics = new MetricsRecord("metrics.json", Hash('9'), new SortedDictionary<string, double>(StringComparer.Ordinal) { ["accuracy"] = 0.91, ["rmse"] = 0.5 }),
            Sdk = new JsonObject
            {
                ["sdk"] = new JsonObject { ["name"] = "Repro.Sdk", ["version"] = "0.1.0" },
                ["torch"] = new JsonObject { ["deterministicAlgorithms"] = true, ["matmulAllowTf32"] = false, ["intraOpThreads"] = 4 },
            },
            Warnings = [$"run {runId}: nothing to warn about"],
        };
    }
}
