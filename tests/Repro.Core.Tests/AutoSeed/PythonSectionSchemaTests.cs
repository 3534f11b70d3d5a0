using System.Text.Json;
using System.Text.Json.Serialization;
using Json.Schema;
using Repro.Core.AutoSeed;
using Repro.Core.Tests.AutoSeed.Support;

namespace Repro.Core.Tests.AutoSeed;

/// <summary>The python section, written as the manifest writes JSON, against docs/python-section.schema.json.</summary>
public sealed class PythonSectionSchemaTests : IDisposable
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "python-section.schema.json"))));

    private readonly HookedPython _python = new();

    public void Dispose() => _python.Dispose();

    [Fact]
    public void Off_MatchesTheSchema()
    {
        AssertValid(PythonRecord.Off);
    }

    [PythonFact]
    public void Seeded_FromARealReport_MatchesTheSchema()
    {
        var result = _python.Run(PythonInterpreters.RequireDefault(), SeedMode.Hooked, 4294967295, [HookedPython.Script("plain.py")]).Succeeded();

        var record = PythonRecord.Seeded(_python.Hook, result.Report);

        Assert.NotEmpty(record.Processes);
        AssertValid(record);
    }

    [PythonLibrariesFact]
    public void Seeded_WithTorchFlagsAndWorkers_MatchesTheSchema()
    {
        var result = _python.Run(PythonInterpreters.RequireWithLibraries(), SeedMode.Hooked, 42, [HookedPython.Script("pool.py"), "fork"]).Succeeded();

        AssertValid(PythonRecord.Seeded(_python.Hook, result.Report));
    }

    [Fact]
    public void UnsupportedAndNotSeeded_FromReportLines_MatchTheSchema()
    {
        var report = PythonReportReader.Parse("""
            {"errors": ["Python 3.7.16 is older than 3.8, the oldest the hook supports"], "executable": "/opt/python3.7", "implementation": "cpython", "pid": 12, "ppid": 1, "pythonVersion": "3.7.16", "report": 1, "status": "unsupported"}
            {"status":"not-seeded","errors":["REPRO_SEED is not set; nothing is seeded"],"report":1,"pid":13,"ppid":1,"executable":"/usr/bin/python3","pythonVersion":"3.11.2","implementation":"cpython"}
            """, "python.jsonl");

        Assert.Equal(2, report.Processes.Count);
        AssertValid(PythonRecord.Seeded(_python.Hook, report));
    }

    private static void AssertValid(PythonRecord record)
    {
        var json = JsonSerializer.SerializeToElement(record, PythonSectionJsonContext.Default.PythonRecord);
        var results = Schema.Value.Evaluate(json, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (!results.IsValid)
        {
            var errors = (results.Details ?? [])
                .Where(detail => detail.Errors is { Count: > 0 })
                .SelectMany(detail => detail.Errors!.Select(error => $"{detail.InstanceLocation}: {error.Key}: {error.Value}"));
            Assert.Fail($"{json}\ndoes not match the schema:\n{string.Join('\n', errors)}");
        }
    }
}

/// <summary>The manifest's JSON options (Runs/ManifestJsonContext), for the python section alone.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(PythonRecord))]
internal sealed partial class PythonSectionJsonContext : JsonSerializerContext;
