using Repro.Core.Runs;
using Repro.Core.Scheduling;
using Repro.Core.Tests.Verification.Differences;

namespace Repro.Core.Tests.Scheduling;

public sealed class ClusterRunsTests
{
    private static readonly SchedulerRecord Job = new() { Backend = "slurm", JobId = "7", SubmittedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero) };

    private static RunManifest Submitted(RunStatus status) => TestManifests.Original() with { Status = status, StatusMessage = null, Scheduler = Job };

    [Fact]
    public void Settle_QueuedJobCancelledWhilePending_IsKilledAndSaysItNeverStarted()
    {
        var settled = ClusterRuns.Settle(Submitted(RunStatus.Queued), new ClusterTaskState("7", "CANCELLED", "None", 0, 0));

        Assert.Equal(RunStatus.Killed, settled!.Status);
        Assert.Equal("Slurm job 7 CANCELLED; the job ended without recording the run's end (it never started)", settled.StatusMessage);
        Assert.Equal("CANCELLED", settled.Scheduler!.FinalState);
    }

    [Fact]
    public void Settle_RunningJobOutOfMemory_IsFailedWithSlurmsState()
    {
        var settled = ClusterRuns.Settle(Submitted(RunStatus.Running), new ClusterTaskState("7", "OUT_OF_MEMORY", "OutOfMemory", 0, 9));

        Assert.Equal(RunStatus.Failed, settled!.Status);
        Assert.StartsWith("Slurm job 7 OUT_OF_MEMORY (reason: OutOfMemory)", settled.StatusMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Settle_JobSlurmForgot_IsFailedAndSaysSo()
    {
        var settled = ClusterRuns.Settle(Submitted(RunStatus.Running), null);

        Assert.Equal(RunStatus.Failed, settled!.Status);
        Assert.Equal("Slurm no longer knows job 7, and the job never recorded the run's end", settled.StatusMessage);
    }

    [Fact]
    public void Settle_JobStillPendingOrRunning_ChangesNothing()
    {
        Assert.Null(ClusterRuns.Settle(Submitted(RunStatus.Queued), new ClusterTaskState("7", "PENDING", "Priority", null, null)));
        Assert.Null(ClusterRuns.Settle(Submitted(RunStatus.Running), new ClusterTaskState("7", "RUNNING", "None", null, null)));
    }

    [Fact]
    public void Settle_RunTheJobRecordedKilledByATimeLimit_GetsSlurmsReasonFirst()
    {
        var killed = Submitted(RunStatus.Killed) with { StatusMessage = "interrupted by SIGTERM; the process tree was stopped" };

        var settled = ClusterRuns.Settle(killed, new ClusterTaskState("7", "TIMEOUT", "TimeLimit", 0, 15));

        Assert.Equal(RunStatus.Killed, settled!.Status);
        Assert.Equal("Slurm job 7 TIMEOUT (reason: TimeLimit): interrupted by SIGTERM; the process tree was stopped", settled.StatusMessage);
        Assert.Equal("TIMEOUT", settled.Scheduler!.FinalState);
        Assert.Null(ClusterRuns.Settle(settled, new ClusterTaskState("7", "TIMEOUT", "TimeLimit", 0, 15)));
    }

    [Fact]
    public void Settle_FinishedRun_ChangesNothing()
    {
        Assert.Null(ClusterRuns.Settle(Submitted(RunStatus.Finished), new ClusterTaskState("7", "COMPLETED", "None", 0, 0)));
    }
}
