using HpcTune.Gp.Acquisition;

namespace HpcTune.Gp.Tests;

public class AcquisitionTests
{
    [Theory]
    [InlineData(3.0)]
    [InlineData(0.5)]
    [InlineData(-0.5)]
    [InlineData(-1.5)]
    [InlineData(-5)]
    [InlineData(-20)]
    public void Log_h_matches_the_direct_formula_where_that_is_accurate(double z)
    {
        var phi = Math.Exp(-0.5 * z * z) / Math.Sqrt(2 * Math.PI);
        var cdf = 0.5 * MathNet.Numerics.SpecialFunctions.Erfc(-z / Math.Sqrt(2));
        var direct = Math.Log(phi + (z * cdf));
        Assert.Equal(direct, NormalMath.LogH(z), z > -10 ? 1e-9 : 1e-5);
    }

    [Fact]
    public void Log_h_stays_finite_and_monotone_far_into_the_tail()
    {
        var previous = double.NegativeInfinity;
        foreach (var z in new[] { -1e12, -1e9, -1e8, -1e6, -1e3, -100, -40, -38, -30, -10, -1.0001, -1, -0.999, 0, 1, 10 })
        {
            var value = NormalMath.LogH(z);
            Assert.True(double.IsFinite(value), $"log h({z}) = {value}");
            Assert.True(value > previous, $"log h is not increasing at {z}");
            previous = value;
        }

        // Asymptotically h(z) ~ φ(z)/z².
        Assert.Equal((-0.5 * 1e6) - (0.5 * Math.Log(2 * Math.PI)) - (2 * Math.Log(1e3)), NormalMath.LogH(-1e3), 1e-3);
    }

    [Theory]
    [InlineData(0.3, 0.2, 0.1)]
    [InlineData(-2.0, 0.1, 1.0)]
    [InlineData(-30.0, 0.5, 0.0)]
    public void Log_ei_derivatives_match_finite_differences(double mean, double sd, double best)
    {
        NormalMath.LogExpectedImprovement(mean, sd, best, out var dMean, out var dSd);
        const double h = 1e-6;
        var numericMean = (NormalMath.LogExpectedImprovement(mean + h, sd, best, out _, out _) - NormalMath.LogExpectedImprovement(mean - h, sd, best, out _, out _)) / (2 * h);
        var numericSd = (NormalMath.LogExpectedImprovement(mean, sd + h, best, out _, out _) - NormalMath.LogExpectedImprovement(mean, sd - h, best, out _, out _)) / (2 * h);
        Assert.Equal(numericMean, dMean, 1e-4 * Math.Max(1, Math.Abs(numericMean)));
        Assert.Equal(numericSd, dSd, 1e-4 * Math.Max(1, Math.Abs(numericSd)));
    }

    [Fact]
    public void The_batched_log_h_matches_the_scalar_one_from_the_far_tail_to_large_z()
    {
        // Log-spaced far into the negative tail, dense around the batch's switches (0 and |z| = 30), and an odd
        // count so that the ragged end is covered.
        var z = Enumerable.Range(0, 121).Select(k => -Math.Pow(10, 6 - (k * 0.05)))
            .Concat(Enumerable.Range(0, 1601).Select(k => -40 + (k * 0.05)))
            .Concat([-30.000001, -29.999999, -1e-12, 0, 1e-12, 29.999999, 30.000001, 1e3, 1e12])
            .ToArray();
        Assert.Equal(1, z.Length % 2);
        var batch = new double[z.Length];
        NormalMath.LogH(z, batch);
        for (var i = 0; i < z.Length; i++)
        {
            var scalar = NormalMath.LogH(z[i]);
            Assert.True(Math.Abs(batch[i] - scalar) <= 1e-13 * Math.Max(1, Math.Abs(scalar)), $"log h({z[i]:R}): batch {batch[i]:R}, scalar {scalar:R}");
        }

        NormalMath.LogH(z, z); // in place
        Assert.Equal(batch, z);
    }

    [Fact]
    public void The_batched_log_h_keeps_the_scalar_limits_at_infinities_and_nan()
    {
        double[] z = [double.NegativeInfinity, double.PositiveInfinity, double.NaN];
        var batch = new double[z.Length];
        NormalMath.LogH(z, batch);
        Assert.Equal(double.NegativeInfinity, batch[0]);
        Assert.Equal(double.PositiveInfinity, batch[1]);
        Assert.True(double.IsNaN(batch[2]));
        Assert.Equal([NormalMath.LogH(z[0]), NormalMath.LogH(z[1])], batch[..2]);
    }

    [Fact]
    public void The_batched_log_h_refuses_a_destination_too_short()
    {
        var error = Assert.Throws<ArgumentException>(() => NormalMath.LogH(new double[5], new double[4]));
        Assert.Contains("holds 4 values, not the 5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_Chebyshev_erfcx_matches_its_reference_and_the_reference_matches_erfc()
    {
        for (var x = 0.0; x < 1e4; x = (x * 1.05) + 0.01)
        {
            var reference = ErfcxChebyshev.Reference(x);
            Assert.True(Math.Abs(ErfcxChebyshev.Evaluate(x) - reference) <= 1e-14 * reference, $"erfcx({x:R})");
            if (x < 5)
            {
                // exp(x²) erfc(x) loses about x² ulps to the rounding of x², which stays small here.
                var direct = Math.Exp(x * x) * MathNet.Numerics.SpecialFunctions.Erfc(x);
                Assert.True(Math.Abs(direct - reference) <= 1e-14 * reference, $"reference erfcx({x:R}) {reference:R} against {direct:R}");
            }
        }
    }

    [Fact]
    public void Erfcx_is_continuous_where_the_method_changes()
    {
        Assert.Equal(NormalMath.Erfcx(24.999999), NormalMath.Erfcx(25.000001), 5e-9); // the slope there is about −1e-3
        Assert.Equal(1.0, NormalMath.Erfcx(0), 1e-15);
    }

    [Theory]
    [InlineData(0.3, 0.2, 0.1)]
    [InlineData(-2.0, 0.1, 1.0)]
    [InlineData(-30.0, 0.5, 0.0)]
    [InlineData(1e-3, 1e-9, 0.0)]
    public void The_score_of_log_ei_is_its_value(double mean, double sd, double best)
    {
        IAcquisition acquisition = new LogExpectedImprovement(best);
        Assert.Equal(acquisition.Value(mean, sd, out _, out _), acquisition.Score(mean, sd));
        IAcquisition ucb = new UpperConfidenceBound(1.96);
        Assert.Equal(ucb.Value(mean, sd, out _, out _), ucb.Score(mean, sd));
    }
}
