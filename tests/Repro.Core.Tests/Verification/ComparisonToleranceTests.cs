using Repro.Core.Verification.Comparison;

namespace Repro.Core.Tests.Verification;

public sealed class ComparisonToleranceTests
{
    [Theory]
    [InlineData(1.0, 1.0, true)]
    [InlineData(1.0, 1.0000000001, false)]
    [InlineData(0.0, -0.0, true)]
    [InlineData(double.NaN, double.NaN, true)]
    [InlineData(double.PositiveInfinity, double.PositiveInfinity, true)]
    [InlineData(double.PositiveInfinity, double.NegativeInfinity, false)]
    public void Exact_Numbers_AcceptOnlyEqualValuesAndNaNAgainstNaN(double recorded, double actual, bool accepted)
    {
        Assert.Equal(accepted, ComparisonTolerance.Exact.Accepts(recorded, actual));
    }

    [Fact]
    public void Accepts_RelativeTolerance_ScalesWithTheRecordedValue()
    {
        var tolerance = new ComparisonTolerance(0.01, 0);

        Assert.True(tolerance.Accepts(100, 101));
        Assert.False(tolerance.Accepts(100, 101.5));
        // The recorded value is the reference: 1.0 against a recorded 0.99 is off by 0.01, more than 1% of 0.99.
        Assert.False(tolerance.Accepts(0.99, 1.0));
    }

    [Fact]
    public void Accepts_AbsoluteTolerance_AppliesNearZero()
    {
        var tolerance = new ComparisonTolerance(0, 1e-6);

        Assert.True(tolerance.Accepts(0, 5e-7));
        Assert.False(tolerance.Accepts(0, 2e-6));
    }

    [Fact]
    public void Accepts_NaNAgainstANumber_FailsWhateverTheTolerance()
    {
        var tolerance = new ComparisonTolerance(1, 1e300);

        Assert.False(tolerance.Accepts(double.NaN, 1));
        Assert.False(tolerance.Accepts(1, double.NaN));
        Assert.False(tolerance.Accepts(1, double.PositiveInfinity));
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(0, -1)]
    [InlineData(double.NaN, 0)]
    [InlineData(0, double.PositiveInfinity)]
    public void Constructor_NegativeOrNonFinite_Throws(double rtol, double atol)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ComparisonTolerance(rtol, atol));
    }

    [Fact]
    public void ToString_ExactAndGiven_ReadsAsWords()
    {
        Assert.Equal("exact", ComparisonTolerance.Exact.ToString());
        Assert.Equal("rtol 0.001, atol 1E-08", new ComparisonTolerance(1e-3, 1e-8).ToString());
    }
}
