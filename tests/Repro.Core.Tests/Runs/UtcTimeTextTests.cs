using System.Globalization;
using Repro.Core.Runs;

namespace Repro.Core.Tests.Runs;

public sealed class UtcTimeTextTests
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
    public void Compact_AnyTime_IsWhatTheRunIdFormatWrites(DateTime time)
    {
        Assert.Equal(time.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture), UtcTimeText.Compact(time));
    }

    [Theory]
    [MemberData(nameof(Times))]
    public void SpacedAndIso_AnyTime_AreWhatTheCustomDateFormatsWrite(DateTime time)
    {
        Assert.Equal(time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), UtcTimeText.Spaced(time));
        Assert.Equal(time.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), UtcTimeText.Iso(time));
    }
}
