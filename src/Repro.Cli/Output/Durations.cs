using System.Globalization;

namespace Repro.Cli.Output;

/// <summary>Durations as people read them: 850 ms, 3.2 s, 4 min 05 s, 2 h 03 min.</summary>
internal static class Durations
{
    public static string Format(double seconds)
    {
        var culture = CultureInfo.InvariantCulture;
        if (seconds < 1)
        {
            return string.Create(culture, $"{seconds * 1000:0} ms");
        }

        if (seconds < 60)
        {
            return string.Create(culture, $"{seconds:0.0} s");
        }

        var span = TimeSpan.FromSeconds(seconds);
        return span.TotalHours < 1
            ? string.Create(culture, $"{(int)span.TotalMinutes} min {span.Seconds:00} s")
            : string.Create(culture, $"{(int)span.TotalHours} h {span.Minutes:00} min");
    }
}
