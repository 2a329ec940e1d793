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
