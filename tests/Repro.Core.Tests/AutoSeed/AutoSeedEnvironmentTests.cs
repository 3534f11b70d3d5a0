using Repro.Core.AutoSeed;

namespace Repro.Core.Tests.AutoSeed;

public sealed class AutoSeedEnvironmentTests
{
    private static readonly PythonHookFolder Hook = new("/runs/r1/python-hook", PythonHook.Sha256);

    [Fact]
    public void Switches_Seed_SetsLightningsGlobalSeedAndWorkerSeeding()
    {
        var switches = AutoSeedEnvironment.Switches(4294967295).ToDictionary(variable => variable.Name, variable => variable.Value, StringComparer.Ordinal);

        Assert.Equal(new Dictionary<string, string> { ["PL_GLOBAL_SEED"] = "4294967295", ["PL_SEED_WORKERS"] = "1" }, switches);
    }

    [Fact]
    public void Switches_EachNamesItsSourceAndReason()
    {
        Assert.All(AutoSeedEnvironment.Switches(1), variable =>
        {
            Assert.StartsWith("https://", variable.Source, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(variable.Reason));
        });
    }

    [Fact]
    public void HookVariables_UserPythonPath_HookFirstThenTheUsersAndTheReportFile()
    {
        var variables = AutoSeedEnvironment.HookVariables(Hook, "/runs/r1/python.jsonl", "/home/u/lib").ToDictionary(variable => variable.Name, variable => variable.Value, StringComparer.Ordinal);

        Assert.Equal($"/runs/r1/python-hook{Path.PathSeparator}/home/u/lib", variables["PYTHONPATH"]);
        Assert.Equal("/runs/r1/python.jsonl", variables[AutoSeedEnvironment.ReportVariable]);
        Assert.Equal(2, variables.Count);
    }

    [Fact]
    public void VariablesToClear_HoldTheAnnouncementMarker()
    {
        Assert.Equal([AutoSeedEnvironment.AnnouncedVariable], AutoSeedEnvironment.VariablesToClear);
    }

    [Fact]
    public void Names_AreTheOnesTheHookReads()
    {
        var hook = System.Text.Encoding.UTF8.GetString(PythonHook.Content("_repro_autoseed.py").Span);

        Assert.Contains($"SEED_VARIABLE = \"{AutoSeedEnvironment.SeedVariable}\"", hook, StringComparison.Ordinal);
        Assert.Contains($"REPORT_VARIABLE = \"{AutoSeedEnvironment.ReportVariable}\"", hook, StringComparison.Ordinal);
        Assert.Contains($"ANNOUNCED_VARIABLE = \"{AutoSeedEnvironment.AnnouncedVariable}\"", hook, StringComparison.Ordinal);
    }
}
