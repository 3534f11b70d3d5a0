using System.Diagnostics;

namespace Repro.Cli;

/// <summary>The moment Main was entered, on the monotonic clock and the wall clock, for <c>--timings</c>.</summary>
/// <param name="Timestamp">A <see cref="Stopwatch.GetTimestamp"/> value.</param>
/// <param name="UtcNow">The wall-clock time at the same moment.</param>
internal sealed record ProcessClock(long Timestamp, DateTime UtcNow)
{
    /// <summary>Main entered now.</summary>
    public static ProcessClock Now() => new(Stopwatch.GetTimestamp(), DateTime.UtcNow);

    /// <summary>
    /// How long the process ran before Main: the runtime starting, loading and compiling. The process start time comes
    /// from the kernel in clock ticks (10 ms on Linux), so this is as coarse as that.
    /// </summary>
    public TimeSpan BeforeMain()
    {
        try
        {
            using var process = Process.GetCurrentProcess();
            var before = UtcNow - process.StartTime.ToUniversalTime();
            return before < TimeSpan.Zero ? TimeSpan.Zero : before;
        }
        catch (Exception exception) when (exception is InvalidOperationException or NotSupportedException or System.ComponentModel.Win32Exception)
        {
            return TimeSpan.Zero;
        }
    }
}
