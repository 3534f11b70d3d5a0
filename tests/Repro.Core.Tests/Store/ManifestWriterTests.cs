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
    private const string Awkward = ManifestFixtures.Awkward;

    private static readonly JsonTypeInfo<RunManifest> Reference = (JsonTypeInfo<RunManifest>)new JsonSerializerOptions(ManifestJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    }.GetTypeInfo(typeof(RunManifest));

    // Written as converters write them (ParameterType, DataOrigin) or as values (JsonObject): not walked into.
    private static readonly HashSet<Type> Leaves = [typeof(ParameterType), typeof(DataOrigin), typeof(JsonObject)];

    [Fact]
    public void Write_ManifestWithEveryPropertySet_IsWhatTheSerializerWrites() => AssertSameBytes(ManifestFixtures.Full());

    [Fact]
    public void FullFixture_EveryPropertyOfEveryTypeTheManifestHolds_IsSet()
    {
        var declared = new SortedSet<string>(StringComparer.Ordinal);
        DeclaredProperties(typeof(RunManifest), declared, []);
        var set = new SortedSet<string>(StringComparer.Ordinal);
        SetProperties(ManifestFixtures.Full(), set);

        Assert.True(declared.Count > 150, $"only {declared.Count} properties found: the walk is broken");
        Assert.Empty(declared.Except(set));
    }

    [Fact]
    public void Write_ManifestWithNullsAndEmpties_IsWhatTheSerializerWrites()
    {
        foreach (var manifest in ManifestFixtures.NullsAndEmpties())
        {
            AssertSameBytes(manifest);
        }
    }

    [Fact]
    public void Write_RealisticManifests_AreWhatTheSerializerWrites()
    {
        foreach (var manifest in ManifestFixtures.Realistic())
        {
            AssertSameBytes(manifest);
        }
    }

    [Fact]
    public void Write_ListsHoldingNulls_AreWhatTheSerializerWrites()
    {
        var full = ManifestFixtures.Full();
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
        foreach (var manifest in ManifestFixtures.EveryEnumValue(withUndefined: true))
        {
            AssertSameBytes(manifest);
        }
    }

    [Fact]
    public void Write_ParameterTypesAndDataOrigins_AreWhatTheSerializerWrites()
    {
        AssertSameBytes(ManifestFixtures.ParameterTypesAndDataOrigins());
    }

    [Theory]
    [MemberData(nameof(ManifestFixtures.Doubles), MemberType = typeof(ManifestFixtures))]
    public void Write_Doubles_AreWhatTheSerializerWrites(double value)
    {
        AssertSameBytes(ManifestFixtures.WithDoubles(value));
    }

    [Fact]
    public void Write_IntegersAtTheirLimits_AreWhatTheSerializerWrites()
    {
        foreach (var manifest in ManifestFixtures.AtIntegerLimits())
        {
            AssertSameBytes(manifest);
        }
    }

    [Fact]
    public void Write_Times_AreWhatTheSerializerWrites()
    {
        foreach (var manifest in ManifestFixtures.AtTimes())
        {
            AssertSameBytes(manifest);
        }
    }

    [Fact]
    public void Write_AwkwardTextEverywhere_IsWhatTheSerializerWrites()
    {
        AssertSameBytes(ManifestFixtures.WithAwkwardText());
    }

    [Fact]
    public void Write_LoneSurrogates_FailOrPassAsTheSerializerDoes()
    {
        var full = ManifestFixtures.Full();
        AssertSameOutcome(full with { RunName = "a\ud800b" });
        AssertSameOutcome(full with { Warnings = ["\udc00"] });
        AssertSameOutcome(full with { Environment = full.Environment with { Variables = new Dictionary<string, string> { ["\ud800"] = "x" } } });
        AssertSameOutcome(full with { Metrics = full.Metrics! with { Values = new Dictionary<string, double> { ["\udfff"] = 1 } } });
    }

    [Fact]
    public void Write_JsonObjects_AreWhatTheSerializerWrites()
    {
        var full = ManifestFixtures.Full();
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

        AssertSameOutcome(ManifestFixtures.Full() with { Sdk = deep });
    }

    [Fact]
    public void Write_NullWhereTheModelSaysNoneCanBe_FailsAsTheSerializerDoes()
    {
        var full = ManifestFixtures.Full();
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
        var full = ManifestFixtures.Full();
        var written = ManifestSerializer.Serialize(full);

        Assert.Equal(written, ManifestSerializer.Serialize(ManifestSerializer.Deserialize(written, "run.json")));
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
