using System.Collections;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Repro.Core.Errors;
using Repro.Core.Runs;
using Repro.Core.Store;
using Repro.Core.Tests.Verification.Differences;

namespace Repro.Core.Tests.Store;

/// <summary>
/// The hand-written <c>run.json</c> reader against the serializer it stands in for: where it reads a manifest, the
/// same object graph the serializer builds (the same bytes written back, the same collection types); where it gives
/// up, <see cref="ManifestSerializer.Deserialize"/> gives the serializer's result or error unchanged.
/// </summary>
public sealed class ManifestReaderTests
{
    private const string Awkward = "q\"b\\s/ \u0000\u0001\t\n\r\u001f\u007f <>&'+` é ß 中文 \ud83d\ude00 \u2028\u2029\ufeff\ufffd";

    [Fact]
    public void Read_ManifestWithEveryPropertySet_IsWhatTheSerializerReads() => AssertReads(ManifestWriterTests.Full());

    [Fact]
    public void Read_ManifestWithNullsAndEmpties_IsWhatTheSerializerReads()
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

        AssertReads(minimal);
        AssertReads(minimal with
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
        AssertReads(ManifestWriterTests.Full() with { Scheduler = null });
        AssertReads(ManifestWriterTests.Full() with { Sweep = null });
    }

    [Fact]
    public void Read_RealisticManifests_AreWhatTheSerializerReads()
    {
        AssertReads(TestManifests.Original());
        AssertReads(TestManifests.Verification());
        AssertReads(TestManifests.Original() with { Status = RunStatus.Running, Execution = null, Outputs = [], Metrics = null, Sdk = null });
    }

    [Fact]
    public void Read_EveryValueOfEveryEnum_IsWhatTheSerializerReads()
    {
        var full = ManifestWriterTests.Full();
        var verification = full.Verification!;
        var process = full.Python!.Processes[0];
        foreach (var value in Enum.GetValues<RunStatus>())
        {
            AssertReads(full with { Status = value });
        }

        foreach (var value in Enum.GetValues<EntryPointKind>())
        {
            AssertReads(full with { EntryPoint = full.EntryPoint with { Kind = value } });
        }

        foreach (var value in Enum.GetValues<ParameterSource>())
        {
            AssertReads(full with { Parameters = [full.Parameters[0] with { Source = value }] });
        }

        foreach (var value in Enum.GetValues<SeedSource>())
        {
            AssertReads(full with { Seed = full.Seed with { Source = value } });
        }

        foreach (var value in Enum.GetValues<VariableSetter>())
        {
            AssertReads(full with { Determinism = full.Determinism with { Variables = [full.Determinism.Variables[0] with { SetBy = value }] } });
        }

        foreach (var value in Enum.GetValues<GitState>())
        {
            AssertReads(full with { Git = full.Git with { State = value } });
        }

        foreach (var value in Enum.GetValues<GitRefKind>())
        {
            AssertReads(full with { Source = full.Source! with { RefKind = value } });
        }

        foreach (var value in Enum.GetValues<DataKind>())
        {
            AssertReads(full with { Inputs = [full.Inputs[0] with { Kind = value }] });
        }

        foreach (var value in Enum.GetValues<PythonHookStatus>())
        {
            AssertReads(full with { Python = full.Python with { Processes = [process with { Status = value }] } });
        }

        foreach (var value in Enum.GetValues<Verdict>())
        {
            AssertReads(full with { Verification = verification with { Verdict = value } });
        }

        foreach (var value in Enum.GetValues<ComparisonOutcome>())
        {
            AssertReads(full with
            {
                Verification = verification with
                {
                    Outputs = [verification.Outputs[0] with { Outcome = value }],
                    Metrics = [verification.Metrics[0] with { Outcome = value }],
                },
            });
        }

        foreach (var value in Enum.GetValues<ComparerName>())
        {
            AssertReads(full with { Verification = verification with { Outputs = [verification.Outputs[0] with { Comparer = value }] } });
        }
    }

    [Fact]
    public void Read_ParameterTypesAndDataOrigins_AreWhatTheSerializerReads()
    {
        var full = ManifestWriterTests.Full();
        AssertReads(full with
        {
            Parameters = [.. ParameterType.KnownTypes.Append(new ParameterType("tensor")).Append(new ParameterType(Awkward))
                .Select(type => full.Parameters[0] with { Type = type })],
            Inputs = [.. new[] { DataOrigin.Inputs, DataOrigin.Outputs, DataOrigin.Parameter("data"), DataOrigin.Parameter(Awkward) }
                .Select(origin => full.Inputs[0] with { Origin = origin })],
            Outputs = [full.Inputs[0] with { Store = true }, full.Inputs[0] with { Store = null }],
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
    [InlineData(-1.5e-300)]
    [InlineData(95.4)]
    [InlineData(3.0)]
    public void Read_Doubles_AreWhatTheSerializerReads(double value)
    {
        var full = ManifestWriterTests.Full();
        var verification = full.Verification!;
        AssertReads(full with
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
    public void Read_IntegersAtTheirLimits_AreWhatTheSerializerReads()
    {
        var full = ManifestWriterTests.Full();
        foreach (var (small, big) in new[] { (int.MinValue, long.MinValue), (int.MaxValue, long.MaxValue), (0, 0L), (-1, -1L) })
        {
            AssertReads(full with
            {
                SchemaVersion = Math.Min(small, RunManifest.CurrentSchemaVersion),
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
    public void Read_Times_AreWhatTheSerializerReads()
    {
        var full = ManifestWriterTests.Full();
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
            AssertReads(full with
            {
                Git = full.Git with { CommitTime = time },
                Execution = full.Execution! with { StartedAt = time, EndedAt = time },
                Scheduler = full.Scheduler! with { SubmittedAt = time },
            });
        }
    }

    [Fact]
    public void Read_AwkwardTextEverywhere_IsWhatTheSerializerReads()
    {
        var full = ManifestWriterTests.Full();
        AssertReads(full with
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
    public void Read_JsonObjects_AreWhatTheSerializerReads()
    {
        var full = ManifestWriterTests.Full();
        var parsed = JsonNode.Parse("""{"a": {"b": [1, 2.50, -0, 1e400, "\u00e9\u2028<>"], "c": null}, "d": 12345678901234567890123, "e": {}}""")!.AsObject();
        AssertReads(full with
        {
            Sdk = parsed,
            Python = full.Python! with
            {
                Processes =
                [
                    full.Python.Processes[0] with { Flags = parsed.DeepClone().AsObject() },
                    full.Python.Processes[0] with { Flags = new JsonObject { ["deterministic"] = true, ["threads"] = 4, ["name"] = Awkward } },
                ],
            },
        });
    }

    [Theory]
    [InlineData("running.json")]
    [InlineData("finished.json")]
    [InlineData("failed.json")]
    [InlineData("verification.json")]
    public void Read_ManifestsOfRealRunsWrittenByTheSerializer_IsWhatTheSerializerReads(string file) =>
        AssertReads(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Store", "Fixtures", "WrittenByTheSerializer", file)));

    [Theory]
    // An unknown property: the serializer ignores it.
    [InlineData("\"runName\"", "\"extra\": [1, {\"a\": null}], \"runName\"")]
    [InlineData("\"sha256\": null,\n      \"image\"", "\"sha256\": null, \"x\": 1,\n      \"image\"")]
    // A missing property: the serializer keeps the default.
    [InlineData("\"runName\": \"ñame <1>\",", "")]
    // Another order, and a property twice.
    [InlineData("\"runName\": \"ñame <1>\",\n  \"experimentName\": null,", "\"experimentName\": null,\n  \"runName\": \"ñame <1>\",")]
    [InlineData("\"experimentName\": null,", "\"experimentName\": null, \"experimentName\": \"e\",")]
    // An enum word in another casing, or as a number: the converter reads both.
    [InlineData("\"FINISHED\"", "\"finished\"")]
    [InlineData("\"FINISHED\"", "1")]
    [InlineData("\"FINISHED\"", "99")]
    [InlineData("\"FINISHED\"", "\"DONE\"")]
    // A null where the model allows none, a token of another type, a number out of range.
    [InlineData("\"runId\": \"20261130-211802-099-3dfbe200\"", "\"runId\": null")]
    [InlineData("\"runId\": \"20261130-211802-099-3dfbe200\"", "\"runId\": 12")]
    [InlineData("\"schemaVersion\": 1", "\"schemaVersion\": 1.0")]
    [InlineData("\"schemaVersion\": 1", "\"schemaVersion\": 99999999999")]
    [InlineData("\"schemaVersion\": 1", "\"schemaVersion\": \"1\"")]
    [InlineData("\"environment\": {\n    \"os\"", "\"environment\": {\n    \"os\": null, \"os\"")]
    [InlineData("\"warnings\": [", "\"warnings\": [null, ")]
    // Not JSON the serializer reads: comments, a trailing comma, anything after the manifest, no manifest at all.
    [InlineData("\"schemaVersion\": 1,", "/* c */ \"schemaVersion\": 1, // c")]
    [InlineData("\"experimentName\": null,", "\"experimentName\": null,,")]
    [InlineData("\"schemaVersion\": 1,", "\"schemaVersion\": 1")]
    [InlineData("\"runId\": \"20261130", "\"runId\": \"2026\n1130")]
    public void Read_FileTheWriterWouldNotWrite_GivesTheSerializersResultOrError(string find, string replace)
    {
        var original = Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Store", "Fixtures", "WrittenByTheSerializer", "finished.json")));
        Assert.Contains(find, original, StringComparison.Ordinal);
        var changed = Encoding.UTF8.GetBytes(original.Replace(find, replace, StringComparison.Ordinal));

        Assert.Null(ManifestReader.TryRead(changed));
        AssertSameOutcome(changed);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("{\"schemaVersion\": 1}")]
    public void Read_NoManifest_GivesTheSerializersError(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);

        Assert.Null(ManifestReader.TryRead(bytes));
        AssertSameOutcome(bytes);
    }

    [Fact]
    public void Read_TrailingContentOrTruncation_GivesTheSerializersErrorWithItsLineAndColumn()
    {
        var original = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Store", "Fixtures", "WrittenByTheSerializer", "finished.json"));
        byte[][] broken = [[.. original, .. "{}"u8], original[..(original.Length / 2)], [.. original[..^2], .. ",\n}"u8]];
        foreach (var bytes in broken)
        {
            Assert.Null(ManifestReader.TryRead(bytes));
            var error = Assert.Throws<StoreException>(() => ManifestSerializer.Deserialize(bytes, "run.json"));
            Assert.Matches(@"^run\.json:\d+:\d+: not a valid run manifest: ", error.Message);
            AssertSameOutcome(bytes);
        }
    }

    [Fact]
    public void Read_EscapedNamesAndWords_AreWhatTheSerializerReads()
    {
        // Escapes the writer never writes but the serializer unescapes: the reader compares unescaped text as well.
        var original = Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Store", "Fixtures", "WrittenByTheSerializer", "finished.json")));
        var changed = Encoding.UTF8.GetBytes(original
            .Replace("\"runName\"", "\"run\\u004Eame\"", StringComparison.Ordinal)
            .Replace("\"FINISHED\"", "\"FINISHE\\u0044\"", StringComparison.Ordinal));

        var read = ManifestReader.TryRead(changed);

        Assert.NotNull(read);
        Assert.Equal(ManifestWriterTests.ReferenceBytes(Reference(changed)), ManifestWriterTests.ReferenceBytes(read));
        AssertSameOutcome(changed);
    }

    [Fact]
    public void Read_NewerSchemaVersion_FailsAsBefore()
    {
        var bytes = ManifestWriter.Write(ManifestWriterTests.Full() with { SchemaVersion = RunManifest.CurrentSchemaVersion + 1 });

        Assert.NotNull(ManifestReader.TryRead(bytes));
        var error = Assert.Throws<StoreException>(() => ManifestSerializer.Deserialize(bytes, "run.json"));
        Assert.Contains("is newer than this repro understands", error.Message, StringComparison.Ordinal);
        AssertSameOutcome(bytes);
    }

    [Fact]
    public void Read_DuplicateVariableOrMetric_GivesTheSerializersResult()
    {
        var full = ManifestWriterTests.Full() with
        {
            Environment = ManifestWriterTests.Full().Environment with { Variables = new Dictionary<string, string> { ["A"] = "1" } },
            Metrics = ManifestWriterTests.Full().Metrics! with { Values = new Dictionary<string, double> { ["m"] = 1 } },
        };
        var text = Encoding.UTF8.GetString(ManifestWriter.Write(full));
        foreach (var changed in new[] { text.Replace("\"A\": \"1\"", "\"A\": \"1\", \"A\": \"2\"", StringComparison.Ordinal), text.Replace("\"m\": 1", "\"m\": 1, \"m\": 2", StringComparison.Ordinal) })
        {
            Assert.NotEqual(text, changed);
            var bytes = Encoding.UTF8.GetBytes(changed);
            Assert.Null(ManifestReader.TryRead(bytes));
            AssertSameOutcome(bytes);
        }
    }

    /// <summary>
    /// Reads <paramref name="manifest"/> as the writer writes it: the reader must succeed, give the same bytes back and
    /// the same graph as the serializer.
    /// </summary>
    internal static void AssertReads(RunManifest manifest) => AssertReads(ManifestWriter.Write(manifest));

    /// <inheritdoc cref="AssertReads(RunManifest)"/>
    internal static void AssertReads(byte[] json)
    {
        var read = ManifestReader.TryRead(json);

        Assert.NotNull(read);
        Assert.Equal(Encoding.UTF8.GetString(json), Encoding.UTF8.GetString(ManifestWriter.Write(read)));
        var reference = Reference(json);
        Assert.Equal(Encoding.UTF8.GetString(ManifestWriterTests.ReferenceBytes(reference)), Encoding.UTF8.GetString(ManifestWriterTests.ReferenceBytes(read)));
        AssertSameShape(reference, read, "manifest");
        Assert.Equal(
            Encoding.UTF8.GetString(ManifestWriterTests.ReferenceBytes(reference)),
            Encoding.UTF8.GetString(ManifestWriterTests.ReferenceBytes(ManifestSerializer.Deserialize(json, "run.json"))));
    }

    private static RunManifest Reference(byte[] json) => JsonSerializer.Deserialize(json, ManifestJsonContext.Default.RunManifest)!;

    // The same runtime types all the way down (List<T> and Dictionary<,> as the serializer makes them) and equal leaves.
    private static void AssertSameShape(object? expected, object? actual, string path)
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{path}: {expected ?? "null"} != {actual ?? "null"}");
            return;
        }

        Assert.True(expected.GetType() == actual.GetType(), $"{path}: {expected.GetType()} != {actual.GetType()}");
        switch (expected)
        {
            case JsonNode node:
                Assert.True(JsonNode.DeepEquals(node, (JsonNode)actual), path);
                Assert.Equal(node.Options?.PropertyNameCaseInsensitive, ((JsonNode)actual).Options?.PropertyNameCaseInsensitive);
                return;
            case string or ParameterType or DataOrigin or ValueType:
                Assert.True(expected.Equals(actual) || (expected is double a && actual is double b && a.Equals(b)), $"{path}: {expected} != {actual}");
                return;
            case IDictionary dictionary:
                var other = (IDictionary)actual;
                Assert.Equal(dictionary.Keys.Cast<object>(), other.Keys.Cast<object>());
                foreach (var key in dictionary.Keys)
                {
                    AssertSameShape(dictionary[key], other[key], $"{path}[{key}]");
                }

                return;
            case IEnumerable list:
                var expectedItems = list.Cast<object?>().ToList();
                var actualItems = ((IEnumerable)actual).Cast<object?>().ToList();
                Assert.Equal(expectedItems.Count, actualItems.Count);
                for (var i = 0; i < expectedItems.Count; i++)
                {
                    AssertSameShape(expectedItems[i], actualItems[i], $"{path}[{i}]");
                }

                return;
        }

        foreach (var property in expected.GetType().GetProperties().Where(property => property.GetIndexParameters().Length == 0 && property.GetMethod!.IsPublic && !property.GetMethod.IsStatic))
        {
            AssertSameShape(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}");
        }
    }

    // Deserialize as it read every file before the hand-written reader: the serializer alone.
    private static RunManifest OldDeserialize(byte[] json, string displayPath)
    {
        RunManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(json, ManifestJsonContext.Default.RunManifest);
        }
        catch (JsonException exception)
        {
            var where = exception.LineNumber is { } line ? $"{displayPath}:{line + 1}:{(exception.BytePositionInLine ?? 0) + 1}" : displayPath;
            var message = exception.Message;
            var end = message.IndexOfAny(['\r', '\n']);
            throw new StoreException($"{where}: not a valid run manifest: {(end < 0 ? message : message[..end])}", exception);
        }

        if (manifest is null)
        {
            throw new StoreException($"{displayPath}: not a valid run manifest: the file holds null");
        }

        if (manifest.SchemaVersion > RunManifest.CurrentSchemaVersion)
        {
            throw new StoreException($"{displayPath}: manifest schema version {manifest.SchemaVersion} is newer than this repro understands ({RunManifest.CurrentSchemaVersion}); upgrade repro");
        }

        return manifest;
    }

    private static void AssertSameOutcome(byte[] json)
    {
        RunManifest? expected = null;
        Exception? expectedError = null;
        try
        {
            expected = OldDeserialize(json, "run.json");
        }
        catch (StoreException exception)
        {
            expectedError = exception;
        }

        if (expectedError is null)
        {
            Assert.Equal(
                Encoding.UTF8.GetString(ManifestWriterTests.ReferenceBytes(expected!)),
                Encoding.UTF8.GetString(ManifestWriterTests.ReferenceBytes(ManifestSerializer.Deserialize(json, "run.json"))));
            return;
        }

        var actualError = Assert.Throws<StoreException>(() => ManifestSerializer.Deserialize(json, "run.json"));
        Assert.Equal(expectedError.Message, actualError.Message);
    }
}
