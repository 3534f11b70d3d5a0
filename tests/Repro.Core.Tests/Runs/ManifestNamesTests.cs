using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Repro.Core.Runs;

namespace Repro.Core.Tests.Runs;

/// <summary>
/// <see cref="ManifestNames"/> reads its words from the converters' table instead of serializing the value: every
/// value of every enum it names (and a number no member has) must give what the serializer writes into run.json.
/// </summary>
public sealed class ManifestNamesTests
{
    [Fact]
    public void Name_OfEveryRunStatus_IsWhatTheManifestWrites() => AssertSameAsSerializer<RunStatus>(value => value.Name());

    [Fact]
    public void Name_OfEveryVerdict_IsWhatTheManifestWrites() => AssertSameAsSerializer<Verdict>(value => value.Name());

    [Fact]
    public void Name_OfEveryComparisonOutcome_IsWhatTheManifestWrites() => AssertSameAsSerializer<ComparisonOutcome>(value => value.Name());

    [Fact]
    public void Name_OfEveryComparerName_IsWhatTheManifestWrites() => AssertSameAsSerializer<ComparerName>(value => value.Name());

    [Fact]
    public void Name_OfEveryGitState_IsWhatTheManifestWrites() => AssertSameAsSerializer<GitState>(value => value.Name());

    [Fact]
    public void Name_OfEveryParameterSource_IsWhatTheManifestWrites() => AssertSameAsSerializer<ParameterSource>(value => value.Name());

    [Fact]
    public void Name_OfEverySeedSource_IsWhatTheManifestWrites() => AssertSameAsSerializer<SeedSource>(value => value.Name());

    [Fact]
    public void Name_OfEveryVariableSetter_IsWhatTheManifestWrites() => AssertSameAsSerializer<VariableSetter>(value => value.Name());

    [Fact]
    public void Name_OfEveryEntryPointKind_IsWhatTheManifestWrites() => AssertSameAsSerializer<EntryPointKind>(value => value.Name());

    [Fact]
    public void Name_OfEveryDataKind_IsWhatTheManifestWrites() => AssertSameAsSerializer<DataKind>(value => value.Name());

    [Fact]
    public void Name_OfEveryGitRefKind_IsWhatTheManifestWrites() => AssertSameAsSerializer<GitRefKind>(value => value.Name());

    [Fact]
    public void Name_OfEveryPythonHookStatus_IsWhatTheManifestWrites() => AssertSameAsSerializer<PythonHookStatus>(value => value.Name());

    // The previous implementation, kept here as the reference: the value serialized with the manifest's own contract.
    private static string Serialized<T>(T value)
        where T : struct, Enum
    {
        var typeInfo = (JsonTypeInfo<T>)ManifestJsonContext.Default.GetTypeInfo(typeof(T))!;
        return JsonSerializer.Serialize(value, typeInfo).Trim('"');
    }

    private static void AssertSameAsSerializer<T>(Func<T, string> name)
        where T : struct, Enum
    {
        var values = Enum.GetValues<T>().ToList();
        Assert.NotEmpty(values);

        // A number no member names (a newer repro's value, say) is written as the number.
        var unnamed = 987;
        values.Add((T)Enum.ToObject(typeof(T), unnamed));

        foreach (var value in values)
        {
            Assert.Equal(Serialized(value), name(value));
        }

        Assert.Equal("987", name(values[^1]));
    }
}
