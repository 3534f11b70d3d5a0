using System.Globalization;
using System.Numerics;
using System.Text;
using Repro.Core.Json;
using Repro.Core.Runs;

namespace Repro.Core.Verification.Comparison;

/// <summary>
/// Compares JSON by value: key order, whitespace, escapes and number spelling ("1" against "1.0") are not
/// differences; numbers are compared with the tolerance. Each difference is reported with its path in
/// <c>$.a.b[3]</c> form.
/// </summary>
internal sealed class JsonComparer
{
    private readonly ComparisonTolerance _tolerance;
    private readonly DetailList _details = new();
    private string? _firstDifference;
    private int _differences;
    private int _withinTolerance;
    private bool _keyOrderDiffers;
    private bool _numberSpellingDiffers;
    private NumericDifference? _largest;

    private JsonComparer(ComparisonTolerance tolerance)
    {
        _tolerance = tolerance;
    }

    /// <summary>Compares two parsed documents (for JSON Lines, one tree per line).</summary>
    public static ComparisonResult Compare(IReadOnlyList<JsonTree> recorded, IReadOnlyList<JsonTree> actual, bool lines, ComparisonTolerance tolerance)
    {
        var comparer = new JsonComparer(tolerance);
        if (!lines)
        {
            comparer.CompareValues("$", recorded[0], actual[0]);
            return comparer.Result("JSON");
        }

        if (recorded.Count != actual.Count)
        {
            comparer.Different("$", () => $"line count differs: recorded {recorded.Count}, re-created {actual.Count}");
        }

        for (var i = 0; i < Math.Min(recorded.Count, actual.Count); i++)
        {
            comparer.CompareValues(string.Create(CultureInfo.InvariantCulture, $"line {i + 1} $"), recorded[i], actual[i]);
        }

        return comparer.Result("JSON Lines");
    }

    private void CompareValues(string path, JsonTree recorded, JsonTree actual)
    {
        if (recorded.Kind != actual.Kind)
        {
            Different(path, () => $"type differs: recorded {recorded.KindName} {recorded.DisplayText()}, re-created {actual.KindName} {actual.DisplayText()}");
            return;
        }

        switch (recorded.Kind)
        {
            case JsonKind.Object:
                CompareObjects(path, recorded, actual);
                break;
            case JsonKind.Array:
                CompareArrays(path, recorded, actual);
                break;
            case JsonKind.Number:
                CompareNumbers(path, recorded, actual);
                break;
            case JsonKind.String:
                if (!string.Equals(recorded.Text, actual.Text, StringComparison.Ordinal))
                {
                    var at = DisplayText.FirstDifference(recorded.Text, actual.Text);
                    Different(path, () => $"recorded {DisplayText.Quote(recorded.Text, at)}, re-created {DisplayText.Quote(actual.Text, at)}");
                }

                break;
            default:
                if (!string.Equals(recorded.Text, actual.Text, StringComparison.Ordinal))
                {
                    Different(path, () => $"recorded {recorded.Text}, re-created {actual.Text}");
                }

                break;
        }
    }

    private void CompareObjects(string path, JsonTree recorded, JsonTree actual)
    {
        var common = new List<string>();
        foreach (var key in recorded.Keys)
        {
            var childPath = Member(path, key);
            if (actual.Members.TryGetValue(key, out var actualValue))
            {
                common.Add(key);
                CompareValues(childPath, recorded.Members[key], actualValue);
            }
            else
            {
                Different(childPath, () => $"missing from the re-created output (recorded {recorded.Members[key].DisplayText()})");
            }
        }

        foreach (var key in actual.Keys)
        {
            if (!recorded.Members.ContainsKey(key))
            {
                Different(Member(path, key), () => $"not in the recorded output (re-created {actual.Members[key].DisplayText()})");
            }
        }

        if (!_keyOrderDiffers && !common.SequenceEqual(actual.Keys.Where(recorded.Members.ContainsKey), StringComparer.Ordinal))
        {
            _keyOrderDiffers = true;
        }
    }

    private void CompareArrays(string path, JsonTree recorded, JsonTree actual)
    {
        var shared = Math.Min(recorded.Items.Count, actual.Items.Count);
        if (recorded.Items.Count != actual.Items.Count)
        {
            var extra = recorded.Items.Count > actual.Items.Count
                ? $"re-created lacks items [{shared}..{recorded.Items.Count - 1}]"
                : $"re-created adds items [{shared}..{actual.Items.Count - 1}]";
            Different(path, () => $"array length differs: recorded {recorded.Items.Count}, re-created {actual.Items.Count}; {extra}");
        }

        for (var i = 0; i < shared; i++)
        {
            CompareValues(string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]"), recorded.Items[i], actual.Items[i]);
        }
    }

    private void CompareNumbers(string path, JsonTree recorded, JsonTree actual)
    {
        if (string.Equals(recorded.Text, actual.Text, StringComparison.Ordinal))
        {
            return;
        }

        var check = NumberComparison.Compare(recorded.Number, actual.Number, _tolerance);
        if (check.Verdict == NumberVerdict.Equal && IsInteger(recorded.Text) && IsInteger(actual.Text))
        {
            // Integers past 2^53 round to the same double; ids and counts must still compare exactly.
            var difference = BigInteger.Abs(BigInteger.Parse(actual.Text, CultureInfo.InvariantCulture) - BigInteger.Parse(recorded.Text, CultureInfo.InvariantCulture));
            if (!difference.IsZero)
            {
                var absolute = (double)difference;
                var relative = recorded.Number == 0 ? double.PositiveInfinity : absolute / Math.Abs(recorded.Number);
                var allowed = _tolerance.Atol + (_tolerance.Rtol * Math.Abs(recorded.Number));
                check = new NumberCheck(absolute <= allowed ? NumberVerdict.WithinTolerance : NumberVerdict.Different, absolute, relative);
            }
        }

        switch (check.Verdict)
        {
            case NumberVerdict.Equal:
                _numberSpellingDiffers = true;
                return;
            case NumberVerdict.WithinTolerance:
                _withinTolerance++;
                break;
            default:
                Different(path, () => $"recorded {recorded.Text}, re-created {actual.Text} ({DisplayText.Differences(check.Absolute, check.Relative)})");
                break;
        }

        if (NumberComparison.IsLarger(check, _largest))
        {
            _largest = new NumericDifference(path, recorded.Number, actual.Number, check.Absolute, check.Relative);
        }
    }

    private void Different(string path, Func<string> describe)
    {
        _differences++;
        _firstDifference ??= path;
        _details.Add(() => $"{path}: {describe()}");
    }

    private ComparisonResult Result(string format)
    {
        var largest = _largest is null
            ? string.Empty
            : $"; largest numeric difference {DisplayText.Difference(_largest.AbsoluteDifference)} at {_largest.Location}";
        if (_differences > 0)
        {
            var summary = $"{format} differs at {DisplayText.Count(_differences, "path")}, first at {_firstDifference}{largest}";
            return new ComparisonResult(ComparisonOutcome.Different, ComparerName.Json, summary, _details.ToList()) { LargestDifference = _largest };
        }

        if (_withinTolerance > 0)
        {
            var summary = $"{format} equal within tolerance ({_tolerance}): {DisplayText.Count(_withinTolerance, "number")} {DisplayText.Differ(_withinTolerance)}{largest}";
            return new ComparisonResult(ComparisonOutcome.Equivalent, ComparerName.Json, summary, []) { LargestDifference = _largest };
        }

        var reasons = new List<string>();
        if (_keyOrderDiffers)
        {
            reasons.Add("key order");
        }

        if (_numberSpellingDiffers)
        {
            reasons.Add("number spelling");
        }

        reasons.Add("formatting");
        return new ComparisonResult(
            ComparisonOutcome.Equivalent,
            ComparerName.Json,
            $"same {format} content; differs only in {DisplayText.List(reasons)}",
            []);
    }

    private static string Member(string path, string key)
    {
        if (key.Length > 0 && (char.IsAsciiLetter(key[0]) || key[0] == '_') && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            return $"{path}.{key}";
        }

        var builder = new StringBuilder(path).Append("['");
        foreach (var c in key)
        {
            if (c is '\'' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.Append("']").ToString();
    }

    private static bool IsInteger(string text) =>
        text.Length > 0 && text.AsSpan(text[0] == '-' ? 1 : 0).IndexOfAnyExceptInRange('0', '9') < 0;
}

/// <summary>How JSON values appear in detail lines.</summary>
internal static class JsonTreeText
{
    /// <summary>Scalars as written, containers by size.</summary>
    public static string DisplayText(this JsonTree value) => value.Kind switch
    {
        JsonKind.Object => $"object with {Comparison.DisplayText.Count(value.Keys.Count, "key")}",
        JsonKind.Array => $"array of {Comparison.DisplayText.Count(value.Items.Count, "item")}",
        JsonKind.String => Comparison.DisplayText.Quote(value.Text),
        _ => value.Text,
    };
}
