using System.Globalization;

namespace Repro.Core.Verification.Comparison;

/// <summary>
/// How far a re-created number may be from the recorded one and still count as reproduced.
/// A number passes when <c>|actual - recorded| &lt;= Atol + Rtol * |recorded|</c>, the <c>numpy.isclose</c> rule
/// with the recorded value as the reference. NaN matches only NaN, and an infinity only the same infinity,
/// whatever the tolerance.
/// </summary>
public sealed record ComparisonTolerance
{
    /// <summary>Creates a tolerance.</summary>
    /// <param name="rtol">Relative tolerance, a finite number, 0 or more.</param>
    /// <param name="atol">Absolute tolerance, a finite number, 0 or more.</param>
    /// <exception cref="ArgumentOutOfRangeException">Either is negative, NaN or infinite.</exception>
    public ComparisonTolerance(double rtol, double atol)
    {
        if (!double.IsFinite(rtol) || rtol < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rtol), rtol, "rtol must be a finite number, 0 or more.");
        }

        if (!double.IsFinite(atol) || atol < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(atol), atol, "atol must be a finite number, 0 or more.");
        }

        Rtol = rtol;
        Atol = atol;
    }

    /// <summary>No tolerance: numbers must be equal (1 and 1.0 are equal; 0.1 and 0.10000000000000002 are not).</summary>
    public static ComparisonTolerance Exact { get; } = new(0, 0);

    /// <summary>Relative tolerance, scaled by the recorded value.</summary>
    public double Rtol { get; }

    /// <summary>Absolute tolerance.</summary>
    public double Atol { get; }

    /// <summary>Whether both tolerances are zero.</summary>
    public bool IsExact => Rtol == 0 && Atol == 0;

    /// <summary>Whether <paramref name="actual"/> is close enough to <paramref name="recorded"/>.</summary>
    /// <param name="recorded">The recorded value, the reference the relative tolerance scales with.</param>
    /// <param name="actual">The re-created value.</param>
    public bool Accepts(double recorded, double actual) =>
        NumberComparison.Compare(recorded, actual, this).Verdict != NumberVerdict.Different;

    /// <summary>"exact", or "rtol R, atol A".</summary>
    public override string ToString() =>
        IsExact
            ? "exact"
            : string.Create(CultureInfo.InvariantCulture, $"rtol {Rtol:R}, atol {Atol:R}");
}
