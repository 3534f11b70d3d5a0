using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace Repro.Core.Projects.Python;

/// <summary>
/// What PyYAML's <c>yaml.safe_load</c> (YAML 1.1), which MLflow reads MLproject files with, makes of a scalar:
/// the implicit resolvers of PyYAML's resolver.py (which tag a plain scalar gets, by its first character and a
/// regular expression) and the constructors of its constructor.py (<c>SafeConstructor.construct_yaml_*</c>).
/// </summary>
internal static partial class PyYamlScalars
{
    /// <summary>The tag prefix YAML's <c>!!</c> handle stands for.</summary>
    public const string TagPrefix = "tag:yaml.org,2002:";

    private const int MaxDecimalDigits = 4300;

    /// <summary>
    /// The value of a scalar, or a <see cref="PyYamlException"/> with the reason PyYAML fails on it.
    /// </summary>
    /// <param name="text">The scalar's text after unquoting and folding.</param>
    /// <param name="isPlain">Whether it was written without quotes or block style.</param>
    /// <param name="tag">Its explicit tag, expanded (<c>tag:yaml.org,2002:int</c>, <c>!foo</c>), or null.</param>
    public static PythonValue Construct(string text, bool isPlain, string? tag)
    {
        // PyYAML resolves a plain untagged scalar and, unlike the YAML spec, any scalar tagged with the
        // non-specific '!' (yaml/parser.py: implicit = (True, False) when tag == '!').
        var resolvedTag = tag is null or "!" ? (isPlain || tag == "!" ? ImplicitTag(text) : TagPrefix + "str") : Expand(tag);
        return resolvedTag switch
        {
            TagPrefix + "str" => new PythonString(text),
            TagPrefix + "null" => PythonNone.Instance,
            TagPrefix + "bool" => ConstructBool(text),
            TagPrefix + "int" => new PythonInt(ConstructInt(text)),
            TagPrefix + "float" => new PythonFloat(ConstructFloat(text)),
            TagPrefix + "timestamp" => ConstructTimestamp(text),
            TagPrefix + "binary" => ConstructBinary(text),
            TagPrefix + "seq" or TagPrefix + "map" or TagPrefix + "omap" or TagPrefix + "pairs" or TagPrefix + "set" =>
                throw new PyYamlException($"a value tagged {Short(resolvedTag)} must be a {(resolvedTag.EndsWith("seq", StringComparison.Ordinal) || resolvedTag.EndsWith("omap", StringComparison.Ordinal) || resolvedTag.EndsWith("pairs", StringComparison.Ordinal) ? "list" : "mapping")}, not a single value"),
            _ => throw new PyYamlException($"PyYAML's safe loader has no constructor for the tag '{Short(resolvedTag)}'"),
        };
    }

    /// <summary>
    /// The tag PyYAML's resolver gives a plain scalar: <c>tag:yaml.org,2002:</c> followed by <c>bool</c>, <c>float</c>,
    /// <c>int</c>, <c>merge</c>, <c>null</c>, <c>timestamp</c>, <c>value</c>, or <c>str</c> when none matches.
    /// </summary>
    public static string ImplicitTag(string text)
    {
        // Resolvers are tried in the order they were added, among those registered for the first character.
        var first = text.Length == 0 ? '\0' : text[0];
        if ("yYnNtTfFoO".Contains(first, StringComparison.Ordinal) && BoolPattern().IsMatch(text))
        {
            return TagPrefix + "bool";
        }

        if ("-+0123456789.".Contains(first, StringComparison.Ordinal) && first != '\0' && FloatPattern().IsMatch(text))
        {
            return TagPrefix + "float";
        }

        if ("-+0123456789".Contains(first, StringComparison.Ordinal) && first != '\0' && IntPattern().IsMatch(text))
        {
            return TagPrefix + "int";
        }

        if (text == "<<")
        {
            return TagPrefix + "merge";
        }

        if ((text.Length == 0 || "~nN".Contains(first, StringComparison.Ordinal)) && NullPattern().IsMatch(text))
        {
            return TagPrefix + "null";
        }

        if (first is >= '0' and <= '9' && TimestampPattern().IsMatch(text))
        {
            return TagPrefix + "timestamp";
        }

        return text == "=" ? TagPrefix + "value" : TagPrefix + "str";
    }

    /// <summary>A tag as written in messages: <c>!!int</c> for the standard ones.</summary>
    public static string Short(string tag) => tag.StartsWith(TagPrefix, StringComparison.Ordinal) ? "!!" + tag[TagPrefix.Length..] : tag;

    /// <summary>The tag with the <c>!!</c> handle expanded.</summary>
    public static string Expand(string tag) => tag.StartsWith("!!", StringComparison.Ordinal) ? TagPrefix + tag[2..] : tag;

    private static PythonBool ConstructBool(string text) => text.ToLowerInvariant() switch
    {
        "yes" or "true" or "on" => new PythonBool(true),
        "no" or "false" or "off" => new PythonBool(false),
        _ => throw new PyYamlException($"'{text}' is not a YAML 1.1 boolean (yes, no, true, false, on, off)"),
    };

    // SafeConstructor.construct_yaml_int.
    private static BigInteger ConstructInt(string text)
    {
        var value = text.Replace("_", string.Empty, StringComparison.Ordinal);
        if (value.Length == 0)
        {
            throw new PyYamlException("an empty value is not an integer");
        }

        var sign = value[0] == '-' ? BigInteger.MinusOne : BigInteger.One;
        if (value[0] is '+' or '-')
        {
            value = value[1..];
        }

        if (value == "0")
        {
            return BigInteger.Zero;
        }

        if (value.StartsWith("0b", StringComparison.Ordinal))
        {
            return sign * PythonIntParse(value[2..], 2, text);
        }

        if (value.StartsWith("0x", StringComparison.Ordinal))
        {
            return sign * PythonIntParse(value[2..], 16, text);
        }

        if (value.StartsWith('0'))
        {
            return sign * PythonIntParse(value, 8, text);
        }

        if (value.Contains(':', StringComparison.Ordinal))
        {
            var total = BigInteger.Zero;
            var place = BigInteger.One;
            foreach (var part in value.Split(':').Reverse())
            {
                total += PythonIntParse(part, 10, text) * place;
                place *= 60;
            }

            return sign * total;
        }

        return sign * PythonIntParse(value, 10, text);
    }

    // Python's int(text, base) for text without underscores: surrounding whitespace, a sign, and the base's own
    // prefix (0b, 0o, 0x) are allowed; decimal text of more than 4300 digits is refused (CPython 3.11+).
    private static BigInteger PythonIntParse(string text, int numberBase, string original)
    {
        var digits = text.Trim(' ', '\t', '\n', '\r', '\v', '\f');
        var negative = false;
        if (digits.Length > 0 && digits[0] is '+' or '-')
        {
            negative = digits[0] == '-';
            digits = digits[1..];
        }

        var prefix = numberBase switch { 2 => "0b", 8 => "0o", 16 => "0x", _ => null };
        if (prefix is not null && digits.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            digits = digits[2..];
        }

        if (digits.Length == 0)
        {
            throw new PyYamlException($"'{original}' is not an integer in base {numberBase}");
        }

        if (numberBase == 10 && digits.Length > MaxDecimalDigits)
        {
            throw new PyYamlException($"'{original[..20]}…' has more than {MaxDecimalDigits} digits, which Python refuses to convert");
        }

        var value = BigInteger.Zero;
        foreach (var c in digits)
        {
            var digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'z' => c - 'a' + 10,
                >= 'A' and <= 'Z' => c - 'A' + 10,
                _ => int.MaxValue,
            };
            if (digit >= numberBase)
            {
                throw new PyYamlException($"'{original}' is not an integer in base {numberBase}");
            }

            value = (value * numberBase) + digit;
        }

        return negative ? -value : value;
    }

    // SafeConstructor.construct_yaml_float.
    private static double ConstructFloat(string text)
    {
        var value = text.Replace("_", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        if (value.Length == 0)
        {
            throw new PyYamlException("an empty value is not a float");
        }

        var sign = value[0] == '-' ? -1.0 : 1.0;
        if (value[0] is '+' or '-')
        {
            value = value[1..];
        }

        if (value == ".inf")
        {
            return sign * double.PositiveInfinity;
        }

        if (value == ".nan")
        {
            return double.NaN;
        }

        if (value.Contains(':', StringComparison.Ordinal))
        {
            // Python adds the parts as floats, smallest first: 1:30.5 is 30.5*1 + 1.0*60.
            var total = 0.0;
            var place = BigInteger.One;
            foreach (var part in value.Split(':').Reverse())
            {
                total += (PythonFloatFormat.Parse(part) ?? throw NotAFloat(text)) * (double)place;
                place *= 60;
            }

            return sign * total;
        }

        return sign * (PythonFloatFormat.Parse(value) ?? throw NotAFloat(text));
    }

    private static PyYamlException NotAFloat(string text) => new($"'{text}' is not a float");

    // SafeConstructor.construct_yaml_timestamp: a date, or a datetime with an optional fraction and UTC offset.
    private static PythonValue ConstructTimestamp(string text)
    {
        var match = TimestampParts().Match(text);
        if (!match.Success)
        {
            throw new PyYamlException($"'{text}' is not a timestamp (YYYY-MM-DD, optionally followed by a time)");
        }

        int Part(string name) => int.Parse(match.Groups[name].Value, NumberStyles.None, CultureInfo.InvariantCulture);
        var year = Part("year");
        var month = Part("month");
        var day = Part("day");
        Check(year is >= 1 and <= 9999, $"year {year} is out of range");
        Check(month is >= 1 and <= 12, "month must be in 1..12");
        Check(day >= 1 && day <= DateTime.DaysInMonth(year, month), "day is out of range for month");
        if (!match.Groups["hour"].Success)
        {
            return new PythonDate(year, month, day);
        }

        var hour = Part("hour");
        var minute = Part("minute");
        var second = Part("second");
        Check(hour <= 23, "hour must be in 0..23");
        Check(minute <= 59, "minute must be in 0..59");
        Check(second <= 59, "second must be in 0..59");
        var fraction = match.Groups["fraction"].Value;
        var microsecond = fraction.Length == 0 ? 0 : int.Parse(fraction.Length > 6 ? fraction[..6] : fraction.PadRight(6, '0'), NumberStyles.None, CultureInfo.InvariantCulture);
        TimeSpan? offset = null;
        if (match.Groups["sign"].Success)
        {
            var size = new TimeSpan(Part("tzhour"), match.Groups["tzminute"].Success ? Part("tzminute") : 0, 0);
            Check(size < TimeSpan.FromHours(24), "the UTC offset must be strictly between -24 and 24 hours");
            offset = match.Groups["sign"].Value == "-" ? -size : size;
        }
        else if (match.Groups["tz"].Success)
        {
            offset = TimeSpan.Zero;
        }

        return new PythonDateTime(year, month, day, hour, minute, second, microsecond, offset);

        void Check(bool valid, string reason)
        {
            if (!valid)
            {
                throw new PyYamlException($"'{text}' is not a valid timestamp: {reason}");
            }
        }
    }

    // SafeConstructor.construct_yaml_binary: base64, with line breaks and spaces ignored.
    private static PythonBytes ConstructBinary(string text)
    {
        var compact = string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
        var buffer = new byte[(compact.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(compact, buffer, out var written)
            ? new PythonBytes(buffer[..written])
            : throw new PyYamlException("the value tagged !!binary is not valid base64");
    }

    [GeneratedRegex("^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$", RegexOptions.CultureInvariant)]
    private static partial Regex BoolPattern();

    [GeneratedRegex(@"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();

    [GeneratedRegex("^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$", RegexOptions.CultureInvariant)]
    private static partial Regex IntPattern();

    [GeneratedRegex("^(?:~|null|Null|NULL|)$", RegexOptions.CultureInvariant)]
    private static partial Regex NullPattern();

    [GeneratedRegex(@"^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$", RegexOptions.CultureInvariant)]
    private static partial Regex TimestampPattern();

    [GeneratedRegex(@"^(?<year>[0-9][0-9][0-9][0-9])-(?<month>[0-9][0-9]?)-(?<day>[0-9][0-9]?)(?:(?:[Tt]|[ \t]+)(?<hour>[0-9][0-9]?):(?<minute>[0-9][0-9]):(?<second>[0-9][0-9])(?:\.(?<fraction>[0-9]*))?(?:[ \t]*(?<tz>Z|(?<sign>[-+])(?<tzhour>[0-9][0-9]?)(?::(?<tzminute>[0-9][0-9]))?))?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex TimestampParts();
}

/// <summary>PyYAML's safe loader fails on a value; the message says why, without a location (the caller adds it).</summary>
internal sealed class PyYamlException(string message) : Exception(message);
