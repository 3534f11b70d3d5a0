using System.Globalization;
using System.Text;

namespace Repro.Core.Verification.Comparison;

/// <summary>How values appear in summaries and details: invariant numbers, quoted and shortened strings.</summary>
internal static class DisplayText
{
    /// <summary>Longest excerpt of a string shown in a detail line.</summary>
    public const int MaxExcerpt = 120;

    /// <summary>A number as it round-trips, with inf and NaN spelled as numpy prints them.</summary>
    public static string Number(double value) => value switch
    {
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>A difference, to six significant digits: enough to judge a tolerance, short enough to read.</summary>
    public static string Difference(double value) => value switch
    {
        double.PositiveInfinity => "inf",
        _ when double.IsNaN(value) => "n/a",
        _ => value.ToString("G6", CultureInfo.InvariantCulture),
    };

    /// <summary>"abs diff A, rel diff R", or why there is none when NaN or an infinity faces something else.</summary>
    public static string Differences(double absolute, double relative) =>
        double.IsNaN(absolute)
            ? NotComparable
            : $"abs diff {Difference(absolute)}, rel diff {Difference(relative)}";

    /// <summary>Why NaN against 1 has no difference to show and no tolerance to pass.</summary>
    public const string NotComparable = "NaN and infinities match only themselves";

    /// <summary>"differs" for one, "differ" for more.</summary>
    public static string Differ(long count) => count == 1 ? "differs" : "differ";

    /// <summary>"1 byte", "3 bytes": a count with its unit, singular when one.</summary>
    public static string Count(long count, string unit) => Count(count, unit, unit + "s");

    /// <summary>"1 entry", "3 entries": a count with its unit, for a unit with an irregular plural.</summary>
    public static string Count(long count, string singular, string plural) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? singular : plural)}");

    /// <summary>"a", "a and b", "a, b and c".</summary>
    public static string List(IReadOnlyList<string> items) => items.Count switch
    {
        0 => string.Empty,
        1 => items[0],
        _ => $"{string.Join(", ", items.Take(items.Count - 1))} and {items[^1]}",
    };

    /// <summary>
    /// The string in double quotes with control characters escaped, cut to <see cref="MaxExcerpt"/> characters
    /// around <paramref name="focus"/> (the first differing character) with "..." where text was left out.
    /// </summary>
    public static string Quote(string value, int focus = 0)
    {
        var start = 0;
        if (value.Length > MaxExcerpt && focus > MaxExcerpt / 3)
        {
            start = Math.Min(focus - (MaxExcerpt / 3), value.Length - MaxExcerpt);
        }

        var length = Math.Min(MaxExcerpt, value.Length - start);
        if (start > 0 && char.IsLowSurrogate(value[start]))
        {
            start++;
            length--;
        }

        if (start + length < value.Length && length > 0 && char.IsHighSurrogate(value[start + length - 1]))
        {
            length--;
        }

        var builder = new StringBuilder(length + 8);
        if (start > 0)
        {
            builder.Append("...");
        }

        builder.Append('"');
        foreach (var c in value.AsSpan(start, length))
        {
            AppendEscaped(builder, c);
        }

        builder.Append('"');
        if (start + length < value.Length)
        {
            builder.Append("...");
        }

        return builder.ToString();
    }

    /// <summary>Index of the first character where the two strings differ; the shorter length when one is a prefix.</summary>
    public static int FirstDifference(string left, string right) =>
        left.AsSpan().CommonPrefixLength(right.AsSpan());

    private static void AppendEscaped(StringBuilder builder, char c)
    {
        switch (c)
        {
            case '"':
                builder.Append("\\\"");
                break;
            case '\\':
                builder.Append("\\\\");
                break;
            case '\t':
                builder.Append("\\t");
                break;
            case '\r':
                builder.Append("\\r");
                break;
            case '\n':
                builder.Append("\\n");
                break;
            default:
                if (char.IsControl(c))
                {
                    builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                }
                else
                {
                    builder.Append(c);
                }

                break;
        }
    }
}
