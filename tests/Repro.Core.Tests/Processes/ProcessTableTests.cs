using Repro.Core.Processes;

namespace Repro.Core.Tests.Processes;

public sealed class ProcessTableTests
{
    [Fact]
    public void TryParseStat_CommandWithSpacesAndParentheses_CountsFieldsFromTheLastParenthesis()
    {
        const string stat = "4242 (my (odd) cmd) S 4200 4242 4242 34816 4242 4194560 100 0 0 0 1 2 0 0 20 0 1 0 123 456 78";

        Assert.True(ProcessTable.TryParseStat(stat, out var fields));

        Assert.Equal(new ProcessTable.StatFields('S', 4200, 4242, 4242, 123), fields);
    }

    [Theory]
    [InlineData("")]
    [InlineData("4242 (cmd")]
    [InlineData("4242 (cmd) S x 1 1")]
    [InlineData("4242 (cmd) S 1 1")]
    [InlineData("4242 (cmd) S 4200 4242 4242 34816 4242 4194560 100 0 0 0 1 2 0 0 20 0 1 0")]
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

    [UnixFact]
    public void Stat_ThisProcess_IsReadThroughTheShortPathAndMatchesTheFileAsDotNetReadsIt()
    {
        Assert.True(ProcessTable.TryParseStat(File.ReadAllText($"/proc/{Environment.ProcessId}/stat"), out var expected));

        var fields = ProcessTable.Stat(Environment.ProcessId);

        Assert.NotNull(fields);
        Assert.Equal((expected.ParentId, expected.GroupId, expected.Session, expected.StartTime), (fields.Value.ParentId, fields.Value.GroupId, fields.Value.Session, fields.Value.StartTime));
    }

    [UnixFact]
    public void Stat_ProcessThatExited_IsNullWithoutAnExceptionThrown()
    {
        int pid;
        using (var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("true") { UseShellExecute = false })!)
        {
            process.WaitForExit();
            pid = process.Id;
        }

        var statPath = $"/proc/{pid}/stat";
        var thrown = 0;
        void Count(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs args)
        {
            if (args.Exception is IOException && args.Exception.Message.Contains(statPath, StringComparison.Ordinal))
            {
                Interlocked.Increment(ref thrown);
            }
        }

        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            Assert.Null(ProcessTable.Stat(pid));
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }

        // The supervisor looks its child up again once it has exited: a thrown exception there cost every run.
        Assert.Equal(0, thrown);
    }

    [UnixFact]
    public void TryReadSmallFile_FileThatFits_IsReadWholeAndOneThatDoesNotOrIsMissing_IsLeftToTheCaller()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [.. Enumerable.Range(0, 300).Select(i => (byte)i)]);
            var buffer = new byte[1024];

            Assert.Equal(300, NativeProcess.TryReadSmallFile(path, buffer));
            Assert.Equal([.. Enumerable.Range(0, 300).Select(i => (byte)i)], buffer[..300]);
            Assert.Equal(-1, NativeProcess.TryReadSmallFile(path, new byte[300]));
            Assert.Equal(NativeProcess.CannotOpen, NativeProcess.TryReadSmallFile(path + ".missing", buffer));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
