namespace Repro.Core.Verification.Comparison;

/// <summary>How two numbers compare under a tolerance.</summary>
internal enum NumberVerdict
{
    Equal,
    WithinTolerance,
    Different,
}

/// <summary>The verdict with the differences that led to it (NaN when there is no meaningful difference, as NaN against 1).</summary>
internal readonly record struct NumberCheck(NumberVerdict Verdict, double Absolute, double Relative);

/// <summary>The one rule every comparer applies to numbers, so JSON, CSV and metrics agree.</summary>
internal static class NumberComparison
{
    public static NumberCheck Compare(double recorded, double actual, ComparisonTolerance tolerance)
    {
        // double.Equals, unlike ==, holds for NaN against NaN: a NaN that stays NaN is reproduced.
        if (recorded.Equals(actual))
        {
            return new NumberCheck(NumberVerdict.Equal, 0, 0);
        }

        if (!double.IsFinite(recorded) || !double.IsFinite(actual))
        {
            return new NumberCheck(NumberVerdict.Different, double.NaN, double.NaN);
        }

        var absolute = Math.Abs(actual - recorded);
        var relative = recorded == 0 ? double.PositiveInfinity : absolute / Math.Abs(recorded);
        var allowed = tolerance.Atol + (tolerance.Rtol * Math.Abs(recorded));
        return new NumberCheck(absolute <= allowed ? NumberVerdict.WithinTolerance : NumberVerdict.Different, absolute, relative);
    }

    /// <summary>Whether the difference <paramref name="check"/> found beats <paramref name="largest"/>; a NaN difference (NaN against a number) never does.</summary>
    public static bool IsLarger(NumberCheck check, NumericDifference? largest) =>
        !double.IsNaN(check.Absolute) && (largest is null || check.Absolute > largest.AbsoluteDifference);
}
