namespace Repro.Core.Runs;

/// <summary>
/// UTC times as repro writes them: in run ids (<c>20261130-121024-281</c>) and in <c>list</c> and <c>show</c>
/// (<c>2026-11-30 12:10:24</c>, <c>2026-11-30T12:10:24Z</c>). Written digit by digit, with the same result as
/// DateTime's custom formats under the invariant culture: those run generic formatting code that ReadyToRun leaves to
/// the JIT, about ten methods compiled at the start of every command that writes a time.
/// </summary>
public static class UtcTimeText
{
    /// <summary><c>yyyyMMdd-HHmmss-fff</c>: the time part of a run id.</summary>
    /// <param name="utc">A UTC time.</param>
    public static string Compact(DateTime utc)
    {
        Span<char> text = stackalloc char[19];
        Digits(text[..4], utc.Year);
        Digits(text[4..6], utc.Month);
        Digits(text[6..8], utc.Day);
        text[8] = '-';
        Digits(text[9..11], utc.Hour);
        Digits(text[11..13], utc.Minute);
        Digits(text[13..15], utc.Second);
        text[15] = '-';
        Digits(text[16..19], utc.Millisecond);
        return new string(text);
    }

    /// <summary><c>yyyy-MM-dd HH:mm:ss</c>.</summary>
    /// <param name="utc">A UTC time.</param>
    public static string Spaced(DateTime utc) => Readable(utc, ' ', zulu: false);

    /// <summary><c>yyyy-MM-ddTHH:mm:ssZ</c> (ISO 8601).</summary>
    /// <param name="utc">A UTC time.</param>
    public static string Iso(DateTime utc) => Readable(utc, 'T', zulu: true);

    private static string Readable(DateTime utc, char separator, bool zulu)
    {
        Span<char> text = stackalloc char[20];
        Digits(text[..4], utc.Year);
        text[4] = '-';
        Digits(text[5..7], utc.Month);
        text[7] = '-';
        Digits(text[8..10], utc.Day);
        text[10] = separator;
        Digits(text[11..13], utc.Hour);
        text[13] = ':';
        Digits(text[14..16], utc.Minute);
        text[16] = ':';
        Digits(text[17..19], utc.Second);
        text[19] = 'Z';
        return new string(text[..(zulu ? 20 : 19)]);
    }

    private static void Digits(Span<char> text, int value)
    {
        for (var i = text.Length - 1; i >= 0; i--)
        {
            text[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }
}
