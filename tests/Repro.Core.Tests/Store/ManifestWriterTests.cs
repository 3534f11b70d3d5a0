using System.Collections;
using System.Reflection;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Repro.Core.Runs;
using Repro.Core.Store;
using Repro.Core.Tests.Verification.Differences;

namespace Repro.Core.Tests.Store;

/// <summary>
/// The hand-written <c>run.json</c> writer against the serializer it replaced (<see cref="ManifestJsonContext"/> with
/// the relaxed encoder, as ManifestSerializer used it): the same bytes for every manifest, or the same failure.
/// </summary>
public sealed class ManifestWriterTests
{
    // Strings that exercise every escaping rule: quotes and backslashes, control characters, HTML-sensitive characters
    // the relaxed encoder leaves alone, non-ASCII text, a surrogate pair, the line and paragraph separators, a BOM.
    private const string Awkward = "q\"b\\s/ \u0000\u0001\t\n\r\u001f\u007f <>&'+` é ß 中文 \ud83d\ude00 \u2028\u2029\ufeff\ufffd";

    private static readonly JsonTypeInfo<RunManifest> Reference = (JsonTypeInfo<RunManifest>)new JsonSerializerOptions(ManifestJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    }.GetTypeInfo(typeof(RunManifest));

    // Written as converters write them (ParameterType, DataOrigin) or as values (JsonObject): not walked into.
    private static readonly HashSet<Type> Leaves = [typeof(ParameterType), typeof(DataOrigin), typeof(JsonObject)];

    [Fact]
    public void Write_ManifestWithEveryPropertySet_IsWhatTheSerializerWrites() => AssertSameBytes(Full());

    [Fact]
    public void FullFixture_EveryPropertyOfEveryTypeTheManifestHolds_IsSet()
    {
        var declared = new SortedSet<string>(StringComparer.Ordinal);
        DeclaredProperties(typeof(RunManifest), declared, []);
        var set = new SortedSet<string>(StringComparer.Ordinal);
        SetProperties(Full(), set);

        Assert.True(declared.Count > 150, $"only {declared.Count} properties found: the walk is broken");
        Assert.Empty(declared.Except(set));
    }

    [Fact]
    public void Write_ManifestWithNullsAndEmpties_IsWhatTheSerializerWrites()
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

        AssertSameBytes(minimal);
        AssertSameBytes(minimal with
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
        });
    }

    [Fact]
    public void Write_RealisticManifests_AreWhatTheSerializerWrites()
    {
        AssertSameBytes(TestManifests.Original());
        AssertSameBytes(TestManifests.Verification());
        AssertSameBytes(TestManifests.Original() with { Status = RunStatus.Running, Execution = null, Outputs = [], Metrics = null, Sdk = null });
    }

    [Fact]
    public void Write_ListsHoldingNulls_AreWhatTheSerializerWrites()
    {
        var full = Full();
        AssertSameBytes(full with
        {
            Parameters = [null!, full.Parameters[0]],
            Warnings = [null!, "w"],
            Inputs = [null!],
            Command = full.Command with { Argv = ["bash", null!] },
            Environment = full.Environment with
            {
                Gpus = [null!],
                Variables = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["A"] = null!, ["B"] = "b" },
            },
        });
    }

    [Fact]
    public void Write_EveryValueOfEveryEnum_IsWhatTheSerializerWrites()
    {
        var full = Full();
        foreach (var value in Values<RunStatus>())
        {
            AssertSameBytes(full with { Status = value });
        }

        foreach (var value in Values<EntryPointKind>())
        {
            AssertSameBytes(full with { EntryPoint = full.EntryPoint with { Kind = value } });
        }

        foreach (var value in Values<ParameterSource>())
        {
            AssertSameBytes(full with { Parameters = [full.Parameters[0] with { Source = value }] });
        }

        foreach (var value in Values<SeedSource>())
        {
            AssertSameBytes(full with { Seed = full.Seed with { Source = value } });
        }

        foreach (var value in Values<VariableSetter>())
        {
            AssertSameBytes(full with { Determinism = full.Determinism with { Variables = [full.Determinism.Variables[0] with { SetBy = value }] } });
        }

        foreach (var value in Values<GitState>())
        {
            AssertSameBytes(full with { Git = full.Git with { State = value } });
        }

        foreach (var value in Values<GitRefKind>())
        {
            AssertSameBytes(full with { Source = full.Source! with { RefKind = value } });
        }

        foreach (var value in Values<DataKind>())
        {
            AssertSameBytes(full with { Inputs = [full.Inputs[0] with { Kind = value }] });
        }

        foreach (var value in Values<PythonHookStatus>())
        {
            AssertSameBytes(full with { Python = full.Python! with { Processes = [full.Python.Processes[0] with { Status = value }] } });
        }

        var verification = full.Verification!;
        foreach (var value in Values<Verdict>())
        {
            AssertSameBytes(full with { Verification = verification with { Verdict = value } });
        }

        foreach (var value in Values<ComparisonOutcome>())
        {
            AssertSameBytes(full with
            {
                Verification = verification with
                {
                    Outputs = [verification.Outputs[0] with { Outcome = value }],
                    Metrics = [verification.Metrics[0] with { Outcome = value }],
                },
            });
        }

        foreach (var value in Values<ComparerName>())
        {
            AssertSameBytes(full with { Verification = verification with { Outputs = [verification.Outputs[0] with { Comparer = value }] } });
        }
    }

    [Fact]
    public void Write_ParameterTypesAndDataOrigins_AreWhatTheSerializerWrites()
    {
        var full = Full();
        AssertSameBytes(full with
        {
            Parameters = [.. ParameterType.KnownTypes.Append(new ParameterType("tensor")).Append(new ParameterType(Awkward))
                .Select(type => full.Parameters[0] with { Type = type })],
            Inputs = [.. new[] { DataOrigin.Inputs, DataOrigin.Outputs, DataOrigin.Parameter("data"), DataOrigin.Parameter(Awkward) }
                .Select(origin => full.Inputs[0] with { Origin = origin })],
        });
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(-0.0)]
    [InlineData(double.Epsilon)]
    [InlineData(double.MaxValue)]
    [InlineData(double.MinValue)]
    [InlineData(0.1 + 0.2)]
    [InlineData(1e-7)]
    [InlineData(1e21)]
    [InlineData(123456789012345680000.0)]
    [InlineData(-1.5e-300)]
    [InlineData(95.4)]
    [InlineData(3.0)]
    public void Write_Doubles_AreWhatTheSerializerWrites(double value)
    {
        var full = Full();
        var verification = full.Verification!;
        AssertSameBytes(full with
        {
            Execution = full.Execution! with { DurationSeconds = value, CpuUserSeconds = value, CpuSystemSeconds = value },
            Metrics = full.Metrics! with { Values = new SortedDictionary<string, double>(StringComparer.Ordinal) { ["m"] = value, ["n"] = -value } },
            Verification = verification with
            {
                Rtol = value,
                Atol = value,
                Metrics = [verification.Metrics[0] with { Recorded = value, Actual = null }, verification.Metrics[0] with { Recorded = null, Actual = value }],
            },
        });
    }

    [Fact]
    public void Write_IntegersAtTheirLimits_AreWhatTheSerializerWrites()
    {
        var full = Full();
        foreach (var (small, big) in new[] { (int.MinValue, long.MinValue), (int.MaxValue, long.MaxValue), (0, 0L), (-1, -1L) })
        {
            AssertSameBytes(full with
            {
                SchemaVersion = small,
                Seed = full.Seed with { Value = unchecked((uint)small) },
                Determinism = full.Determinism with { Threads = small },
                Execution = full.Execution! with { ExitCode = small, PeakMemoryBytes = big, Stdout = full.Execution.Stdout! with { Bytes = big } },
                Environment = full.Environment with { MemoryBytes = big, Cpu = full.Environment.Cpu with { LogicalCores = small } },
                Python = full.Python! with { Processes = [full.Python.Processes[0] with { Pid = small, Ppid = small, RunSeed = big, Seed = big }] },
                Scheduler = full.Scheduler! with { ArrayIndex = small },
                Sweep = full.Sweep! with { Index = small },
            });
        }
    }

    [Fact]
    public void Write_Times_AreWhatTheSerializerWrites()
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
            AssertSameBytes(full with
            {
                Git = full.Git with { CommitTime = time },
                Execution = full.Execution! with { StartedAt = time, EndedAt = time },
                Scheduler = full.Scheduler! with { SubmittedAt = time },
            });
        }
    }

    [Fact]
    public void Write_AwkwardTextEverywhere_IsWhatTheSerializerWrites()
    {
        var full = Full();
        AssertSameBytes(full with
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
        });
    }

    [Fact]
    public void Write_LoneSurrogates_FailOrPassAsTheSerializerDoes()
    {
        var full = Full();
        AssertSameOutcome(full with { RunName = "a\ud800b" });
        AssertSameOutcome(full with { Warnings = ["\udc00"] });
        AssertSameOutcome(full with { Environment = full.Environment with { Variables = new Dictionary<string, string> { ["\ud800"] = "x" } } });
        AssertSameOutcome(full with { Metrics = full.Metrics! with { Values = new Dictionary<string, double> { ["\udfff"] = 1 } } });
    }

    [Fact]
    public void Write_JsonObjects_AreWhatTheSerializerWrites()
    {
        var full = Full();
        var parsed = JsonNode.Parse("""{"a": {"b": [1, 2.50, -0, 1e400, "\u00e9\u2028<>"], "c": null}, "d": 12345678901234567890123}""")!.AsObject();
        AssertSameBytes(full with { Sdk = parsed });
        AssertSameBytes(full with
        {
            Sdk = new JsonObject
            {
                ["double"] = 0.1 + 0.2,
                ["float"] = 1.5f,
                ["long"] = long.MaxValue,
                ["decimal"] = 1.10m,
                ["time"] = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)),
                ["guid"] = Guid.Empty,
                ["char"] = 'é',
                ["element"] = JsonValue.Create(JsonDocument.Parse("\"\\u00e9\\u0001+\"").RootElement.Clone()),
            },
            Python = full.Python! with { Processes = [full.Python.Processes[0] with { Flags = parsed.DeepClone().AsObject() }] },
        });
        AssertSameOutcome(full with { Sdk = new JsonObject { ["nan"] = double.NaN } });
    }

    [Fact]
    public void Write_JsonObjectDeeperThanTheSerializerAllows_FailsAsTheSerializerDoes()
    {
        var deep = new JsonObject();
        var node = deep;
        for (var i = 0; i < 70; i++)
        {
            var inner = new JsonObject();
            node["x"] = inner;
            node = inner;
        }

        AssertSameOutcome(Full() with { Sdk = deep });
    }

    [Fact]
    public void Write_NullWhereTheModelSaysNoneCanBe_FailsAsTheSerializerDoes()
    {
        var full = Full();
        AssertSameOutcome(full with { RunId = null! });
        AssertSameOutcome(full with { Parameters = null! });
        AssertSameOutcome(full with { Git = full.Git with { Untracked = null! } });
        AssertSameOutcome(full with { Inputs = [full.Inputs[0] with { Origin = null! }] });
        AssertSameOutcome(full with { Parameters = [full.Parameters[0] with { Type = null! }] });
        AssertSameOutcome(full with { Python = full.Python! with { Processes = [full.Python.Processes[0] with { Flags = null! }] } });
        AssertSameOutcome(full with { Environment = full.Environment with { Variables = null! } });
        AssertSameOutcome(full with { Metrics = full.Metrics! with { Values = null! } });
    }

    [Theory]
    [InlineData("running.json")]
    [InlineData("finished.json")]
    [InlineData("failed.json")]
    [InlineData("verification.json")]
    public void Write_ManifestsOfRealRunsWrittenByTheSerializer_GivesTheirBytesBack(string file)
    {
        // Written by repro's CLI before this writer (no-op, failed and slow runs, a run with parameters, inputs,
        // outputs, NaN and infinite metrics and non-ASCII text, a verification), read back and written again.
        var written = System.IO.File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Store", "Fixtures", "WrittenByTheSerializer", file));
        var manifest = ManifestSerializer.Deserialize(written, file);

        Assert.Equal(Encoding.UTF8.GetString(written), Encoding.UTF8.GetString(ManifestSerializer.Serialize(manifest)));
        Assert.Equal(ReferenceBytes(manifest), ManifestSerializer.Serialize(manifest));
    }

    [Fact]
    public void Write_ThenRead_GivesTheSameManifestBack()
    {
        var full = Full();
        var written = ManifestSerializer.Serialize(full);

        Assert.Equal(written, ManifestSerializer.Serialize(ManifestSerializer.Deserialize(written, "run.json")));
    }

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

    private static void AssertSameBytes(RunManifest manifest)
    {
        var expected = Encoding.UTF8.GetString(ReferenceBytes(manifest));
        var actual = Encoding.UTF8.GetString(ManifestSerializer.Serialize(manifest));
        Assert.Equal(expected, actual);
    }

    // Either both give the same bytes, or both fail with the same kind of exception and the same first sentence
    // (the serializer appends the JSON path to its message).
    private static void AssertSameOutcome(RunManifest manifest)
    {
        byte[]? expected = null;
        Exception? expectedError = null;
        try
        {
            expected = ReferenceBytes(manifest);
        }
        catch (Exception exception) when (exception is JsonException or ArgumentException or InvalidOperationException)
        {
            expectedError = exception;
        }

        if (expectedError is null)
        {
            Assert.Equal(Encoding.UTF8.GetString(expected!), Encoding.UTF8.GetString(ManifestSerializer.Serialize(manifest)));
            return;
        }

        var actualError = Assert.ThrowsAny<Exception>(() => ManifestSerializer.Serialize(manifest));
        Assert.True(expectedError.GetType() == actualError.GetType(), $"expected {expectedError}\nactual {actualError}");
        Assert.StartsWith(actualError.Message, expectedError.Message, StringComparison.Ordinal);
    }

    /// <summary>The manifest as the serializer wrote it before the hand-written writer: the oracle.</summary>
    internal static byte[] ReferenceBytes(RunManifest manifest) => [.. JsonSerializer.SerializeToUtf8Bytes(manifest, Reference), (byte)'\n'];

    private static IEnumerable<TEnum> Values<TEnum>()
        where TEnum : struct, Enum => Enum.GetValues<TEnum>().Append((TEnum)Enum.ToObject(typeof(TEnum), 99));

    // Every serialized property of every type reachable from the manifest's type, as "Type.Property".
    private static void DeclaredProperties(Type type, ISet<string> found, HashSet<Type> seen)
    {
        type = Element(type);
        if (!IsWalked(type) || !seen.Add(type))
        {
            return;
        }

        foreach (var property in Serialized(type))
        {
            found.Add($"{type.Name}.{property.Name}");
            DeclaredProperties(property.PropertyType, found, seen);
        }
    }

    // Every property of the objects in the graph holding something other than its type's default, as "Type.Property".
    private static void SetProperties(object? value, ISet<string> found)
    {
        if (value is null)
        {
            return;
        }

        if (value is IEnumerable items and not string && !Leaves.Contains(value.GetType()))
        {
            foreach (var item in items)
            {
                SetProperties(item is DictionaryEntry entry ? entry.Value : item, found);
            }

            return;
        }

        var type = value.GetType();
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(KeyValuePair<,>))
        {
            SetProperties(type.GetProperty("Value")!.GetValue(value), found);
            return;
        }

        if (!IsWalked(type))
        {
            return;
        }

        foreach (var property in Serialized(type))
        {
            var propertyValue = property.GetValue(value);
            // For a nullable value (DataRecord.Store), false or 0 is a value the writer must write: only null is unset.
            if (Nullable.GetUnderlyingType(property.PropertyType) is null ? !IsDefault(propertyValue) : propertyValue is not null)
            {
                found.Add($"{type.Name}.{property.Name}");
            }

            SetProperties(propertyValue, found);
        }
    }

    private static bool IsDefault(object? value) => value switch
    {
        null => true,
        string text => text.Length == 0,
        bool flag => !flag,
        Enum => false,
        JsonObject node => node.Count == 0,
        IEnumerable items => !items.GetEnumerator().MoveNext(),
        _ when value.GetType().IsValueType => value.Equals(Activator.CreateInstance(value.GetType())),
        _ => false,
    };

    private static bool IsWalked(Type type) =>
        type.Namespace == typeof(RunManifest).Namespace && type.IsClass && !Leaves.Contains(type);

    private static IEnumerable<PropertyInfo> Serialized(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.GetCustomAttribute<JsonIgnoreAttribute>() is not { Condition: JsonIgnoreCondition.Always });

    // The type a list, a dictionary's values or a nullable value holds; the type itself otherwise.
    private static Type Element(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return underlying;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(IReadOnlyList<>) || definition == typeof(IReadOnlyDictionary<,>)))
        {
            return Element(type.GetGenericArguments()[^1]);
        }

        return type;
    }
}
