using System.Globalization;
using System.Text;
using Repro.Core.Diagnostics;

namespace Repro.Cli.Output;

/// <summary>
/// What <c>--timings</c> prints on standard error after the command: every measured span with its start and length
/// in milliseconds from the process start, so that a reader sees where the time went and what ran side by side.
/// </summary>
internal static class TimingsReport
{
    public static string Render(IReadOnlyList<TimingSpan> spans, TimeSpan beforeMain, TimeSpan total)
    {
        var text = new StringBuilder();
        text.Append("repro: timings (wall clock, ms from the process start; spans that overlap ran side by side)\n");
        text.Append("repro:   start   took  span\n");
        Append(text, TimeSpan.Zero, beforeMain, "runtime start, before Main");
        foreach (var span in spans)
        {
            Append(text, beforeMain + span.Start, span.Duration, span.Name);
        }

        Append(text, TimeSpan.Zero, total, "total");
        return text.ToString();
    }

    private static void Append(StringBuilder text, TimeSpan start, TimeSpan duration, string name) =>
        text.Append(CultureInfo.InvariantCulture, $"repro: {Milliseconds(start),7} {Milliseconds(duration),6}  {name}\n");

    private static string Milliseconds(TimeSpan time) => time.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);
}
