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
    public void Read_ManifestWithEveryPropertySet_IsWhatTheSerializerReads() => AssertReads(ManifestFixtures.Full());

    [Fact]
    public void Read_ManifestWithNullsAndEmpties_IsWhatTheSerializerReads()
    {
        foreach (var manifest in ManifestFixtures.NullsAndEmpties())
        {
            AssertReads(manifest);
        }

        AssertReads(ManifestFixtures.Full() with { Scheduler = null });
        AssertReads(ManifestFixtures.Full() with { Sweep = null });
    }

    [Fact]
    public void Read_RealisticManifests_AreWhatTheSerializerReads()
    {
        foreach (var manifest in ManifestFixtures.Realistic())
        {
            AssertReads(manifest);
        }
    }

    [Fact]
    public void Read_EveryValueOfEveryEnum_IsWhatTheSerializerReads()
    {
        // Only the members: a number is read by the serializer, not by the reader (Read_FileTheWriterWouldNotWrite_…).
        foreach (var manifest in ManifestFixtures.EveryEnumValue(withUndefined: false))
        {
            AssertReads(manifest);
        }
    }

    [Fact]
    public void Read_ParameterTypesAndDataOrigins_AreWhatTheSerializerReads()
    {
        AssertReads(ManifestFixtures.ParameterTypesAndDataOrigins());
    }

    [Theory]
    [MemberData(nameof(ManifestFixtures.Doubles), MemberType = typeof(ManifestFixtures))]
    public void Read_Doubles_AreWhatTheSerializerReads(double value)
    {
        AssertReads(ManifestFixtures.WithDoubles(value));
    }

    [Fact]
    public void Read_IntegersAtTheirLimits_AreWhatTheSerializerReads()
    {
        // A schema version newer than this repro's is refused, by the serializer too (Read_NewerSchemaVersion_FailsAsBefore).
        foreach (var manifest in ManifestFixtures.AtIntegerLimits())
        {
            AssertReads(manifest with { SchemaVersion = Math.Min(manifest.SchemaVersion, RunManifest.CurrentSchemaVersion) });
        }
    }

    [Fact]
    public void Read_Times_AreWhatTheSerializerReads()
    {
        foreach (var manifest in ManifestFixtures.AtTimes())
        {
            AssertReads(manifest);
        }
    }

    [Fact]
    public void Read_AwkwardTextEverywhere_IsWhatTheSerializerReads()
    {
        AssertReads(ManifestFixtures.WithAwkwardText());
    }

    [Fact]
    public void Read_JsonObjects_AreWhatTheSerializerReads()
    {
        var full = ManifestFixtures.Full();
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
        var bytes = ManifestWriter.Write(ManifestFixtures.Full() with { SchemaVersion = RunManifest.CurrentSchemaVersion + 1 });

        Assert.NotNull(ManifestReader.TryRead(bytes));
        var error = Assert.Throws<StoreException>(() => ManifestSerializer.Deserialize(bytes, "run.json"));
        Assert.Contains("is newer than this repro understands", error.Message, StringComparison.Ordinal);
        AssertSameOutcome(bytes);
    }

    [Fact]
    public void Read_DuplicateVariableOrMetric_GivesTheSerializersResult()
    {
        var full = ManifestFixtures.Full() with
        {
            Environment = ManifestFixtures.Full().Environment with { Variables = new Dictionary<string, string> { ["A"] = "1" } },
            Metrics = ManifestFixtures.Full().Metrics! with { Values = new Dictionary<string, double> { ["m"] = 1 } },
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
