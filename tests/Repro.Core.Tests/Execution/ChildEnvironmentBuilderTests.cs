using Repro.Core.Execution;
using Repro.Core.Runs;

namespace Repro.Core.Tests.Execution;

public sealed class ChildEnvironmentBuilderTests
{
    private static readonly DateTimeOffset CommitTime = new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void Build_PlainRun_SetsEverySwitchAndTheRunVariablesAsRepro()
    {
        var child = ChildEnvironmentBuilder.Build(Inputs(), new Dictionary<string, string> { ["PATH"] = "/usr/bin" });

        Assert.Equal("/usr/bin", child.Variables["PATH"]);
        Assert.Equal("42", child.Variables["PYTHONHASHSEED"]);
        Assert.Equal(":4096:8", child.Variables["CUBLAS_WORKSPACE_CONFIG"]);
        Assert.Equal(CommitTime.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), child.Variables["SOURCE_DATE_EPOCH"]);
        Assert.Equal("20240102-030405-000-0123abcd", child.Variables["REPRO_RUN_ID"]);
        Assert.Equal("42", child.Variables["REPRO_SEED"]);
        Assert.Equal("/store/runs/x/params.json", child.Variables["REPRO_PARAMS_FILE"]);
        Assert.Equal("/project/metrics.json", child.Variables["REPRO_METRICS_FILE"]);
        Assert.All(child.Determinism, variable => Assert.Equal(VariableSetter.Repro, variable.SetBy));
        Assert.Equal(child.Determinism.Select(variable => variable.Name).Distinct().Count(), child.Determinism.Count);
        Assert.All(child.Determinism, variable => Assert.Equal(child.Variables[variable.Name], variable.Value));
    }

    [Fact]
    public void Build_SwitchAlreadySet_IsLeftAloneAndRecordedAsWhoSetIt()
    {
        var inherited = new Dictionary<string, string> { ["CUBLAS_WORKSPACE_CONFIG"] = ":16:8" };
        var project = new Dictionary<string, string> { ["TF_DETERMINISTIC_OPS"] = "0" };

        var child = ChildEnvironmentBuilder.Build(Inputs(projectVariables: project), inherited);

        Assert.Equal(":16:8", child.Variables["CUBLAS_WORKSPACE_CONFIG"]);
        Assert.Equal(VariableSetter.User, Variable(child, "CUBLAS_WORKSPACE_CONFIG").SetBy);
        Assert.Equal("0", child.Variables["TF_DETERMINISTIC_OPS"]);
        Assert.Equal(VariableSetter.MLproject, Variable(child, "TF_DETERMINISTIC_OPS").SetBy);
    }

    [Fact]
    public void Build_RunVariablesInherited_AreReplacedBecauseTheRunDescribesItself()
    {
        var inherited = new Dictionary<string, string> { ["REPRO_RUN_ID"] = "parent", ["REPRO_SEED"] = "1" };

        var child = ChildEnvironmentBuilder.Build(Inputs(), inherited);

        Assert.Equal("20240102-030405-000-0123abcd", child.Variables["REPRO_RUN_ID"]);
        Assert.Equal("42", child.Variables["REPRO_SEED"]);
        Assert.Equal(VariableSetter.Repro, Variable(child, "REPRO_RUN_ID").SetBy);
    }

    [Fact]
    public void Build_EveryKindOfVariable_RecordsSwitchesThenRunVariablesEachInTheOrderGiven()
    {
        var inputs = Inputs(threads: 2) with
        {
            AdditionalSwitches = [new("PL_GLOBAL_SEED", "42", "Lightning seeds from it")],
            AdditionalRunVariables = [new("PYTHONPATH", "/store/python-hook", "the hook first")],
        };

        var child = ChildEnvironmentBuilder.Build(inputs, new Dictionary<string, string>());

        Assert.Equal(
            [
                "PYTHONHASHSEED", "CUBLAS_WORKSPACE_CONFIG", "TF_DETERMINISTIC_OPS", "TF_CUDNN_DETERMINISTIC", "SOURCE_DATE_EPOCH",
                "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_DYNAMIC", "OMP_DYNAMIC", "PL_GLOBAL_SEED",
                "REPRO_RUN_ID", "REPRO_RUN_DIR", "REPRO_SEED", "REPRO_PARAMS_FILE", "REPRO_METRICS_FILE", "PYTHONPATH",
            ],
            child.Determinism.Select(variable => variable.Name));
    }

    [Fact]
    public void Build_Threads_PinEveryPoolAndTurnDynamicAdjustmentOff()
    {
        var child = ChildEnvironmentBuilder.Build(Inputs(threads: 3), new Dictionary<string, string>());

        Assert.Equal(("3", "3", "3", "FALSE", "FALSE"), (child.Variables["OMP_NUM_THREADS"], child.Variables["MKL_NUM_THREADS"], child.Variables["OPENBLAS_NUM_THREADS"], child.Variables["MKL_DYNAMIC"], child.Variables["OMP_DYNAMIC"]));
    }

    [Fact]
    public void Build_NoThreadsAndNoCommit_SetsNeitherThreadCountsNorSourceDateEpoch()
    {
        var child = ChildEnvironmentBuilder.Build(Inputs(withCommit: false), new Dictionary<string, string>());

        Assert.False(child.Variables.ContainsKey("OMP_NUM_THREADS"));
        Assert.False(child.Variables.ContainsKey("SOURCE_DATE_EPOCH"));
    }

    [Fact]
    public void Build_Replay_AppliesTheRecordedSwitchesExactlyWhateverIsInheritedNow()
    {
        var recorded = new List<DeterminismVariable>
        {
            new("PYTHONHASHSEED", "7", VariableSetter.User, "recorded"),
            new("REPRO_RUN_ID", "the-original-run", VariableSetter.Repro, "recorded"),
        };
        var inherited = new Dictionary<string, string> { ["PYTHONHASHSEED"] = "999" };

        var child = ChildEnvironmentBuilder.Build(Inputs(), inherited, recorded);

        Assert.Equal("7", child.Variables["PYTHONHASHSEED"]);
        Assert.Equal(VariableSetter.User, Variable(child, "PYTHONHASHSEED").SetBy);
        Assert.False(child.Variables.ContainsKey("CUBLAS_WORKSPACE_CONFIG"));
        Assert.Equal("20240102-030405-000-0123abcd", child.Variables["REPRO_RUN_ID"]);
    }

    [Fact]
    public void Build_AdditionalSwitch_IsSetUnlessAlreadySetAndRecordedEitherWay()
    {
        var inputs = Inputs() with
        {
            AdditionalSwitches = [new("PL_GLOBAL_SEED", "42", "Lightning seeds from it"), new("PL_SEED_WORKERS", "1", "Lightning seeds workers")],
        };

        var child = ChildEnvironmentBuilder.Build(inputs, new Dictionary<string, string> { ["PL_SEED_WORKERS"] = "0" });

        Assert.Equal("42", child.Variables["PL_GLOBAL_SEED"]);
        Assert.Equal(new DeterminismVariable("PL_GLOBAL_SEED", "42", VariableSetter.Repro, "Lightning seeds from it"), Variable(child, "PL_GLOBAL_SEED"));
        Assert.Equal("0", child.Variables["PL_SEED_WORKERS"]);
        Assert.Equal(VariableSetter.User, Variable(child, "PL_SEED_WORKERS").SetBy);
    }

    [Fact]
    public void Build_AdditionalRunVariable_IsSetOverTheUsersAndTheProjectsAndRecordedAsRepro()
    {
        var inputs = Inputs(projectVariables: new Dictionary<string, string> { ["PYTHONPATH"] = "project-lib" }) with
        {
            AdditionalRunVariables = [new("PYTHONPATH", "/store/python-hook:project-lib", "the hook first")],
        };

        var child = ChildEnvironmentBuilder.Build(inputs, new Dictionary<string, string> { ["PYTHONPATH"] = "/home/u/lib" });

        Assert.Equal("/store/python-hook:project-lib", child.Variables["PYTHONPATH"]);
        Assert.Equal(new DeterminismVariable("PYTHONPATH", "/store/python-hook:project-lib", VariableSetter.Repro, "the hook first"), Variable(child, "PYTHONPATH"));
    }

    [Fact]
    public void Build_ReplayWithAdditionalRunVariables_ComputesThemAfreshInsteadOfReplayingThem()
    {
        var recorded = new List<DeterminismVariable>
        {
            new("PL_GLOBAL_SEED", "42", VariableSetter.Repro, "recorded"),
            new("REPRO_AUTOSEED_REPORT", "/store/runs/original/python-autoseed.jsonl", VariableSetter.Repro, "recorded"),
        };
        var inputs = Inputs() with { AdditionalRunVariables = [new("REPRO_AUTOSEED_REPORT", "/store/runs/x/python-autoseed.jsonl", "this run's report")] };

        var child = ChildEnvironmentBuilder.Build(inputs, new Dictionary<string, string>(), recorded);

        Assert.Equal("42", child.Variables["PL_GLOBAL_SEED"]);
        Assert.Equal("/store/runs/x/python-autoseed.jsonl", Variable(child, "REPRO_AUTOSEED_REPORT").Value);
        Assert.Equal("/store/runs/x/python-autoseed.jsonl", child.Variables["REPRO_AUTOSEED_REPORT"]);
    }

    [Fact]
    public void Build_Inherited_IsNotChanged()
    {
        var inherited = new Dictionary<string, string> { ["PATH"] = "/bin" };

        ChildEnvironmentBuilder.Build(Inputs(), inherited);

        Assert.Equal(["PATH"], inherited.Keys);
    }

    private static DeterminismVariable Variable(ChildEnvironment child, string name) => child.Determinism.Single(variable => variable.Name == name);

    private static ChildEnvironmentInputs Inputs(int? threads = null, bool withCommit = true, IReadOnlyDictionary<string, string>? projectVariables = null) => new(
        "20240102-030405-000-0123abcd",
        "/store/runs/x",
        42,
        "/store/runs/x/params.json",
        "/project/metrics.json",
        withCommit ? CommitTime : null,
        threads,
        projectVariables ?? new Dictionary<string, string>());
}
