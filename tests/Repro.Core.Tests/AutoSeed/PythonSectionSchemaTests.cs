using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Repro.Core.AutoSeed;
using Repro.Core.Runs;
using Repro.Core.Tests.AutoSeed.Support;

namespace Repro.Core.Tests.AutoSeed;

/// <summary>
/// The python section, written as the manifest writes JSON, against its definition in docs/run-manifest.schema.json
/// (<c>$defs/python</c>): reports of real interpreters and the lines of the ones CI lacks.
/// </summary>
public sealed class PythonSectionSchemaTests : IDisposable
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
    {
        // The manifest schema with the python section as its root: the same definitions, nothing else.
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "run-manifest.schema.json")))!.AsObject();
        var section = new JsonObject
        {
            ["$schema"] = manifest["$schema"]!.DeepClone(),
            ["$ref"] = "#/$defs/python",
            ["$defs"] = manifest["$defs"]!.DeepClone(),
        };
        return JsonSchema.FromText(section.ToJsonString());
    });

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

        var record = new PythonRecord(true, _python.Hook.Sha256, result.Report.Processes);

        Assert.NotEmpty(record.Processes);
        AssertValid(record);
    }

    [PythonLibrariesFact]
    public void Seeded_WithTorchFlagsAndWorkers_MatchesTheSchema()
    {
        var result = _python.Run(PythonInterpreters.RequireWithLibraries(), SeedMode.Hooked, 42, [HookedPython.Script("pool.py"), "fork"]).Succeeded();

        AssertValid(new PythonRecord(true, _python.Hook.Sha256, result.Report.Processes));
    }

    [Fact]
    public void UnsupportedAndNotSeeded_FromReportLines_MatchTheSchema()
    {
        var report = PythonReportReader.Parse("""
            {"errors": ["Python 3.7.16 is older than 3.8, the oldest the hook supports"], "executable": "/opt/python3.7", "implementation": "cpython", "pid": 12, "ppid": 1, "pythonVersion": "3.7.16", "report": 1, "status": "unsupported"}
            {"status":"not-seeded","errors":["REPRO_SEED is not set; nothing is seeded"],"report":1,"pid":13,"ppid":1,"executable":"/usr/bin/python3","pythonVersion":"3.11.2","implementation":"cpython"}
            """, "python.jsonl");

        Assert.Equal(2, report.Processes.Count);
        AssertValid(new PythonRecord(true, _python.Hook.Sha256, report.Processes));
    }

    private static void AssertValid(PythonRecord record)
    {
        var json = JsonSerializer.SerializeToElement(record, ManifestJsonContext.Default.PythonRecord);
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
