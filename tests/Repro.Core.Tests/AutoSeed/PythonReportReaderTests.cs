using Repro.Core.AutoSeed;
using Repro.Core.Runs;

namespace Repro.Core.Tests.AutoSeed;

public sealed class PythonReportReaderTests
{
    private const string Root = """{"status":"seeded","stream":"/","runSeed":42,"seed":42,"libraries":[{"name":"random","seed":42,"at":"import","version":null},{"name":"torch","seed":42,"at":"import","version":"2.1.0"}],"flags":{"torch.backends.cudnn.benchmark":false,"torch.get_float32_matmul_precision":"highest","torch.initial_seed":42},"errors":[],"report":1,"pid":100,"ppid":1,"executable":"/usr/bin/python3","pythonVersion":"3.11.2","implementation":"cpython"}""";
    private const string Worker2 = """{"status":"seeded","stream":"/mp:2","runSeed":42,"seed":7,"libraries":[],"flags":{},"errors":[],"report":1,"pid":102,"ppid":100,"executable":"/usr/bin/python3","pythonVersion":"3.11.2","implementation":"cpython"}""";
    private const string Worker10 = """{"status":"seeded","stream":"/mp:10","runSeed":42,"seed":8,"libraries":[],"flags":{},"errors":[],"report":1,"pid":110,"ppid":100,"executable":"/usr/bin/python3","pythonVersion":"3.11.2","implementation":"cpython"}""";
    private const string Old = """{"errors": ["Python 3.7.16 is older than 3.8, the oldest the hook supports"], "executable": "/opt/py37/bin/python3.7", "implementation": "cpython", "pid": 120, "ppid": 100, "pythonVersion": "3.7.16", "report": 1, "status": "unsupported"}""";

    [Fact]
    public void Parse_SeededLine_ReadsEveryField()
    {
        var report = PythonReportReader.Parse(Root + "\n", "python.jsonl");

        Assert.Empty(report.Warnings);
        var process = Assert.Single(report.Processes);
        Assert.Equal(100, process.Pid);
        Assert.Equal(1, process.Ppid);
        Assert.Equal("/usr/bin/python3", process.Executable);
        Assert.Equal("3.11.2", process.PythonVersion);
        Assert.Equal("cpython", process.Implementation);
        Assert.Equal(PythonHookStatus.Seeded, process.Status);
        Assert.Equal("/", process.Stream);
        Assert.Equal(42, process.RunSeed);
        Assert.Equal(42, process.Seed);
        Assert.Equal([new PythonLibraryRecord("random", null, 42, "import"), new PythonLibraryRecord("torch", "2.1.0", 42, "import")], process.Libraries);
        Assert.False(process.Flags["torch.backends.cudnn.benchmark"]!.GetValue<bool>());
        Assert.Equal("highest", process.Flags["torch.get_float32_matmul_precision"]!.GetValue<string>());
        Assert.Equal(42, process.Flags["torch.initial_seed"]!.GetValue<long>());
        Assert.Empty(process.Errors);
    }

    [Fact]
    public void Parse_UnsupportedInterpreterLine_KeepsItsErrorAndNoSeed()
    {
        var process = Assert.Single(PythonReportReader.Parse(Old, "python.jsonl").Processes);

        Assert.Equal(PythonHookStatus.Unsupported, process.Status);
        Assert.Null(process.Stream);
        Assert.Null(process.Seed);
        Assert.Equal(["Python 3.7.16 is older than 3.8, the oldest the hook supports"], process.Errors);
    }

    [Fact]
    public void Parse_LinesInExitOrder_OrdersProcessesByStreamWithNumbersAsNumbers()
    {
        var report = PythonReportReader.Parse(string.Join('\n', Worker10, Old, Worker2, Root), "python.jsonl");

        Assert.Equal(["/", "/mp:2", "/mp:10", null], report.Processes.Select(process => process.Stream));
    }

    [Fact]
    public void Parse_MalformedLines_WarnWithFileAndLineAndKeepTheOthers()
    {
        var text = string.Join('\n',
            Root,
            "{\"status\":\"seeded\",\"pid\":",
            "[1, 2]",
            """{"report":2,"status":"seeded","pid":5}""",
            """{"report":1,"status":"maybe","pid":5}""",
            """{"report":1,"status":"seeded","pid":5,"runSeed":1,"seed":1}""",
            """{"report":1,"status":"unsupported","pid":-3}""",
            "",
            Worker2,
            "");

        var report = PythonReportReader.Parse(text, "run/python.jsonl");

        Assert.Equal([100, 102], report.Processes.Select(process => process.Pid));
        Assert.Equal(6, report.Warnings.Count);
        Assert.StartsWith("run/python.jsonl:2:", report.Warnings[0], StringComparison.Ordinal);
        Assert.Equal("run/python.jsonl:3:1: not a Python hook report line: expected a JSON object", report.Warnings[1]);
        Assert.Equal("run/python.jsonl:4:1: not a Python hook report line: report format 2 is not 1, the one this repro reads", report.Warnings[2]);
        Assert.Equal("run/python.jsonl:5:1: not a Python hook report line: status \"maybe\" is not seeded, not-seeded or unsupported", report.Warnings[3]);
        Assert.Equal("run/python.jsonl:6:1: not a Python hook report line: stream is missing", report.Warnings[4]);
        Assert.Equal("run/python.jsonl:7:1: not a Python hook report line: pid -3 is not a process id", report.Warnings[5]);
    }

    [Fact]
    public void Parse_NestedFlagValue_IsAWarning()
    {
        var report = PythonReportReader.Parse("""{"report":1,"status":"unsupported","pid":3,"flags":{"x":[1]}}""", "r.jsonl");

        Assert.Empty(report.Processes);
        Assert.Equal("r.jsonl:1:1: not a Python hook report line: flag x is not a boolean, number, text or null", Assert.Single(report.Warnings));
    }

    [Fact]
    public void Parse_CarriageReturnLineEndsAndBlankLines_AreTolerated()
    {
        var report = PythonReportReader.Parse(Root + "\r\n\r\n   \n" + Worker2 + "\r\n", "r.jsonl");

        Assert.Empty(report.Warnings);
        Assert.Equal(2, report.Processes.Count);
    }

    [Fact]
    public void Read_MissingFile_IsAnEmptyReport()
    {
        var report = PythonReportReader.Read(Path.Combine(Path.GetTempPath(), $"repro-missing-{Guid.NewGuid():N}.jsonl"));

        Assert.Empty(report.Processes);
        Assert.Empty(report.Warnings);
    }
}
