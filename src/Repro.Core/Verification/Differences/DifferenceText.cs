using System.Globalization;

namespace Repro.Core.Verification.Differences;

/// <summary>How values read in summaries and in the text rendering.</summary>
internal static class DifferenceText
{
    /// <summary>A missing value.</summary>
    public const string None = "(none)";

    /// <summary>A variable that is not set.</summary>
    public const string Unset = "(unset)";

    private const int AbbreviatedHashLength = 12;

    /// <summary>The value, or <paramref name="absent"/>; commit SHAs and SHA-256 digests shortened as git shortens them.</summary>
    public static string Shown(string? value, string absent = None) =>
        value is null ? absent : IsLongHash(value) ? value[..AbbreviatedHashLength] : value;

    /// <summary>A number as it round-trips, or <see cref="None"/>.</summary>
    public static string Number(double? value) => value is { } number ? number.ToString(CultureInfo.InvariantCulture) : None;

    /// <summary>A change with its sign and six significant digits, which is what a person compares at a glance.</summary>
    public static string Signed(double value) => (value >= 0 ? "+" : string.Empty) + value.ToString("G6", CultureInfo.InvariantCulture);

    private static bool IsLongHash(string value) => value.Length >= 40 && value.All(char.IsAsciiHexDigitLower);
}
