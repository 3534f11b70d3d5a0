using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Repro.Core.Projects.Python;

/// <summary>Python's <c>float</c>: <c>repr()</c> (which <c>str()</c> equals) and what <c>float(text)</c> accepts.</summary>
internal static partial class PythonFloatFormat
{
    /// <summary>
    /// <c>repr(value)</c>: the shortest digits that read back as the same double (the same digits .NET's round-trip
    /// format chooses), laid out by CPython's rule (Python/pystrtod.c, <c>format_float_short</c>): scientific when
    /// the decimal exponent is below -4 or at least 16 (<c>1e-05</c>, <c>1e+16</c>, two exponent digits at least),
    /// fixed otherwise with <c>.0</c> added to integral values; <c>inf</c>, <c>-inf</c>, <c>nan</c>, <c>-0.0</c>.
    /// </summary>
    public static string Repr(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        var negative = double.IsNegative(value);
        var (digits, pointPosition) = ShortestDigits(Math.Abs(value));
        var text = new StringBuilder();
        if (negative)
        {
            text.Append('-');
        }

        // value = 0.DIGITS x 10^pointPosition; CPython switches to scientific when pointPosition <= -4 or > 16.
        if (pointPosition <= -4 || pointPosition > 16)
        {
            var exponent = pointPosition - 1;
            text.Append(digits[0]);
            if (digits.Length > 1)
            {
                text.Append('.').Append(digits, 1, digits.Length - 1);
            }

            text.Append('e').Append(exponent < 0 ? '-' : '+').Append(Math.Abs(exponent).ToString("D2", CultureInfo.InvariantCulture));
        }
        else if (pointPosition <= 0)
        {
            text.Append("0.").Append('0', -pointPosition).Append(digits);
        }
        else if (pointPosition < digits.Length)
        {
            text.Append(digits, 0, pointPosition).Append('.').Append(digits, pointPosition, digits.Length - pointPosition);
        }
        else
        {
            text.Append(digits).Append('0', pointPosition - digits.Length).Append(".0");
        }

        return text.ToString();
    }

    /// <summary>
    /// What Python's <c>float(text)</c> gives, for text with underscores already removed: surrounding whitespace
    /// ignored; decimal digits with an optional point and exponent, or <c>inf</c>, <c>infinity</c>, <c>nan</c> in any
    /// letter case. Null where Python raises <c>ValueError</c>.
    /// </summary>
    public static double? Parse(string text)
    {
        var trimmed = text.Trim(' ', '\t', '\n', '\r', '\v', '\f');
        if (!FloatSyntax().IsMatch(trimmed))
        {
            return null;
        }

        var lower = trimmed.ToLowerInvariant();
        var unsigned = lower.TrimStart('+', '-');
        var sign = lower.StartsWith('-') ? -1.0 : 1.0;
        return unsigned switch
        {
            "inf" or "infinity" => sign * double.PositiveInfinity,
            "nan" => double.NaN,
            _ => double.Parse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
    }

    // The digits of the shortest round-trip representation (no leading or trailing zeros) and where the decimal
    // point goes. .NET Core 3.0 and later print doubles with the shortest round-tripping digits, as CPython's repr does.
    private static (string Digits, int PointPosition) ShortestDigits(double magnitude)
    {
        if (magnitude == 0)
        {
            return ("0", 1);
        }

        var shortest = magnitude.ToString("R", CultureInfo.InvariantCulture);
        var exponentAt = shortest.IndexOfAny(['E', 'e']);
        var mantissa = exponentAt < 0 ? shortest : shortest[..exponentAt];
        var exponent = exponentAt < 0 ? 0 : int.Parse(shortest[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var integerPart = point < 0 ? mantissa : mantissa[..point];
        var fractionPart = point < 0 ? string.Empty : mantissa[(point + 1)..];
        var allDigits = integerPart + fractionPart;
        var leadingZeros = allDigits.Length - allDigits.TrimStart('0').Length;
        var digits = allDigits.Trim('0');
        return (digits, integerPart.Length - leadingZeros + exponent);
    }

    [GeneratedRegex(@"^[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf|infinity|nan)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FloatSyntax();
}
