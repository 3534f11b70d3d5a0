using System.Globalization;
using Repro.Core.FileSystem;
using Repro.Core.Runs;
using Repro.Core.Store;

namespace Repro.Benchmarks.Runs;

/// <summary>
/// A run store filled with manifests shaped like real ones (about 7 KB each: environment, lock files, a data folder
/// of inputs, outputs, metrics; one run in ten a verification), written with <see cref="RunStore"/> and
/// <see cref="ManifestSerializer"/> so the files are exactly what repro reads.
/// </summary>
public static class SyntheticStore
{
    /// <summary>The argument that makes a store and keeps it: <c>--make-store DIR [RUNS]</c>.</summary>
    public const string Argument = "--make-store";

    private static readonly string[] EntryPoints = ["train", "evaluate", "prepare", "sweep"];

    /// <summary>Creates <paramref name="runCount"/> runs in a new store at <paramref name="root"/> (which must not exist) and returns it.</summary>
    public static RunStore Create(string root, int runCount)
    {
        if (Path.Exists(root))
        {
            throw new InvalidOperationException($"{root} exists; the benchmark makes its own store");
        }

        var store = RunStore.Open(root);
        var start = new DateTimeOffset(2025, 1, 6, 8, 0, 0, TimeSpan.Zero);
        string? previous = null;
        for (var i = 0; i < runCount; i++)
        {
            var startedAt = start.AddMinutes(i * 7.3);
            var folder = store.CreateRun(startedAt);
            var manifest = Manifest(folder.RunId, i, startedAt, i % 10 == 9 ? previous : null);
            AtomicFile.WriteAllBytes(folder.Manifest, ManifestSerializer.Serialize(manifest));
            previous = folder.RunId;
        }

        return store;
    }

    private static RunManifest Manifest(string runId, int i, DateTimeOffset startedAt, string? verifies)
    {
        var culture = CultureInfo.InvariantCulture;
        var entryPoint = EntryPoints[i % EntryPoints.Length];
        var status = (i % 23) switch
        {
            0 => RunStatus.Failed,
            11 => RunStatus.Killed,
            _ => RunStatus.Finished,
        };
        var duration = 30 + (i % 97) * 11.5;
        var lr = (0.001 * (1 + (i % 10))).ToString(culture);
        var loss = 0.2 + (i % 37) / 100.0;
        return new RunManifest
        {
            RunId = runId,
            RunName = i % 3 == 0 ? $"sweep-{i / 3}" : null,
            ExperimentName = $"bike-sharing-{i % 5}",
            Status = status,
            StatusMessage = status == RunStatus.Failed ? "the entry point exited with code 1" : null,
            Verifies = verifies,
            Repro = new ToolRecord("0.1.0+bench"),
            Project = new ProjectRecord("bike-sharing", "/home/alice/src/bike-sharing", "MLproject", new ProjectEnvironmentRecord("python_env", "python_env.yaml", Hash(i, "env"), null, "local")),
            EntryPoint = new EntryPointRecord(entryPoint, EntryPointKind.Declared),
            Parameters =
            [
                new ParameterRecord("epochs", ParameterType.Int, ParameterSource.User, (10 + (i % 40)).ToString(culture), (10 + (i % 40)).ToString(culture)),
                new ParameterRecord("lr", ParameterType.Float, ParameterSource.User, lr, lr),
                new ParameterRecord("batch_size", ParameterType.Int, ParameterSource.Default, "64", "64"),
                new ParameterRecord("data", ParameterType.Path, ParameterSource.Default, "data/hour.csv", "/home/alice/src/bike-sharing/data/hour.csv"),
            ],
            Command = new CommandRecord(
                $"python train.py --epochs {10 + (i % 40)} --lr {lr} --batch-size 64 --data /home/alice/src/bike-sharing/data/hour.csv",
                ["bash", "-c", $"python train.py --epochs {10 + (i % 40)} --lr {lr} --batch-size 64 --data /home/alice/src/bike-sharing/data/hour.csv"],
                "/home/alice/src/bike-sharing"),
            Seed = new SeedRecord((uint)(1234 + i), SeedSource.Cli),
            Determinism = new DeterminismRecord(
                [
                    new DeterminismVariable("PYTHONHASHSEED", (1234 + i).ToString(culture), VariableSetter.Repro, "Python hashes str/bytes with it at interpreter start"),
                    new DeterminismVariable("CUBLAS_WORKSPACE_CONFIG", ":4096:8", VariableSetter.Repro, "cuBLAS needs it for deterministic results"),
                    new DeterminismVariable("TF_DETERMINISTIC_OPS", "1", VariableSetter.Repro, "TensorFlow picks deterministic kernels"),
                    new DeterminismVariable("OMP_NUM_THREADS", "8", VariableSetter.Repro, "thread count changes reduction order"),
                    new DeterminismVariable("SOURCE_DATE_EPOCH", "1736150400", VariableSetter.Repro, "tools that embed the time use it"),
                ],
                8),
            Git = new GitRecord
            {
                State = GitState.Repository,
                RepositoryRoot = "/home/alice/src/bike-sharing",
                ProjectPath = "",
                Commit = Hash(i / 20, "commit")[..40],
                CommitTime = startedAt.AddHours(-2),
                Branch = "main",
                RemoteName = "origin",
                RemoteUrl = "https://github.com/alice/bike-sharing.git",
                Dirty = i % 4 == 0,
                Patch = i % 4 == 0 ? new StoredFileRecord("code.patch", Hash(i, "patch"), 1834) : null,
            },
            Environment = new EnvironmentRecord
            {
                Os = new OsRecord("Ubuntu", "22.04", "6.8.0-45-generic", "x64"),
                Cpu = new CpuRecord("AMD EPYC 7763 64-Core Processor", 32, ["avx", "avx2", "fma", "sse4.1", "sse4.2"]),
                MemoryBytes = 270_000_000_000,
                Hostname = "gpu-node-3",
                User = "alice",
                Container = false,
                Dotnet = new DotnetRecord("10.0.0", "linux-x64", "10.0.100"),
                Gpus = [new GpuRecord("NVIDIA A100-SXM4-80GB", "550.54.15", 85_899_345_920)],
                CudaVersion = "12.4",
                LockFiles = [new LockFileRecord("python_env.yaml", Hash(0, "env")), new LockFileRecord("requirements.txt", Hash(0, "req"))],
                Interpreter = new InterpreterRecord("python", "/usr/bin/python3", "Python 3.11.9"),
                Variables = new SortedDictionary<string, string>(StringComparer.Ordinal)
                {
                    ["CUDA_VISIBLE_DEVICES"] = "0",
                    ["LANG"] = "C.UTF-8",
                    ["PATH"] = "/home/alice/.local/bin:/usr/local/bin:/usr/bin:/bin",
                    ["VIRTUAL_ENV"] = "/home/alice/src/bike-sharing/.venv",
                },
            },
            Execution = new ExecutionRecord
            {
                StartedAt = startedAt,
                EndedAt = startedAt.AddSeconds(duration),
                DurationSeconds = duration,
                ExitCode = status == RunStatus.Killed ? null : status == RunStatus.Failed ? 1 : 0,
                Signal = status == RunStatus.Killed ? "SIGINT" : null,
                CpuUserSeconds = duration * 7.8,
                CpuSystemSeconds = duration * 0.4,
                PeakMemoryBytes = 6_400_000_000 + i,
                Stdout = new StoredFileRecord("stdout.log", Hash(i, "stdout"), 48_211),
                Stderr = new StoredFileRecord("stderr.log", Hash(i, "stderr"), 912),
            },
            Inputs =
            [
                new DataRecord("data/", DataKind.Directory, DataOrigin.Inputs, Hash(i / 100, "data"), [.. Enumerable.Range(0, 12).Select(f => new FileRecord($"data/part-{f:D3}.csv", 1_048_576 + f, Hash(f, "part")))]),
                new DataRecord("/home/alice/src/bike-sharing/data/hour.csv", DataKind.File, DataOrigin.Parameter("data"), Hash(0, "hour"), [new FileRecord("data/hour.csv", 1_156_736, Hash(0, "hour"))]),
            ],
            Outputs = status == RunStatus.Finished
                ?
                [
                    new DataRecord("model.zip", DataKind.File, DataOrigin.Outputs, Hash(i, "model"), [new FileRecord("model.zip", 18_000_000 + i, Hash(i, "model")) { Stored = true }]),
                    new DataRecord("reports/", DataKind.Directory, DataOrigin.Outputs, Hash(i, "reports"), [new FileRecord("reports/eval.csv", 5_210, Hash(i, "eval")) { Stored = true }, new FileRecord("reports/curve.json", 9_876, Hash(i, "curve")) { Stored = true }]),
                ]
                : [],
            Metrics = status == RunStatus.Finished
                ? new MetricsRecord("metrics.json", Hash(i, "metrics"), new SortedDictionary<string, double>(StringComparer.Ordinal) { ["loss"] = loss, ["rmse"] = loss * 120, ["r2"] = 1 - loss, ["epoch_time"] = duration / 20 })
                : null,
            Warnings = i % 7 == 0 ? ["python_env (python_env.yaml) recorded but not created: running with the interpreters on this host's PATH (--env-manager local)"] : [],
            Verification = verifies is null || status != RunStatus.Finished
                ? null
                : new VerificationRecord(Verdict.Reproduced, "3 output file(s), 4 metric(s) bit-identical", 0, 0, [], [], []),
        };
    }

    private static string Hash(int i, string salt) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{salt}:{i}")));
}
