using System.Text.Json.Nodes;
using Repro.Core.AutoSeed;
using Repro.Core.Runs;

namespace Repro.Core.Tests.AutoSeed;

public sealed class PythonFactsTests
{
    [Fact]
    public void Of_NoSection_HasNoFacts()
    {
        Assert.Empty(PythonFacts.Of(null));
    }

    [Fact]
    public void Of_HookOff_SaysSo()
    {
        Assert.Equal(new Dictionary<string, string> { ["python.autoSeed"] = "off" }, PythonFacts.Of(PythonRecord.Off));
    }

    [Fact]
    public void Of_SeededRun_ListsInterpreterLibraryVersionsFlagsAndErrors()
    {
        var record = new PythonRecord(true, "ab12", [
            Process(1, "/", [new("random", null, 42, "import"), new("torch", "2.1.0", 42, "import")], new JsonObject { ["torch.backends.cudnn.benchmark"] = false, ["torch.get_float32_matmul_precision"] = "highest" }),
            Process(2, "/mp:1", [new("torch", "2.1.0", 9, "worker")], new JsonObject { ["torch.backends.cudnn.benchmark"] = true }, "switching TF32 off for matmul and cuDNN failed (RuntimeError: x)"),
        ]);

        var facts = PythonFacts.Of(record);

        Assert.Equal(new Dictionary<string, string>
        {
            ["python.autoSeed"] = "on",
            ["python.errors"] = "switching TF32 off for matmul and cuDNN failed (RuntimeError: x)",
            ["python.flags.torch.backends.cudnn.benchmark"] = "false, true",
            ["python.flags.torch.get_float32_matmul_precision"] = "highest",
            ["python.hook"] = "ab12",
            ["python.interpreter"] = "cpython 3.11.2",
            ["python.libraries.random.version"] = "3.11.2",
            ["python.libraries.torch.version"] = "2.1.0",
        }, facts);
        Assert.Equal(facts.Keys.Order(StringComparer.Ordinal), facts.Keys);
    }

    [Fact]
    public void Of_TwoRunsWithAnotherTorch_DifferInTheTorchVersionOnly()
    {
        var first = PythonFacts.Of(new PythonRecord(true, "ab12", [Process(1, "/", [new("torch", "2.1.0", 42, "import")], [])]));
        var second = PythonFacts.Of(new PythonRecord(true, "ab12", [Process(7, "/", [new("torch", "2.2.0", 42, "import")], [])]));

        var differing = first.Keys.Union(second.Keys).Where(key => first.GetValueOrDefault(key) != second.GetValueOrDefault(key));

        Assert.Equal(["python.libraries.torch.version"], differing);
    }

    [Fact]
    public void Of_UnsupportedInterpreter_IsAFact()
    {
        var old = new PythonProcessRecord(3, 1, "/opt/python3.7", "3.7.16", "cpython", PythonHookStatus.Unsupported, null, null, null, [], [], ["too old"]);

        var facts = PythonFacts.Of(new PythonRecord(true, "ab12", [old]));

        Assert.Equal("interpreter too old", facts["python.unseeded"]);
        Assert.Equal("cpython 3.7.16", facts["python.interpreter"]);
    }

    private static PythonProcessRecord Process(int pid, string stream, IReadOnlyList<PythonLibraryRecord> libraries, JsonObject flags, params string[] errors) =>
        new(pid, 1, "/usr/bin/python3", "3.11.2", "cpython", PythonHookStatus.Seeded, stream, 42, 42, libraries, flags, errors);
}
