using Repro.Core.Capture.Data;

namespace Repro.Core.Tests.Capture.Data;

public sealed class HashProgressTextTests
{
    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(1536, "1.5 KiB")]
    [InlineData(1L << 30, "1.0 GiB")]
    [InlineData(5L << 40, "5.0 TiB")]
    public void FormatBytes_Count_UsesBinaryUnitsWithOneDecimal(long bytes, string expected)
    {
        Assert.Equal(expected, HashProgressText.FormatBytes(bytes));
    }

    [Fact]
    public void Format_HalfwayAfterOneSecond_ShowsBarPercentBytesRateAndEta()
    {
        var progress = new HashProgress(1L << 30, 2L << 30, 3, 16, TimeSpan.FromSeconds(1));

        var line = HashProgressText.Format(progress, width: 80);

        Assert.Equal(80, line.Length);
        Assert.StartsWith("hashing [", line, StringComparison.Ordinal);
        Assert.EndsWith("]  50%  1.0 GiB/2.0 GiB  1.0 GiB/s  ETA 0:01", line, StringComparison.Ordinal);
        var bar = line[(line.IndexOf('[', StringComparison.Ordinal) + 1)..line.IndexOf(']', StringComparison.Ordinal)];
        Assert.InRange(bar.Count(c => c == '#'), bar.Length / 2, (bar.Length + 1) / 2);
    }

    [Fact]
    public void Format_NothingHashedYet_ShowsUnknownEta()
    {
        var line = HashProgressText.Format(new HashProgress(0, 100, 0, 1, TimeSpan.Zero));

        Assert.EndsWith("  0%  0 B/100 B  0 B/s  ETA -:--", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_LongRemainder_ShowsHoursInEta()
    {
        var line = HashProgressText.Format(new HashProgress(1L << 20, 10L << 30, 0, 1, TimeSpan.FromSeconds(1)));

        Assert.EndsWith("ETA 2:50:39", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_NarrowTerminal_DropsTheBarAndFitsTheWidth()
    {
        var line = HashProgressText.Format(new HashProgress(1L << 30, 2L << 30, 3, 16, TimeSpan.FromSeconds(1)), width: 40);

        Assert.DoesNotContain("[", line, StringComparison.Ordinal);
        Assert.True(line.Length <= 40);
    }

    [Fact]
    public void Format_CompletePass_ShowsFullBar()
    {
        var line = HashProgressText.Format(new HashProgress(10, 10, 2, 2, TimeSpan.FromSeconds(2)), width: 60);

        Assert.DoesNotContain(".]", line, StringComparison.Ordinal);
        Assert.Contains("100%", line, StringComparison.Ordinal);
        Assert.EndsWith("ETA 0:00", line, StringComparison.Ordinal);
    }
}
