using HpcTune.Gp.Model;

namespace HpcTune.Gp.Tests;

public class MarginalLikelihoodTests
{
    [Fact]
    public void The_value_equals_the_closed_form_and_the_gradient_finite_differences()
    {
        var random = new Random(9);
        var x = Reference.RandomPoints(random, 25, 4);
        var y = x.Select(p => Math.Cos(5 * p[0]) * p[1] + p[3]).ToArray();
        var mean = y.Average();
        var sd = Math.Sqrt(y.Select(v => (v - mean) * (v - mean)).Average());
        y = [.. y.Select(v => (v - mean) / sd)];
        var likelihood = new MarginalLikelihood(Reference.Flatten(x), y, 4);
        double[] theta = [-1.2, -0.3, 0.4, 1.0, 0.2, -5.0];
        var gradient = new double[6];
        var value = likelihood.Evaluate(theta, gradient);
        var expected = Reference.LogMarginalLikelihood(x, y, [.. theta[..4].Select(t => Math.Exp(t))], Math.Exp(theta[4]), Math.Exp(theta[5]));
        Assert.Equal(expected, value, 1e-8);

        const double h = 1e-6;
        var unused = new double[6];
        for (var j = 0; j < theta.Length; j++)
        {
            var plus = (double[])theta.Clone();
            var minus = (double[])theta.Clone();
            plus[j] += h;
            minus[j] -= h;
            var numeric = (likelihood.Evaluate(plus, unused) - likelihood.Evaluate(minus, unused)) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[j]) <= 1e-5 * Math.Max(1, Math.Abs(numeric)), $"θ[{j}]: analytic {gradient[j]}, numeric {numeric}");
        }
    }

    [Fact]
    public void The_prior_gradient_matches_finite_differences()
    {
        double[] theta = [0.1, -2, 3, 0.5, -7];
        var gradient = new double[5];
        GpPriors.LogDensity(theta, gradient);
        for (var j = 0; j < theta.Length; j++)
        {
            var plus = (double[])theta.Clone();
            var minus = (double[])theta.Clone();
            plus[j] += 1e-6;
            minus[j] -= 1e-6;
            var numeric = (GpPriors.LogDensity(plus, new double[5]) - GpPriors.LogDensity(minus, new double[5])) / 2e-6;
            Assert.Equal(numeric, gradient[j], 1e-6);
        }
    }

    [Fact]
    public void Fitting_finds_a_short_length_scale_for_a_wiggly_input_and_a_long_one_for_an_ignored_input()
    {
        var random = new Random(3);
        var x = Reference.RandomPoints(random, 40, 2);
        var y = x.Select(p => Math.Sin(12 * p[0])).ToArray();
        var fitted = HyperparameterFitter.Fit(Reference.Flatten(x), y, 2, restarts: 2, seed: 1);
        Assert.True(fitted.Lengthscale(0) < 0.5, $"ℓ0 = {fitted.Lengthscale(0)}");
        Assert.True(fitted.Lengthscale(1) > 4 * fitted.Lengthscale(0), $"ℓ1 = {fitted.Lengthscale(1)}");
    }

    [Fact]
    public void Climbing_from_the_prior_mode_reaches_the_short_and_long_length_scales_and_the_posterior_of_the_full_fit()
    {
        var random = new Random(3);
        var x = Reference.Flatten(Reference.RandomPoints(random, 40, 2));
        var y = Enumerable.Range(0, 40).Select(i => Math.Sin(12 * x[2 * i])).ToArray();
        var mode = GpPriors.Mode(2);
        var climbed = HyperparameterFitter.Climb(x, y, 2, mode, 200, out var climbedScore, cancellationToken: TestContext.Current.CancellationToken);
        HyperparameterFitter.Fit(x, y, 2, restarts: 0, seed: 1, out var fullScore, cancellationToken: TestContext.Current.CancellationToken);
        var atMode = new MarginalLikelihood(x, y, 2).Evaluate(mode, new double[4]) + GpPriors.LogDensity(mode, new double[4]);
        Assert.True(climbed.Lengthscale(0) < 0.5 && climbed.Lengthscale(1) > 4 * climbed.Lengthscale(0), $"ℓ = {climbed.Lengthscale(0)}, {climbed.Lengthscale(1)}");
        Assert.True(climbedScore > atMode, $"climbed to {climbedScore} from {atMode}");
        Assert.True(climbedScore > fullScore - (0.01 * Math.Abs(fullScore)), $"climbed to {climbedScore}; BFGS reached {fullScore}");
    }
}
