using Repro.Core.Processes;

namespace Repro.Core.Tests.Processes;

public sealed class ProcessTableTests
{
    [Fact]
    public void TryParseStat_CommandWithSpacesAndParentheses_CountsFieldsFromTheLastParenthesis()
    {
        const string stat = "4242 (my (odd) cmd) S 4200 4242 4242 34816 4242 4194560 100 0 0 0 1 2 0 0 20 0 1 0 123 456 78";

        Assert.True(ProcessTable.TryParseStat(stat, out var fields));

        Assert.Equal(new ProcessTable.StatFields('S', 4200, 4242, 4242), fields);
    }

    [Theory]
    [InlineData("")]
    [InlineData("4242 (cmd")]
    [InlineData("4242 (cmd) S x 1 1")]
    [InlineData("4242 (cmd) S 1 1")]
    public void TryParseStat_Malformed_IsRefused(string stat)
    {
        Assert.False(ProcessTable.TryParseStat(stat, out _));
    }

    [Fact]
    public void ParseVmHwm_StatusText_IsBytes()
    {
        Assert.Equal(123_456L * 1024, ProcessTable.ParseVmHwm("Name:\tpython\nVmPeak:\t  999 kB\nVmHWM:\t  123456 kB\nVmRSS:\t 1 kB\n"));
        Assert.Equal(0, ProcessTable.ParseVmHwm("Name:\tkthreadd\n"));
    }

    [UnixFact]
    public void SessionMembers_OwnSession_HoldsThisProcessOnlyIfItLeadsIt()
    {
        var self = Environment.ProcessId;
        var stat = File.ReadAllText($"/proc/{self}/stat");
        Assert.True(ProcessTable.TryParseStat(stat, out var fields));

        Assert.Contains(self, ProcessTable.SessionMembers(fields.Session));
    }
}
