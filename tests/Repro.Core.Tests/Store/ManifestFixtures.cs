using System.Text.Json.Nodes;
using Repro.Core.Runs;
using Repro.Core.Tests.Verification.Differences;

namespace Repro.Core.Tests.Store;

/// <summary>
/// The manifests that the run.json writer and reader are both checked with against the serializer
/// (<see cref="ManifestWriterTests"/>, <see cref="ManifestReaderTests"/>): one set, so that both sides see every case.
/// </summary>
internal static class ManifestFixtures
{
    // Strings that exercise every escaping rule: quotes and backslashes, control characters, HTML-sensitive characters
    // the relaxed encoder leaves alone, non-ASCII text, a surrogate pair, the line and paragraph separators, a BOM.
    internal const string Awkward = "q\"b\\s/ \u0000\u0001\t\n\r\u001f\u007f <>&'+` é ß 中文 \ud83d\ude00 \u2028\u2029\ufeff\ufffd";

    /// <summary>A manifest in which every property of every type is set to something other than its default.</summary>
    internal static RunManifest Full()
    {
        var original = TestManifests.Original();
        var submoduleFile = new FileRecord("lib/sub/new.txt", 3, TestManifests.Hash('a')) { LinkTarget = "../target", Stored = true };
        return original with
        {
            SchemaVersion = 1,
            StatusMessage = "output model.bin is missing",
            Verifies = "20250228-101500-123-aaaaaa",
            ReusedFrom = "20250227-101500-123-bbbbbb",
            RunCacheKey = TestManifests.Hash('c'),
            Source = new ProjectSourceRecord("https://example.org/ada/bike-sharing.git", "sub/dir", "v1.2", GitRefKind.Tag, TestManifests.Commit),
            Project = original.Project with { Environment = original.Project.Environment with { Image = "python:3.11-slim" } },
            Git = original.Git with
            {
                ProjectPath = "sub/dir",
                Detached = true,
                Untracked = [submoduleFile],
                Submodules = [new SubmoduleRecord { Path = "lib/sub", Url = "https://example.org/sub.git", Commit = TestManifests.Commit, Dirty = true, Patch = new StoredFileRecord("sub.patch", TestManifests.Hash('b'), 10), Untracked = [submoduleFile] }],
            },
            Environment = original.Environment with
            {
                Container = true,
                WithheldVariables = ["AWS_SECRET_ACCESS_KEY"],
            },
            PythonEnvironment = new PythonEnvironmentRecord(
                TestManifests.Hash('d'),
                new PythonInterpreterRecord("/usr/bin/python3.11", "3.11.8"),
                new PythonRequestedRecord("python_env.yaml", "3.11", ["pip", "setuptools"], ["numpy==2.0.0", "-r requirements.txt"], [new LockFileRecord("requirements.txt", TestManifests.RequirementsHash)]),
                new PythonResolvedRecord([new PythonPackageRecord("numpy", "2.0.0")], TestManifests.Hash('e'))),
            Execution = original.Execution! with { Signal = "SIGINT" },
            Inputs = [original.Inputs[0] with { Store = false }],
            Python = original.Python! with
            {
                Processes = [original.Python.Processes[0] with { Errors = ["numpy: not installed"] }],
            },
            Warnings = ["a warning", "another"],
            Verification = new VerificationRecord(
                Verdict.Different,
                "1 output differs",
                1e-6,
                1e-9,
                [new OutputCheck("model.bin", ComparisonOutcome.Different, ComparerName.Binary, "differs at byte 12", ["offset 12: 0x01 != 0x02"])],
                [new MetricCheck("rmse", 0.5, 0.51, ComparisonOutcome.Different, "0.5 != 0.51")],
                ["the seed differs"])
            {
                RestoredInputs = [new RestoredInput("data/day.csv", TestManifests.DayCsvHash, "store")],
            },
            Scheduler = new SchedulerRecord
            {
                Backend = "slurm",
                JobId = "4242",
                ArrayIndex = 3,
                SubmittedAt = new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero),
                Partition = "gpu",
                Node = "node-07",
                SchedulerVersion = "slurm 23.02.7",
                WorkDirectory = "/shared/repro/work/4242",
                FinalState = "TIMEOUT",
            },
            Sweep = new SweepPoint("sweep-20250301-abc", 3),
        };
    }

    /// <summary>The smallest manifest the model allows, and the same with every optional section present but empty.</summary>
    internal static IEnumerable<RunManifest> NullsAndEmpties()
    {
        var minimal = new RunManifest
        {
            RunId = string.Empty,
            Status = RunStatus.Running,
            Repro = new ToolRecord(string.Empty),
            Project = new ProjectRecord(null, string.Empty, null, new ProjectEnvironmentRecord(null, null, null, null, string.Empty)),
            EntryPoint = new EntryPointRecord(string.Empty, EntryPointKind.Declared),
            Parameters = [],
            Command = new CommandRecord(string.Empty, [], string.Empty),
            Seed = new SeedRecord(0, SeedSource.Random),
            Determinism = new DeterminismRecord([], null),
            Git = new GitRecord { State = GitState.NotARepository },
            Environment = new EnvironmentRecord
            {
                Os = new OsRecord(null, null, null, string.Empty),
                Cpu = new CpuRecord(null, 0, []),
                Dotnet = new DotnetRecord(string.Empty, string.Empty, null),
            },
        };

        yield return minimal;
        yield return minimal with
        {
            Execution = new ExecutionRecord { StartedAt = default },
            Metrics = new MetricsRecord(null, null, new Dictionary<string, double>()),
            Sdk = new JsonObject(),
            Python = PythonRecord.Off,
            Verification = new VerificationRecord(Verdict.Reproduced, string.Empty, 0, 0, [], [], []),
            Scheduler = new SchedulerRecord { Backend = string.Empty, JobId = string.Empty, SubmittedAt = default },
            PythonEnvironment = new PythonEnvironmentRecord(
                string.Empty,
                new PythonInterpreterRecord(string.Empty, string.Empty),
                new PythonRequestedRecord(string.Empty, null, [], [], []),
                new PythonResolvedRecord([], string.Empty)),
        };
    }

    /// <summary>Manifests as runs and verifications record them.</summary>
    internal static IEnumerable<RunManifest> Realistic()
    {
        yield return TestManifests.Original();
        yield return TestManifests.Verification();
        yield return TestManifests.Original() with { Status = RunStatus.Running, Execution = null, Outputs = [], Metrics = null, Sdk = null };
    }

    /// <summary><see cref="Full"/> with each value of each enum in turn; with <paramref name="withUndefined"/>, also a number no member has.</summary>
    internal static IEnumerable<RunManifest> EveryEnumValue(bool withUndefined)
    {
        var full = Full();
        foreach (var value in Values<RunStatus>(withUndefined))
        {
            yield return full with { Status = value };
        }

        foreach (var value in Values<EntryPointKind>(withUndefined))
        {
            yield return full with { EntryPoint = full.EntryPoint with { Kind = value } };
        }

        foreach (var value in Values<ParameterSource>(withUndefined))
        {
            yield return full with { Parameters = [full.Parameters[0] with { Source = value }] };
        }

        foreach (var value in Values<SeedSource>(withUndefined))
        {
            yield return full with { Seed = full.Seed with { Source = value } };
        }

        foreach (var value in Values<VariableSetter>(withUndefined))
        {
            yield return full with { Determinism = full.Determinism with { Variables = [full.Determinism.Variables[0] with { SetBy = value }] } };
        }

        foreach (var value in Values<GitState>(withUndefined))
        {
            yield return full with { Git = full.Git with { State = value } };
        }

        foreach (var value in Values<GitRefKind>(withUndefined))
        {
            yield return full with { Source = full.Source! with { RefKind = value } };
        }

        foreach (var value in Values<DataKind>(withUndefined))
        {
            yield return full with { Inputs = [full.Inputs[0] with { Kind = value }] };
        }

        foreach (var value in Values<PythonHookStatus>(withUndefined))
        {
            yield return full with { Python = full.Python! with { Processes = [full.Python.Processes[0] with { Status = value }] } };
        }

        var verification = full.Verification!;
        foreach (var value in Values<Verdict>(withUndefined))
        {
            yield return full with { Verification = verification with { Verdict = value } };
        }

        foreach (var value in Values<ComparisonOutcome>(withUndefined))
        {
            yield return full with
            {
                Verification = verification with
                {
                    Outputs = [verification.Outputs[0] with { Outcome = value }],
                    Metrics = [verification.Metrics[0] with { Outcome = value }],
                },
            };
        }

        foreach (var value in Values<ComparerName>(withUndefined))
        {
            yield return full with { Verification = verification with { Outputs = [verification.Outputs[0] with { Comparer = value }] } };
        }
    }

    /// <summary>Every known parameter type, an unknown one, every data origin, and each value of a data record's <c>store</c>.</summary>
    internal static RunManifest ParameterTypesAndDataOrigins()
    {
        var full = Full();
        return full with
        {
            Parameters = [.. ParameterType.KnownTypes.Append(new ParameterType("tensor")).Append(new ParameterType(Awkward))
                .Select(type => full.Parameters[0] with { Type = type })],
            Inputs = [.. new[] { DataOrigin.Inputs, DataOrigin.Outputs, DataOrigin.Parameter("data"), DataOrigin.Parameter(Awkward) }
                .Select(origin => full.Inputs[0] with { Origin = origin })],
            Outputs = [full.Inputs[0] with { Store = true }, full.Inputs[0] with { Store = null }],
        };
    }

    /// <summary>Doubles whose text is hard to get right: NaN and the infinities (written as strings), negative zero, the limits, round-trip cases, exponents.</summary>
    public static TheoryData<double> Doubles => [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, double.Epsilon, double.MaxValue, double.MinValue, 0.1 + 0.2, 1e-7, 1e21, 123456789012345680000.0, -1.5e-300, 95.4, 3.0];

    /// <summary><paramref name="value"/> in every floating-point property.</summary>
    internal static RunManifest WithDoubles(double value)
    {
        var full = Full();
        var verification = full.Verification!;
        return full with
        {
            Execution = full.Execution! with { DurationSeconds = value, CpuUserSeconds = value, CpuSystemSeconds = value },
            Metrics = full.Metrics! with { Values = new SortedDictionary<string, double>(StringComparer.Ordinal) { ["m"] = value, ["n"] = -value } },
            Verification = verification with
            {
                Rtol = value,
                Atol = value,
                Metrics = [verification.Metrics[0] with { Recorded = value, Actual = null }, verification.Metrics[0] with { Recorded = null, Actual = value }],
            },
        };
    }

    /// <summary>The limits of every integer property.</summary>
    internal static IEnumerable<RunManifest> AtIntegerLimits()
    {
        var full = Full();
        foreach (var (small, big) in new[] { (int.MinValue, long.MinValue), (int.MaxValue, long.MaxValue), (0, 0L), (-1, -1L) })
        {
            yield return full with
            {
                SchemaVersion = small,
                Seed = full.Seed with { Value = unchecked((uint)small) },
                Determinism = full.Determinism with { Threads = small },
                Execution = full.Execution! with { ExitCode = small, PeakMemoryBytes = big, Stdout = full.Execution.Stdout! with { Bytes = big } },
                Environment = full.Environment with { MemoryBytes = big, Cpu = full.Environment.Cpu with { LogicalCores = small } },
                Python = full.Python! with { Processes = [full.Python.Processes[0] with { Pid = small, Ppid = small, RunSeed = big, Seed = big }] },
                Scheduler = full.Scheduler! with { ArrayIndex = small },
                Sweep = full.Sweep! with { Index = small },
            };
        }
    }

    /// <summary>Times at the limits, with sub-second ticks and with offsets.</summary>
    internal static IEnumerable<RunManifest> AtTimes()
    {
        var full = Full();
        var times = new[]
        {
            DateTimeOffset.MinValue,
            DateTimeOffset.MaxValue,
            new DateTimeOffset(2026, 11, 30, 12, 10, 24, TimeSpan.Zero),
            new DateTimeOffset(2026, 11, 30, 12, 10, 24, TimeSpan.Zero).AddTicks(1_234_567),
            new DateTimeOffset(2026, 11, 30, 12, 10, 24, 500, TimeSpan.FromHours(5.5)),
            new DateTimeOffset(2026, 11, 30, 12, 10, 24, TimeSpan.FromHours(-8)),
        };
        foreach (var time in times)
        {
            yield return full with
            {
                Git = full.Git with { CommitTime = time },
                Execution = full.Execution! with { StartedAt = time, EndedAt = time },
                Scheduler = full.Scheduler! with { SubmittedAt = time },
            };
        }
    }

    /// <summary><see cref="Awkward"/> text in values, dictionary keys and JSON objects.</summary>
    internal static RunManifest WithAwkwardText()
    {
        var full = Full();
        return full with
        {
            RunName = Awkward,
            StatusMessage = Awkward,
            Project = full.Project with { Directory = Awkward, Environment = full.Project.Environment with { Image = Awkward } },
            Command = full.Command with { Rendered = Awkward, Argv = [Awkward, "+", "é"] },
            Warnings = [Awkward, "\u00a0", "\u0085", "\ud800\udc00"],
            Environment = full.Environment with
            {
                Variables = new SortedDictionary<string, string>(StringComparer.Ordinal) { [Awkward] = Awkward, ["PATH"] = "/usr/bin:/bin", ["é"] = "中文" },
            },
            Metrics = full.Metrics! with { Values = new SortedDictionary<string, double>(StringComparer.Ordinal) { [Awkward] = 1, ["é"] = 2 } },
            Sdk = new JsonObject { [Awkward] = Awkward, ["n"] = new JsonArray(1, "é", null, true) },
        };
    }

    private static IEnumerable<TEnum> Values<TEnum>(bool withUndefined)
        where TEnum : struct, Enum =>
        withUndefined ? Enum.GetValues<TEnum>().Append((TEnum)Enum.ToObject(typeof(TEnum), 99)) : Enum.GetValues<TEnum>();
}
