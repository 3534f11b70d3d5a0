using System.Globalization;
using Repro.Core.Randomness;
using Repro.Core.Runs;

namespace Repro.Core.Store;

/// <summary>
/// Run ids: <c>yyyyMMdd-HHmmss-fff-xxxxxxxx</c> (UTC start time, then 32 random bits in hex).
/// They sort by start time as plain strings, are safe file names on every OS, and two runs started in the
/// same millisecond still differ; the store also creates each run folder exclusively, so a collision can never clobber.
/// </summary>
public static class RunId
{
    private const string TimeFormat = "yyyyMMdd-HHmmss-fff";

    /// <summary>Length of every run id.</summary>
    public const int Length = 28;

    /// <summary>Makes a new id for a run starting at <paramref name="startedAt"/>.</summary>
    public static string New(DateTimeOffset startedAt)
    {
        var random = OsRandom.HexString(8);
        return UtcTimeText.Compact(startedAt.UtcDateTime) + "-" + random;
    }

    /// <summary>Whether <paramref name="text"/> has the exact shape of a run id.</summary>
    public static bool IsWellFormed(string text)
    {
        if (text.Length != Length)
        {
            return false;
        }

        return IsReferenceText(text)
            && DateTime.TryParseExact(text.AsSpan(0, TimeFormat.Length), TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
    }

    /// <summary>
    /// Whether <paramref name="text"/> may be a run id or a prefix of one: only digits, lower-case hex letters and dashes.
    /// Anything else (slashes, dots, other letters) can never name a run, which keeps user input from reaching outside the store.
    /// </summary>
    public static bool IsReferenceText(string text)
    {
        if (text.Length == 0 || text.Length > Length)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!(char.IsAsciiDigit(c) || (c >= 'a' && c <= 'f') || c == '-'))
            {
                return false;
            }
        }

        return true;
    }
}
