using System.Text.Json;
using Repro.Core.Runs;

namespace Repro.Core.Tests.Runs;

/// <summary>The manifest's typed values keep the words the manifest format has always used.</summary>
public sealed class ManifestVocabularyTests
{
    [Theory]
    [InlineData(GitState.Repository, "repository")]
    [InlineData(GitState.NoCommits, "no-commits")]
    [InlineData(GitState.NotARepository, "not-a-repository")]
    public void GitState_IsWrittenAsBefore(GitState state, string word) => AssertWord(state, word, state.Name());

    [Theory]
    [InlineData(ParameterSource.User, "user")]
    [InlineData(ParameterSource.Default, "default")]
    [InlineData(ParameterSource.Extra, "extra")]
    public void ParameterSource_IsWrittenAsBefore(ParameterSource source, string word) => AssertWord(source, word, source.Name());

    [Theory]
    [InlineData(SeedSource.Cli, "cli")]
    [InlineData(SeedSource.MLproject, "mlproject")]
    [InlineData(SeedSource.Random, "random")]
    public void SeedSource_IsWrittenAsBefore(SeedSource source, string word) => AssertWord(source, word, source.Name());

    [Theory]
    [InlineData(VariableSetter.Repro, "repro")]
    [InlineData(VariableSetter.User, "user")]
    [InlineData(VariableSetter.MLproject, "mlproject")]
    public void VariableSetter_IsWrittenAsBefore(VariableSetter setter, string word) => AssertWord(setter, word, setter.Name());

    [Theory]
    [InlineData(EntryPointKind.Declared, "declared")]
    [InlineData(EntryPointKind.PythonScript, "python-script")]
    [InlineData(EntryPointKind.ShellScript, "shell-script")]
    public void EntryPointKind_IsWrittenAsBefore(EntryPointKind kind, string word) => AssertWord(kind, word, kind.Name());

    [Theory]
    [InlineData(DataKind.File, "file")]
    [InlineData(DataKind.Directory, "directory")]
    [InlineData(DataKind.Glob, "glob")]
    public void DataKind_IsWrittenAsBefore(DataKind kind, string word) => AssertWord(kind, word, kind.Name());

    [Theory]
    [InlineData(ComparerName.Sha256, "sha256")]
    [InlineData(ComparerName.Zip, "zip")]
    [InlineData(ComparerName.Json, "json")]
    [InlineData(ComparerName.Csv, "csv")]
    [InlineData(ComparerName.Text, "text")]
    [InlineData(ComparerName.Binary, "binary")]
    [InlineData(ComparerName.Missing, "missing")]
    public void ComparerName_IsWrittenAsBefore(ComparerName comparer, string word) => AssertWord(comparer, word, comparer.Name());

    [Theory]
    [InlineData(ComparisonOutcome.Identical, "identical")]
    [InlineData(ComparisonOutcome.Equivalent, "equivalent")]
    [InlineData(ComparisonOutcome.Different, "different")]
    public void ComparisonOutcome_IsWrittenAsBefore(ComparisonOutcome outcome, string word) => AssertWord(outcome, word, outcome.Name());

    [Theory]
    [InlineData(RunStatus.Running, "RUNNING")]
    [InlineData(RunStatus.Finished, "FINISHED")]
    [InlineData(RunStatus.Failed, "FAILED")]
    [InlineData(RunStatus.Killed, "KILLED")]
    public void RunStatus_IsWrittenAsBefore(RunStatus status, string word) => AssertWord(status, word, status.Name());

    [Theory]
    [InlineData(Verdict.Reproduced, "REPRODUCED")]
    [InlineData(Verdict.Equivalent, "EQUIVALENT")]
    [InlineData(Verdict.Different, "DIFFERENT")]
    [InlineData(Verdict.NotVerifiable, "NOT_VERIFIABLE")]
    public void Verdict_IsWrittenAsBefore(Verdict verdict, string word) => AssertWord(verdict, word, verdict.Name());

    [Theory]
    [InlineData("inputs")]
    [InlineData("outputs")]
    [InlineData("parameter:data_dir")]
    [InlineData("parameter:a:b")]
    public void DataOrigin_RoundTripsItsText(string text)
    {
        Assert.True(DataOrigin.TryParse(text, out var origin));
        Assert.Equal(text, origin.ToString());
        Assert.Equal($"\"{text}\"", JsonSerializer.Serialize(origin, ManifestJsonContext.Default.DataOrigin));
        Assert.Equal(origin, JsonSerializer.Deserialize($"\"{text}\"", ManifestJsonContext.Default.DataOrigin));
    }

    [Theory]
    [InlineData("input")]
    [InlineData("parameter:")]
    [InlineData("Outputs")]
    public void DataOrigin_OtherText_IsRefused(string text)
    {
        Assert.False(DataOrigin.TryParse(text, out _));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize($"\"{text}\"", ManifestJsonContext.Default.DataOrigin));
    }

    [Fact]
    public void DataOrigin_Parameter_KnowsItsNameAndIsAnInput()
    {
        var origin = DataOrigin.Parameter("data");

        Assert.Equal(("data", false), (origin.ParameterName, origin.IsOutput));
        Assert.True(DataOrigin.Outputs.IsOutput);
        Assert.Null(DataOrigin.Inputs.ParameterName);
    }

    [Theory]
    [InlineData("path", true)]
    [InlineData("float", true)]
    [InlineData("bool", false)]
    [InlineData("Path", false)]
    public void ParameterType_KeepsAnyWordAndKnowsTheKnownOnes(string word, bool known)
    {
        var type = new ParameterType(word);

        Assert.Equal(known, type.IsKnown);
        Assert.Equal($"\"{word}\"", JsonSerializer.Serialize(type, ManifestJsonContext.Default.ParameterType));
        Assert.Equal(type, JsonSerializer.Deserialize($"\"{word}\"", ManifestJsonContext.Default.ParameterType));
    }

    [Theory]
    [InlineData("0", 0u)]
    [InlineData("007", 7u)]
    [InlineData("4294967295", uint.MaxValue)]
    public void RunSeed_DecimalDigitsInRange_AreASeed(string text, uint expected)
    {
        Assert.True(RunSeed.TryParse(text, out var seed));
        Assert.Equal(expected, seed);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData(" 1")]
    [InlineData("4294967296")]
    [InlineData("1e3")]
    [InlineData("0x10")]
    [InlineData("١٢")]
    public void RunSeed_AnythingElse_IsNotASeed(string? text)
    {
        Assert.False(RunSeed.TryParse(text, out _));
    }

    [Fact]
    public void RunFolder_NamesEveryFileInsideItself()
    {
        var folder = new RunFolder("/store/runs/20250301-101500-123-0123abcd");

        Assert.Equal("20250301-101500-123-0123abcd", folder.RunId);
        Assert.Equal(
            ["run.json", "params.json", "stdout.log", "stderr.log", "code.patch", "sdk.json", "metrics.json"],
            new[] { folder.Manifest, folder.Parameters, folder.Stdout, folder.Stderr, folder.Patch, folder.SdkReport, folder.DefaultMetrics }
                .Select(path => Assert.IsType<string>(Path.GetRelativePath(folder.Path, path))));
    }

    private static void AssertWord<T>(T value, string word, string name)
        where T : struct, Enum
    {
        Assert.Equal(word, name);
        var typeInfo = (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)ManifestJsonContext.Default.GetTypeInfo(typeof(T))!;
        Assert.Equal($"\"{word}\"", JsonSerializer.Serialize(value, typeInfo));
        Assert.Equal(value, JsonSerializer.Deserialize($"\"{word}\"", typeInfo));
    }
}
