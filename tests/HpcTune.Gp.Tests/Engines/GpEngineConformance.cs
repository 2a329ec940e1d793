using HpcTune.Gp.Engines;

namespace HpcTune.Gp.Tests.Engines;

/// <summary>
/// The one suite every <see cref="IGpEngine"/> passes: its factor, weights, log marginal likelihood with gradient and
/// batched posterior agree with the managed engine's on the same data. HpcTune.Gp.Tests runs it for the native engine,
/// HpcTune.Torch.Tests (which compiles this file in) for torch, each at its own sizes.
/// </summary>
public abstract class GpEngineConformance
{
    private const int Dimension = 6;
    private const int Candidates = 96;

    /// <summary>The engine under test.</summary>
    internal abstract IGpEngine Engine { get; }

    /// <summary>The numbers of observations the suite fits.</summary>
    protected abstract IReadOnlyList<int> Sizes { get; }

    /// <summary>Up to which n the likelihood is compared too (the managed reference's gradient is O(n³) managed code).</summary>
    protected virtual int MaxLikelihoodSize => Sizes.Max();

    /// <summary>
    /// θ: length scales 0.3–0.8 and noise 10⁻³ make K's condition number grow to about 10⁵ at n = 2,048, so two correct
    /// factorizations may differ by about 10⁵ ε relative; the tolerances below leave room for that and no more.
    /// </summary>
    private static readonly double[] Theta = [.. Enumerable.Range(0, Dimension).Select(d => Math.Log(0.3 + (0.1 * d))), Math.Log(1.3), Math.Log(1e-3)];

    [Fact]
    public void The_factor_weights_and_posterior_match_the_managed_engine()
    {
        foreach (var n in Sizes)
        {
            var (x, y) = Data(n, seed: n);
            var points = Points(Candidates, seed: n + 1);
            using var expected = HostGpEngine.Managed.Fit(x, y, Dimension, Theta);
            using var actual = Engine.Fit(x, y, Dimension, Theta);
            Assert.Equal(n, actual.Count);
            Assert.Equal(Dimension, actual.Dimension);
            Assert.Equal(expected.Jitter, actual.Jitter);

            var (l0, l1) = (new double[n * n], new double[n * n]);
            expected.CopyFactor(l0, n);
            actual.CopyFactor(l1, n);
            AssertClose(l0, l1, absolute: 1e-9, relative: 0, $"factor at n = {n}");

            var (a0, a1) = (new double[n], new double[n]);
            expected.CopyWeights(a0);
            actual.CopyWeights(a1);
            AssertClose(a0, a1, absolute: 1e-9, relative: 1e-7, $"weights at n = {n}");

            var (m0, v0, s0) = (new double[Candidates], new double[Candidates], new double[n * Candidates]);
            var (m1, v1, s1) = (new double[Candidates], new double[Candidates], new double[n * Candidates]);
            expected.Predict(points, Candidates, m0, v0, s0);
            actual.Predict(points, Candidates, m1, v1, s1);
            AssertClose(m0, m1, absolute: 1e-8, relative: 1e-8, $"posterior mean at n = {n}");
            AssertClose(v0, v1, absolute: 1e-9, relative: 1e-7, $"posterior variance at n = {n}");
            AssertClose(s0, s1, absolute: 1e-9, relative: 0, $"L⁻¹k at n = {n}");

            var (m2, v2) = (new double[Candidates], new double[Candidates]);
            actual.Predict(points, Candidates, m2, v2, []);
            Assert.Equal(m1, m2);
            Assert.Equal(v1, v2);
        }
    }

    [Fact]
    public void The_log_marginal_likelihood_and_its_gradient_match_the_managed_engine()
    {
        foreach (var n in Sizes.Where(n => n <= MaxLikelihoodSize))
        {
            var (x, y) = Data(n, seed: 7 * n);
            using var expected = HostGpEngine.Managed.Likelihood(x, y, Dimension);
            using var actual = Engine.Likelihood(x, y, Dimension);
            foreach (var theta in new[] { Theta, [.. Theta.Select((t, i) => i < Dimension ? t + 0.4 : t)] })
            {
                var (g0, g1) = (new double[Dimension + 2], new double[Dimension + 2]);
                var value0 = expected.Evaluate(theta, g0);
                var value1 = actual.Evaluate(theta, g1);
                Assert.True(double.IsFinite(value0), $"the reference likelihood at n = {n} is {value0}");
                AssertClose([value0], [value1], absolute: 1e-6, relative: 1e-9, $"log likelihood at n = {n}");
                AssertClose(g0, g1, absolute: 1e-5, relative: 1e-6, $"gradient at n = {n}");
            }
        }
    }

    [Fact]
    public void Duplicate_points_get_the_jitter_the_managed_engine_needs()
    {
        var (x, y) = Data(12, seed: 3);
        var doubled = x.Concat(x).ToArray();
        var targets = y.Concat(y).ToArray();
        double[] noiseless = [.. Theta[..^1], -60]; // no noise to speak of: the duplicates make K singular
        using var expected = HostGpEngine.Managed.Fit(doubled, targets, Dimension, noiseless);
        using var actual = Engine.Fit(doubled, targets, Dimension, noiseless);
        Assert.True(expected.Jitter > 0, "the duplicates should need jitter");
        Assert.Equal(expected.Jitter, actual.Jitter);
        var (m0, v0, m1, v1) = (new double[4], new double[4], new double[4], new double[4]);
        var points = Points(4, seed: 5);
        expected.Predict(points, 4, m0, v0, []);
        actual.Predict(points, 4, m1, v1, []);
        AssertClose(m0, m1, absolute: 1e-5, relative: 1e-5, "posterior mean with jitter");
    }

    [Fact]
    public void A_batch_whose_buffers_do_not_fit_is_refused_with_the_sizes()
    {
        var (x, y) = Data(8, seed: 1);
        using var fitted = Engine.Fit(x, y, Dimension, Theta);
        var e = Assert.Throws<ArgumentException>(() => fitted.Predict(new double[(3 * Dimension) - 1], 3, new double[3], new double[3], []));
        Assert.Contains("a batch of 3 points of dimension 6 needs 18 values", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Engine.Fit(x, y, Dimension, Theta.AsSpan(..^1)));
        Assert.Throws<ArgumentException>(() => Engine.Fit(x.AsSpan(..^1), y, Dimension, Theta));
    }

    /// <summary>n points in the unit cube and smooth targets with a little noise, standardized as the sampler's are.</summary>
    private static (double[] X, double[] Y) Data(int n, int seed)
    {
        var random = new Random(seed);
        var x = Points(n, seed);
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            var row = x.AsSpan(i * Dimension, Dimension);
            y[i] = Math.Sin(3 * row[0]) + (row[1] * row[2]) - Math.Cos(2 * row[3]) + (0.01 * (random.NextDouble() - 0.5));
        }

        var mean = y.Average();
        var sd = Math.Sqrt(y.Select(v => (v - mean) * (v - mean)).Average());
        return (x, [.. y.Select(v => (v - mean) / sd)]);
    }

    private static double[] Points(int m, int seed)
    {
        var random = new Random(seed * 7919);
        return [.. Enumerable.Range(0, m * Dimension).Select(_ => random.NextDouble())];
    }

    private static void AssertClose(double[] expected, double[] actual, double absolute, double relative, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = 0.0;
        var at = -1;
        for (var i = 0; i < expected.Length; i++)
        {
            var excess = Math.Abs(expected[i] - actual[i]) - (absolute + (relative * Math.Abs(expected[i])));
            if (!(excess <= worst))
            {
                (worst, at) = (double.IsNaN(excess) ? double.PositiveInfinity : excess, i);
            }
        }

        Assert.True(at < 0, at < 0 ? "" : $"{what}: entry {at} is {actual[at]:R}, the managed engine's {expected[at]:R}");
    }
}
