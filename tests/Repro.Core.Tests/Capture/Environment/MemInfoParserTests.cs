using Repro.Core.Capture.Environment;

namespace Repro.Core.Tests.Capture.Environment;

public sealed class MemInfoParserTests
{
    [Fact]
    public void ParseTotalBytes_MemTotalInKibibytes_GivesBytes()
    {
        Assert.Equal(24684096L * 1024, MemInfoParser.ParseTotalBytes(Fixture.Read("meminfo.txt")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("MemFree: 10 kB\n")]
    [InlineData("MemTotal: lots kB\n")]
    [InlineData("MemTotal: 10 MB\n")]
    public void ParseTotalBytes_MissingOrMalformed_GivesUnknown(string text)
    {
        Assert.Null(MemInfoParser.ParseTotalBytes(text));
    }
}
