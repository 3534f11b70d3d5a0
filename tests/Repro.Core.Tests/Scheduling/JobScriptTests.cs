using Repro.Core.Scheduling;

namespace Repro.Core.Tests.Scheduling;

public sealed class JobScriptTests
{
    [Fact]
    public void Render_RunsSetupThenReproOnTheRunOfTheArrayIndex_QuotingEveryPath()
    {
        var script = JobScript.Render(["/opt/my tools/dotnet", "/opt/repro/repro.dll"], "/shared/it's/.repro", ["20260101-000000-000-aaaaaaaa", "20260101-000000-000-bbbbbbbb"], ["module load cuda/12"]);

        Assert.Equal(
            """
            #!/bin/bash
            # Written by repro (--backend slurm): runs one queued run of the store below on this node; docs/scale-out.md.
            set -e
            module load cuda/12
            runs=(20260101-000000-000-aaaaaaaa 20260101-000000-000-bbbbbbbb)
            exec '/opt/my tools/dotnet' /opt/repro/repro.dll slurm-job --store '/shared/it'"'"'s/.repro' "${runs[${SLURM_ARRAY_TASK_ID:-0}]}"

            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            script);
    }

    [Fact]
    public void SbatchArguments_Array_IsHeldParsableAndThrottled()
    {
        var job = new ClusterJob("repro-sweep", "#!/bin/bash\n", "/shared/job", "/shared/job/slurm-%A_%a.out", 4, 2, SlurmSettings.Parse("c.yaml", "partition: debug\n")) { IsArray = true };

        Assert.Equal(
            ["--parsable", "--hold", "--job-name=repro-sweep", "--output=/shared/job/slurm-%A_%a.out", "--chdir=/shared/job", "--array=0-3%2", "--partition=debug"],
            SlurmBackend.SbatchArguments(job));
    }

    [Fact]
    public void SbatchArguments_OneRun_HasNoArray()
    {
        var job = new ClusterJob("repro", "#!/bin/bash\n", "/shared/job", "/shared/job/slurm-%j.out", 1, null, SlurmSettings.Default);

        Assert.DoesNotContain(SlurmBackend.SbatchArguments(job), argument => argument.StartsWith("--array", StringComparison.Ordinal));
    }
}
