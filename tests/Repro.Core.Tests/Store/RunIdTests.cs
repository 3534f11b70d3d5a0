using System.Globalization;
using Repro.Core.Store;

namespace Repro.Core.Tests.Store;

public sealed class RunIdTests
{
    public static TheoryData<DateTime> Times => new()
    {
        new DateTime(2026, 11, 30, 12, 10, 24, 281, DateTimeKind.Utc),
        new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc),
        new DateTime(9999, 12, 31, 23, 59, 59, 999, DateTimeKind.Utc),
        new DateTime(2024, 2, 29, 7, 5, 9, 7, DateTimeKind.Utc),
        new DateTime(2000, 10, 1, 10, 10, 10, 10, DateTimeKind.Utc),
    };

    [Theory]
    [MemberData(nameof(Times))]
    public void TimeText_AnyTime_IsWhatTheCustomDateFormatWrites(DateTime time)
    {
        Assert.Equal(time.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture), RunId.TimeText(time));
    }

    [Fact]
    public void New_StartTime_IsAWellFormedIdStartingWithTheUtcTime()
    {
        var startedAt = new DateTimeOffset(2026, 11, 30, 14, 10, 24, 281, TimeSpan.FromHours(2));

        var id = RunId.New(startedAt);

        Assert.True(RunId.IsWellFormed(id), id);
        Assert.StartsWith("20261130-121024-281-", id, StringComparison.Ordinal);
    }
}
