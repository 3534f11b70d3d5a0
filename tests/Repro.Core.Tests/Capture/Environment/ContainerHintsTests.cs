using Repro.Core.Capture.Environment;

namespace Repro.Core.Tests.Capture.Environment;

public sealed class ContainerHintsTests
{
    private static readonly Dictionary<string, string> NoVariables = new(StringComparer.Ordinal);

    [Theory]
    [InlineData("cgroup-v1-docker.txt", true)]
    [InlineData("cgroup-v2-kubernetes.txt", true)]
    [InlineData("cgroup-v1-host.txt", false)]
    [InlineData("cgroup-v2-host.txt", false)]
    public void FromCgroup_Sample_Decides(string fixture, bool container)
    {
        Assert.Equal(container, ContainerHints.FromCgroup(Fixture.Read(fixture)));
    }

    [Fact]
    public void FromCgroup_PrivateNamespaceRoot_IsUnknown()
    {
        Assert.Null(ContainerHints.FromCgroup(Fixture.Read("cgroup-v2-private-namespace.txt")));
    }

    [Fact]
    public void Decide_DockerEnvFile_IsContainerWhateverTheCgroupSays()
    {
        Assert.True(ContainerHints.Decide(true, false, NoVariables, Fixture.Read("cgroup-v2-host.txt")));
    }

    [Fact]
    public void Decide_PodmanContainerEnvFile_IsContainer()
    {
        Assert.True(ContainerHints.Decide(false, true, NoVariables, null));
    }

    [Fact]
    public void Decide_DotnetImageVariable_IsContainer()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal) { ["DOTNET_RUNNING_IN_CONTAINER"] = "true" };

        Assert.True(ContainerHints.Decide(false, false, variables, Fixture.Read("cgroup-v2-private-namespace.txt")));
    }

    [Fact]
    public void Decide_NoEvidenceAndUnreadableCgroup_IsUnknown()
    {
        Assert.Null(ContainerHints.Decide(false, false, NoVariables, null));
    }
}
