using Repro.Core.Scheduling;

namespace Repro.Core.Tests.Scheduling;

public sealed class SlurmJobStatesTests
{
    // Captured from `scontrol show job -o` on slurm-wlm 22.05.8 (shortened: fields repro does not read are left out).
    private const string Ended = "JobId=7 JobName=repro UserId=root(0) Priority=1 JobState=TIMEOUT Reason=TimeLimit Dependency=(null) ExitCode=0:15 Partition=debug NodeList=vm\n";

    private const string Array = """
        JobId=12 ArrayJobId=10 ArrayTaskId=2 ArrayTaskThrottle=2 JobName=sweep JobState=RUNNING Reason=None ExitCode=0:0 Partition=debug
        JobId=11 ArrayJobId=10 ArrayTaskId=1 ArrayTaskThrottle=2 JobName=sweep JobState=COMPLETED Reason=None ExitCode=0:0 Partition=debug
        JobId=10 ArrayJobId=10 ArrayTaskId=3-5%2 ArrayTaskThrottle=2 JobName=sweep JobState=PENDING Reason=JobArrayTaskLimit ExitCode=0:0 Partition=debug
        """;

    [Fact]
    public void Parse_EndedJob_GivesStateReasonAndExitCode()
    {
        var state = SlurmJobStates.Parse(Ended)["7"];

        Assert.Equal(new ClusterTaskState("7", "TIMEOUT", "TimeLimit", 0, 15), state);
        Assert.True(state.HasEnded);
        Assert.True(state.WasStopped);
        Assert.Equal("Slurm job 7 TIMEOUT (reason: TimeLimit)", state.Describe());
    }

    [Fact]
    public void Parse_Array_GivesEveryTaskItsOwnStateAndExpandsThePendingRange()
    {
        var states = SlurmJobStates.Parse(Array);

        Assert.Equal(["10_1", "10_2", "10_3", "10_4", "10_5"], states.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("RUNNING", states["10_2"].State);
        Assert.False(states["10_2"].HasEnded);
        Assert.Equal("COMPLETED", states["10_1"].State);
        Assert.Equal("PENDING", states["10_4"].State);
    }

    [Theory]
    [InlineData("4", new[] { 4 })]
    [InlineData("0-3%2", new[] { 0, 1, 2, 3 })]
    [InlineData("1,3,7-8", new[] { 1, 3, 7, 8 })]
    [InlineData("0-6:3", new[] { 0, 3, 6 })]
    public void ArrayIndexes_SlurmsListForms_AreExpanded(string text, int[] expected)
    {
        Assert.Equal(expected, SlurmJobStates.ArrayIndexes(text));
    }

    [Fact]
    public void Parse_Noise_GivesNothing()
    {
        Assert.Empty(SlurmJobStates.Parse("slurm_load_jobs error: Invalid job id specified\n"));
    }
}
