using System.Reflection;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Repro.Core.Runs;
using Repro.Core.Store;
using Repro.Core.Tests.Verification.Differences;

namespace Repro.Core.Tests.Store;

/// <summary>
/// The hand-written <c>pipeline.json</c> writer against the serializer it replaced (<see cref="ManifestJsonContext"/>
/// with the relaxed encoder, as <see cref="RunGroupStore{TRecord}"/> used it): the same bytes for every record, or the
/// same failure.
/// </summary>
public sealed class PipelineRecordWriterTests
{
    private const string Awkward = ManifestFixtures.Awkward;

    private static readonly JsonTypeInfo<PipelineRecord> Reference = (JsonTypeInfo<PipelineRecord>)new JsonSerializerOptions(ManifestJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    }.GetTypeInfo(typeof(PipelineRecord));

    [Fact]
    public void Write_RecordWithEveryPropertySet_IsWhatTheSerializerWrites() => AssertSameBytes(Full());

    [Fact]
    public void Full_EveryPropertyOfTheRecordAndItsSteps_IsSet()
    {
        var record = Full();
        foreach (var property in typeof(PipelineRecord).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            Assert.False(IsDefault(property.GetValue(record)), $"{nameof(PipelineRecord)}.{property.Name} is not set");
        }

        foreach (var property in typeof(PipelineStepRecord).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            Assert.False(IsDefault(property.GetValue(record.Steps[0])), $"{nameof(PipelineStepRecord)}.{property.Name} is not set");
        }
    }

    [Fact]
    public void Write_RunningRecordWithNullsAndEmpties_IsWhatTheSerializerWrites() => AssertSameBytes(new PipelineRecord
    {
        PipelineId = "20250304-050607-000-0a1b2c3d",
        Status = RunStatus.Running,
        Repro = new ToolRecord(string.Empty),
        ProjectDirectory = string.Empty,
        Targets = [],
        StartedAt = DateTimeOffset.UnixEpoch,
        Steps = [new PipelineStepRecord(string.Empty, [], PipelineStepState.Pending, string.Empty, null, null, null)],
    });

    [Fact]
    public void Write_EveryStateAndStatus_IsWhatTheSerializerWrites()
    {
        var steps = new List<PipelineStepRecord>();
        foreach (var state in Enum.GetValues<PipelineStepState>())
        {
            foreach (var status in Enum.GetValues<RunStatus>())
            {
                steps.Add(new PipelineStepRecord($"{state}-{status}", ["up"], state, "why", "run", null, status));
            }
        }

        // A number no member names is written as the number by both.
        steps.Add(new PipelineStepRecord("unnamed", [], (PipelineStepState)42, "why", null, null, (RunStatus)42));
        AssertSameBytes(Full() with { Status = (RunStatus)42, Steps = steps });
    }

    [Fact]
    public void Write_NullStepInTheList_IsWhatTheSerializerWrites() =>
        AssertSameBytes(Full() with { Steps = [Full().Steps[0], null!] });

    [Fact]
    public void Write_TimesWithOffsetsAndTicks_AreWhatTheSerializerWrites()
    {
        foreach (var time in new[] { new DateTimeOffset(2025, 3, 4, 5, 6, 7, 891, TimeSpan.FromHours(5.5)).AddTicks(1234), DateTimeOffset.MaxValue, DateTimeOffset.MinValue })
        {
            AssertSameBytes(Full() with { StartedAt = time, EndedAt = time });
        }
    }

    [Fact]
    public void Write_NullWhereTheModelAllowsNone_FailsAsTheSerializerDoes()
    {
        var records = new[]
        {
            Full() with { PipelineId = null! },
            Full() with { Repro = null! },
            Full() with { Repro = new ToolRecord(null!) },
            Full() with { ProjectDirectory = null! },
            Full() with { Targets = null! },
            Full() with { Parameters = null! },
            Full() with { Steps = null! },
            Full() with { Steps = [new PipelineStepRecord(null!, [], PipelineStepState.Pending, "why", null, null, null)] },
            Full() with { Steps = [new PipelineStepRecord("a", null!, PipelineStepState.Pending, "why", null, null, null)] },
            Full() with { Steps = [new PipelineStepRecord("a", [], PipelineStepState.Pending, null!, null, null, null)] },
        };
        foreach (var record in records)
        {
            var expected = Assert.ThrowsAny<JsonException>(() => JsonSerializer.SerializeToUtf8Bytes(record, Reference));
            var actual = Assert.ThrowsAny<JsonException>(() => PipelineRecordWriter.Write(record));
            Assert.Equal(FirstSentence(expected.Message), FirstSentence(actual.Message));
        }
    }

    [Fact]
    public void Save_ThenLoad_GivesTheRecordBack()
    {
        using var temp = new TempDirectory("pipeline-writer");
        var pipelines = new PipelineStore(RunStore.Open(temp.Combine("store")));
        var record = Full() with { PipelineId = pipelines.Create(DateTimeOffset.UtcNow) };

        pipelines.Save(record);

        var loaded = pipelines.Load(record.PipelineId);
        Assert.Equal(Encoding.UTF8.GetString(PipelineRecordWriter.Write(record)), Encoding.UTF8.GetString(PipelineRecordWriter.Write(loaded)));
        Assert.Equal(record.Parameters, loaded.Parameters);
        Assert.Equal(record.Steps[0].Upstream, loaded.Steps[0].Upstream);
    }

    private static PipelineRecord Full() => new()
    {
        SchemaVersion = 7,
        PipelineId = "20250304-050607-891-0a1b2c3d",
        Status = RunStatus.Failed,
        StatusMessage = "step b failed: " + Awkward,
        Repro = new ToolRecord("1.2.3+" + Awkward),
        ProjectDirectory = "/tmp/" + Awkward,
        Targets = ["b", Awkward],
        Parameters = new Dictionary<string, string>(StringComparer.Ordinal) { ["epochs"] = "20", [Awkward] = Awkward, ["empty"] = string.Empty },
        StartedAt = new DateTimeOffset(2025, 3, 4, 5, 6, 7, 891, TimeSpan.Zero),
        EndedAt = new DateTimeOffset(2025, 3, 4, 5, 9, 1, 2, TimeSpan.Zero),
        Steps =
        [
            new PipelineStepRecord("a" + Awkward, ["upstream", Awkward], PipelineStepState.Reused, "reuse: " + Awkward, "20250304-050608-000-11111111", "20250303-050608-000-22222222", RunStatus.Finished),
            new PipelineStepRecord("b", ["a" + Awkward], PipelineStepState.Executed, "run: the code changed", "20250304-050609-000-33333333", null, RunStatus.Failed),
            new PipelineStepRecord("c", ["b"], PipelineStepState.NotRun, "upstream step b did not finish", null, null, null),
        ],
    };

    private static bool IsDefault(object? value) => value switch
    {
        null => true,
        string text => text.Length == 0,
        System.Collections.ICollection collection => collection.Count == 0,
        int number => number == 0,
        Enum => Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture) == 0,
        _ => false,
    };

    private static void AssertSameBytes(PipelineRecord record)
    {
        var expected = Encoding.UTF8.GetString([.. JsonSerializer.SerializeToUtf8Bytes(record, Reference), (byte)'\n']);
        var actual = Encoding.UTF8.GetString(PipelineRecordWriter.Write(record));
        Assert.Equal(expected, actual);
    }

    private static string FirstSentence(string message) => message.Split(". ")[0];
}
