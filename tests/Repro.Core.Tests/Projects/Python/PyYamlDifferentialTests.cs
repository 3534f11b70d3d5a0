using System.Text.Json;
using System.Text.Json.Nodes;
using Repro.Core.Errors;
using Repro.Core.Projects;

namespace Repro.Core.Tests.Projects.Python;

/// <summary>
/// repro's YAML 1.1 resolution and Python <c>str()</c> formatting against the real thing: PyYAML's <c>yaml.safe_load</c>
/// and <c>str()</c>, run by Debian's <c>/usr/bin/python3</c> with <c>python3-yaml</c> (which <c>.ci/run</c> installs).
/// Where PyYAML is not installed the recorded answers in <c>Fixtures/pyyaml-scalars.json</c> stand in, except under
/// CI, where a missing PyYAML fails the test.
/// </summary>
public sealed class PyYamlDifferentialTests
{
    private const string Python = "/usr/bin/python3";

    private const string Script = """
        import json, sys, yaml
        results = []
        for text in json.loads(sys.argv[1]):
            try:
                results.append({"str": str(yaml.safe_load("v: " + text)["v"])})
            except Exception as error:
                results.append({"error": type(error).__name__})
        json.dump({"pyyaml": yaml.__version__, "python": sys.version.split()[0], "results": results}, sys.stdout, ensure_ascii=True)
        """;

    private static readonly string s_goldenPath = Path.Combine(AppContext.BaseDirectory, "Projects", "Python", "Fixtures", "pyyaml-scalars.json");

    [Fact]
    public void Corpus_HoldsAtLeast300DistinctScalars() =>
        Assert.True(ScalarCorpus.All.Distinct(StringComparer.Ordinal).Count() >= 300, $"only {ScalarCorpus.All.Count} scalars");

    [Fact]
    public void ReproResolution_MatchesPyYamlAndPythonStr_OnEveryScalar()
    {
        var reference = ReferenceAnswers();
        var mismatches = new List<string>();
        for (var index = 0; index < ScalarCorpus.All.Count; index++)
        {
            var text = ScalarCorpus.All[index];
            var expected = reference[index];
            var actual = Repro(text);
            if (expected != actual)
            {
                mismatches.Add($"{JsonSerializer.Serialize(text)}: PyYAML {Show(expected)}, repro {Show(actual)}");
            }
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {ScalarCorpus.All.Count} scalars differ:\n" + string.Join('\n', mismatches));
    }

    /// <remarks>
    /// After changing the corpus, record the answers again with
    /// <c>REPRO_RECORD_PYYAML=$PWD/tests/Repro.Core.Tests/Projects/Python/Fixtures/pyyaml-scalars.json dotnet test tests/Repro.Core.Tests --filter RecordedAnswers</c>.
    /// </remarks>
    [Fact]
    public void RecordedAnswers_AreWhatPyYamlGivesNow()
    {
        if (Environment.GetEnvironmentVariable("REPRO_RECORD_PYYAML") is { Length: > 0 } target && RunPyYaml() is { } answers)
        {
            var cases = new JsonArray([.. ScalarCorpus.All.Select((text, index) => new JsonObject { ["yaml"] = text, ["str"] = answers[index] })]);
            var document = new JsonObject
            {
                ["about"] = "str(yaml.safe_load('v: ' + yaml)['v']) by PyYAML 6.0 under Debian's /usr/bin/python3 3.11; str is null where PyYAML fails",
                ["cases"] = cases,
            };
            File.WriteAllText(target, document.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
            File.Copy(target, s_goldenPath, overwrite: true);
        }

        var recorded = ReadGolden();
        Assert.Equal(ScalarCorpus.All, recorded.Inputs);
        if (RunPyYaml() is { } live)
        {
            Assert.Equal(live, recorded.Answers);
        }
        else
        {
            Assert.False(IsCi, "PyYAML is missing under CI: .ci/run installs python3-yaml for /usr/bin/python3");
        }
    }

    private static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    // The str() text, or null where PyYAML (and so MLflow) fails on the value.
    private static string? Repro(string text)
    {
        try
        {
            var root = (YamlTreeMapping)LocatedYamlReader.Read("case", "v: " + text)!;
            return root.Find("v")!.Value.ToPython().Str();
        }
        catch (InputException)
        {
            return null;
        }
    }

    private static string Show(string? answer) => answer is null ? "fails" : JsonSerializer.Serialize(answer);

    private static IReadOnlyList<string?> ReferenceAnswers()
    {
        if (RunPyYaml() is { } live)
        {
            return live;
        }

        Assert.False(IsCi, "PyYAML is missing under CI: .ci/run installs python3-yaml for /usr/bin/python3");
        var recorded = ReadGolden();
        Assert.Equal(ScalarCorpus.All, recorded.Inputs);
        return recorded.Answers;
    }

    private static (IReadOnlyList<string> Inputs, IReadOnlyList<string?> Answers) ReadGolden()
    {
        var golden = JsonNode.Parse(File.ReadAllText(s_goldenPath))!.AsObject();
        var cases = golden["cases"]!.AsArray();
        return (
            [.. cases.Select(item => item!["yaml"]!.GetValue<string>())],
            [.. cases.Select(item => item!["str"]?.GetValue<string>())]);
    }

    // The answers of the real PyYAML, or null when /usr/bin/python3 cannot import yaml.
    private static List<string?>? RunPyYaml()
    {
        if (!File.Exists(Python))
        {
            return null;
        }

        // The corpus travels as one argument, JSON with every non-ASCII character escaped.
        var result = ProcessRunner.Run(
            Python,
            ["-c", Script, JsonSerializer.Serialize(ScalarCorpus.All)],
            AppContext.BaseDirectory,
            new Dictionary<string, string?> { ["PYTHONIOENCODING"] = "utf-8", ["LC_ALL"] = "C.UTF-8" });
        if (result.ExitCode != 0)
        {
            return result.Stderr.Contains("No module named 'yaml'", StringComparison.Ordinal)
                ? null
                : throw new InvalidOperationException($"{Python} failed: {result.Stderr}");
        }

        var results = JsonNode.Parse(result.Stdout)!["results"]!.AsArray();
        return [.. results.Select(item => item!["str"]?.GetValue<string>())];
    }
}
