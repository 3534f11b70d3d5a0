using Repro.Core.Store;

namespace Repro.Core.Tests.Store;

public sealed class RunIdTests
{
    [Fact]
    public void New_StartTime_IsAWellFormedIdStartingWithTheUtcTime()
    {
        var startedAt = new DateTimeOffset(2026, 11, 30, 14, 10, 24, 281, TimeSpan.FromHours(2));

        var id = RunId.New(startedAt);

        Assert.True(RunId.IsWellFormed(id), id);
        Assert.StartsWith("20261130-121024-281-", id, StringComparison.Ordinal);
    }
}
