namespace Repro.Cli.Output;

/// <summary>
/// UTC times as <c>list</c> and <c>show</c> print them (<c>2026-11-30 12:10:24</c>, <c>2026-11-30T12:10:24Z</c>), written
/// digit by digit: DateTime's custom format strings run generic formatting code that ReadyToRun leaves to the JIT,
/// about ten methods compiled at the start of every command that prints a time.
/// </summary>
internal static class UtcTimes
{
    /// <summary><c>yyyy-MM-dd HH:mm:ss</c>.</summary>
    public static string Spaced(DateTime utc) => Format(utc, ' ', zulu: false);

    /// <summary><c>yyyy-MM-ddTHH:mm:ssZ</c> (ISO 8601).</summary>
    public static string Iso(DateTime utc) => Format(utc, 'T', zulu: true);

    private static string Format(DateTime utc, char separator, bool zulu)
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
