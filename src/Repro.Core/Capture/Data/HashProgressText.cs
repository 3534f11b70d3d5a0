using System.Globalization;
using System.Text;

namespace Repro.Core.Capture.Data;

/// <summary>
/// The text of a hashing progress bar, for a terminal the caller owns:
/// <c>hashing [#########.........]  52%  1.0 GiB/2.0 GiB  1.4 GiB/s  ETA 0:01</c>.
/// </summary>
public static class HashProgressText
{
    private static readonly string[] s_units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    /// <summary>Renders <paramref name="progress"/> as one line no longer than <paramref name="width"/> characters.</summary>
    /// <param name="progress">The report to render.</param>
    /// <param name="width">The terminal width; the bar shrinks to fit and disappears below about 50 columns.</param>
    public static string Format(HashProgress progress, int width = 80)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var fraction = progress.BytesTotal > 0
            ? Math.Clamp((double)progress.BytesDone / progress.BytesTotal, 0, 1)
            : progress.IsComplete ? 1 : 0;
        var seconds = progress.Elapsed.TotalSeconds;
        var rate = seconds > 0 ? progress.BytesDone / seconds : 0;

        var tail = string.Create(
            CultureInfo.InvariantCulture,
            $" {fraction * 100,3:0}%  {FormatBytes(progress.BytesDone)}/{FormatBytes(progress.BytesTotal)}  {FormatBytes(rate)}/s  ETA {FormatEta(progress, rate)}");
        const string Head = "hashing ";
        var barWidth = width - Head.Length - tail.Length - 2;
        if (barWidth < 10)
        {
            var text = Head.TrimEnd() + tail;
            return text.Length <= width ? text : text[..Math.Max(width, 0)];
        }

        var filled = (int)Math.Round(fraction * barWidth);
        var line = new StringBuilder(width);
        line.Append(Head).Append('[').Append('#', filled).Append('.', barWidth - filled).Append(']').Append(tail);
        return line.ToString();
    }

    /// <summary>A byte count with a binary unit and one decimal: <c>0 B</c>, <c>512 B</c>, <c>1.5 KiB</c>, <c>2.0 GiB</c>.</summary>
    public static string FormatBytes(double bytes)
    {
        var unit = 0;
        while (bytes >= 1024 && unit < s_units.Length - 1)
        {
            bytes /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes:0} B")
            : string.Create(CultureInfo.InvariantCulture, $"{bytes:0.0} {s_units[unit]}");
    }

    private static string FormatEta(HashProgress progress, double rate)
    {
        if (progress.IsComplete)
        {
            return "0:00";
        }

        if (rate <= 0)
        {
            return "-:--";
        }

        var remaining = TimeSpan.FromSeconds(Math.Ceiling((progress.BytesTotal - progress.BytesDone) / rate));
        return remaining.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)remaining.TotalHours}:{remaining.Minutes:00}:{remaining.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{remaining.Minutes}:{remaining.Seconds:00}");
    }
}
