using System.Globalization;
using System.Text;

namespace Repro.Core.Tests.Projects.Python;

/// <summary>
/// YAML scalars for the differential test against PyYAML: every spelling class that YAML 1.1 resolution and Python's
/// <c>str()</c> treat specially, written by hand, then a deterministic pseudo-random spread of numbers, timestamps
/// and look-alikes. The same list every run, so the recorded PyYAML answers stay comparable.
/// </summary>
internal static class ScalarCorpus
{
    private static readonly string[] s_handWritten =
    [
        // Integers: bases, signs, underscores, sexagesimal, leading-zero octal, arbitrary precision.
        "0", "-0", "+0", "7", "-7", "+7", "010", "-010", "0_7", "0o17", "08", "09", "0b101", "-0b101", "+0b_1_0", "0B1",
        "0x1F", "0X1F", "+0x_ff", "-0xdead_BEEF", "0x_", "0b_", "1_000", "1__0", "12:30:45", "-1:30", "+1:05", "1:60", "0:30",
        "1_2:3_0", "1:5", "190:20:30", "123456789012345678901234567890", "-999999999999999999999999999999999",
        "0777777777777777777777777", "0xffffffffffffffffffffffffffffffff", "0b1111111111111111111111111111111111111111111111111111111111111111111",
        // Floats: the forms PyYAML accepts (a point is required, an exponent needs its sign) and those it leaves as text.
        ".0", "1.", "0.10", "1.0", "-1.5", "+1.5", "1e5", "1.0e5", "1.0e+5", "1.0E-5", "1.e+5", ".5", "-.5", "+.5", "._5",
        "1_000.5", "1__.__", "0.000001", "0.0001", "0.00001", "1e-06", "1.5e+300", "1.0e+400", "1.0e-400", "-1.0e+400",
        "123456789012345678.0", "1000000000000000.0", "10000000000000000.0", "9999999999999998.0", "0.1", "0.2",
        "0.30000000000000004", "3.141592653589793", "2.5e-05", "1:30.5", "-1:30.5", "190:20:30.15", "1:30.", "-0.0",
        ".inf", ".Inf", ".INF", "-.inf", "+.inf", ".iNf", ".nan", ".NaN", ".NAN", "-.nan", "nan", "inf", "1.5_5", "1e+5",
        "5e-324", "2.2250738585072014e-308", "1.7976931348623157e+308", "4.9406564584124654e-324", "0.1e-3", "100.",
        // Booleans: PyYAML's words in three spellings each, and words it does not take.
        "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off",
        "Off", "OFF", "tRue", "yES", "y", "Y", "n", "N", "oN", "yes!", "truee",
        // Nulls.
        "~", "null", "Null", "NULL", "nUll", "", "None", "none",
        // Timestamps, valid and not.
        "2001-12-14", "2002-1-1", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "2001-12-14T21:59:43Z",
        "2001-12-14 21:59:43.1234567", "2001-12-15 2:59:43.10", "2002-12-14 21:59:43 +05:30", "2004-02-29", "2002-02-29",
        "2002-13-01", "2002-12-14 24:00:00", "2001-12-14T21:59:43.+00:00", "2001-12-14 21:59:43 -0:30", "0000-01-01",
        "2001-12-14 21:59:43 +23:59", "2001-12-14 21:59:43 +24", "2001-12-14   21:59:43", "2001-12-14T21:59:60",
        // Quoted and tagged scalars.
        "'1'", "\"true\"", "'~'", "\"0x10\"", "'1:30'", "''", "\"\"", "! 12", "! '12'", "!!str 12", "!!int '0x10'",
        "!!int '0o17'", "!!float '1'", "!!float 1e5", "!!float '.inf'", "!!bool 'yes'", "!!bool maybe", "!!null 'x'",
        "!!timestamp '2001-1-1'", "!!int 1.5", "!!int ''", "!!float ''", "!foo x", "=", "<<", "!!binary aGVsbG8=",
        "!!binary \"J3F1b3RlZCc=\"", "|\n  literal\n", ">\n  folded\n  text\n",
        // Lists and mappings, which str() prints with repr() of each item.
        "[1, 'a', true, null, 1.5]", "{a: 1, b: [2, 3]}", "[2001-12-14 21:59:43.10 -5, 2002-12-14, 2001-12-14 21:59:43]",
        "['it''s', \"q\\\"\", \"é\\t\\u0001x\"]", "[\"\\x7f\\x80\\u00a0\\u2028\"]", "[]", "{}", "{1: x, 1.0: y, true: z}",
        "[.inf, -.inf, .nan, 0.1, 1.0e+20]", "!!omap [a: 1, b: 2]", "!!pairs [a: 1, a: 2]", "{'k''q': \"v\\\"\"}",
        "[!!binary aGk=, 0x10, 010]", "[2001-12-14 21:59:43 +05:30, 2001-12-14 21:59:43.000001Z]",
        // Text that looks like one of the above.
        "hello", "1e", "1.2.3", "0x", "-", ".", "+", "1_", "_1", "12:30:x", "1,000", "$1", "1 2", "0.1.", "e5", "--1",
        "++1", "0b2", "0o", "1:2:3:4:5", "01:30", "0.5:30", "v1.0", "1/2", "NaN", "Infinity", "-inf",
    ];

    /// <summary>The scalars, hand-written first, then generated ones.</summary>
    public static IReadOnlyList<string> All { get; } = Build();

    private static List<string> Build()
    {
        var all = new List<string>(s_handWritten);
        var random = new Random(20240611);

        // Random doubles across the whole range, written as YAML 1.1 floats (a point, a signed exponent).
        for (var index = 0; index < 120; index++)
        {
            var value = BitConverter.Int64BitsToDouble(random.NextInt64());
            if (double.IsFinite(value))
            {
                all.Add(AsYamlFloat(value.ToString("R", CultureInfo.InvariantCulture)));
            }
        }

        // Decimal text with more digits than a double holds, around the fixed/scientific switch of repr().
        for (var index = 0; index < 60; index++)
        {
            var digits = new StringBuilder();
            var count = random.Next(1, 22);
            for (var digit = 0; digit < count; digit++)
            {
                digits.Append((char)('0' + random.Next(10)));
            }

            var exponent = random.Next(-25, 25);
            var sign = random.Next(3) switch { 0 => "-", 1 => "+", _ => string.Empty };
            all.Add(exponent is > -6 and < 6
                ? $"{sign}{digits}.{random.Next(1000)}"
                : $"{sign}{digits[0]}.{digits.ToString()[1..]}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent)}");
        }

        // Integers in every base, with stray underscores, and sexagesimal ones.
        for (var index = 0; index < 60; index++)
        {
            var value = (long)(random.NextDouble() * Math.Pow(10, random.Next(1, 18)));
            var sign = random.Next(3) switch { 0 => "-", 1 => "+", _ => string.Empty };
            all.Add(random.Next(5) switch
            {
                0 => sign + "0b" + Convert.ToString(value, 2),
                1 => sign + "0" + Convert.ToString(value, 8),
                2 => sign + "0x" + value.ToString("x", CultureInfo.InvariantCulture),
                3 => sign + Underscored(value.ToString(CultureInfo.InvariantCulture), random),
                _ => $"{sign}{random.Next(1, 200)}:{random.Next(0, 60):D2}:{random.Next(0, 70)}",
            });
        }

        // Timestamps, mostly valid.
        for (var index = 0; index < 40; index++)
        {
            var date = $"{random.Next(1, 10000):D4}-{random.Next(1, 13):D2}-{random.Next(1, 32):D2}";
            all.Add(random.Next(3) switch
            {
                0 => date,
                1 => $"{date}T{random.Next(0, 24):D2}:{random.Next(0, 60):D2}:{random.Next(0, 60):D2}.{random.Next(0, 10_000_000)}Z",
                _ => $"{date} {random.Next(0, 24)}:{random.Next(0, 60):D2}:{random.Next(0, 60):D2} {(random.Next(2) == 0 ? '-' : '+')}{random.Next(0, 15)}:{random.Next(0, 60):D2}",
            });
        }

        return all;
    }

    private static string AsYamlFloat(string roundTrip)
    {
        var exponentAt = roundTrip.IndexOf('E', StringComparison.Ordinal);
        var mantissa = exponentAt < 0 ? roundTrip : roundTrip[..exponentAt];
        if (!mantissa.Contains('.', StringComparison.Ordinal))
        {
            mantissa += ".0";
        }

        return exponentAt < 0 ? mantissa : mantissa + "e" + roundTrip[(exponentAt + 1)..];
    }

    private static string Underscored(string digits, Random random)
    {
        var text = new StringBuilder(digits[..1]);
        foreach (var digit in digits[1..])
        {
            if (random.Next(4) == 0)
            {
                text.Append('_');
            }

            text.Append(digit);
        }

        return text.ToString();
    }
}
