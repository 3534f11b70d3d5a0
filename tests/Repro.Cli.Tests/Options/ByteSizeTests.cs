using Repro.Cli.Options;

namespace Repro.Cli.Tests.Options;

public sealed class ByteSizeTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("1048576", 1048576L)]
    [InlineData("100MiB", 100L << 20)]
    [InlineData("100mib", 100L << 20)]
    [InlineData("2GiB", 2L << 30)]
    [InlineData("1.5KiB", 1536L)]
    [InlineData("500KB", 500_000L)]
    [InlineData("3 MB", 3_000_000L)]
    [InlineData("12B", 12L)]
    public void TryParse_SizeWithOrWithoutUnit_GivesBytes(string text, long expected)
    {
        Assert.True(ByteSize.TryParse(text, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("ten")]
    [InlineData("1.5B")]
    [InlineData("100XB")]
    [InlineData("99999999999TiB")]
    public void TryParse_NotASize_IsRefused(string text)
    {
        Assert.False(ByteSize.TryParse(text, out _));
    }
}
