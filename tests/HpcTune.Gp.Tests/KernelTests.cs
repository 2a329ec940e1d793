using HpcTune.Gp.Kernels;

namespace HpcTune.Gp.Tests;

public class KernelTests
{
    [Fact]
    public void The_span_kernels_match_the_scalar_formula_at_every_length_with_special_values()
    {
        var random = new Random(5);
        for (var n = 0; n <= 256; n++)
        {
            var r2 = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 10).ToArray();
            if (n > 3)
            {
                r2[random.Next(n)] = 0.0;
                r2[random.Next(n)] = -0.0;
                r2[random.Next(n)] = double.PositiveInfinity;
                r2[random.Next(n)] = double.NaN;
            }

            var value = new double[n];
            var factor = new double[n];
            var scratch = new double[n];
            Matern52.ValueAndGradientFactor(r2, 1.7, value, factor, scratch);
            var inPlace = (double[])r2.Clone();
            Matern52.Value(inPlace, 1.7, inPlace, scratch);
            for (var i = 0; i < n; i++)
            {
                Assert.Equal(Matern52.Value(r2[i], 1.7), value[i], 1e-14);
                Assert.Equal(Matern52.Value(r2[i], 1.7), inPlace[i], 1e-14);
                Assert.Equal(Matern52.GradientFactor(r2[i], 1.7), factor[i], 1e-14);
            }
        }
    }

    [Fact]
    public void The_kernel_is_one_variance_at_zero_distance_and_decays()
    {
        Assert.Equal(2.5, Matern52.Value(0, 2.5));
        Assert.True(Matern52.Value(0.5, 1) > Matern52.Value(1, 1));
    }

    [Fact]
    public void The_gradient_factor_is_the_derivative_in_the_length_scale()
    {
        // k(δ/ℓ) with ℓ = e^t: ∂k/∂t = g δ²/ℓ².
        const double delta = 0.7, t = -0.3, h = 1e-6;
        double K(double logL) => Matern52.Value(Math.Pow(delta / Math.Exp(logL), 2), 1.3);
        var numeric = (K(t + h) - K(t - h)) / (2 * h);
        var analytic = Matern52.GradientFactor(Math.Pow(delta / Math.Exp(t), 2), 1.3) * Math.Pow(delta / Math.Exp(t), 2);
        Assert.Equal(numeric, analytic, 1e-8);
    }
}
