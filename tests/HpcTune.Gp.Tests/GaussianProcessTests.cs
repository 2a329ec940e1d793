using HpcTune.Gp.Model;

namespace HpcTune.Gp.Tests;

public class GaussianProcessTests
{
    private static readonly double[] Lengthscales = [0.3, 0.8, 1.5];
    private const double Variance = 1.4, Noise = 1e-3;

    private static GpHyperparameters Hyperparameters() => new([.. Lengthscales.Select(l => Math.Log(l)), Math.Log(Variance), Math.Log(Noise)]);

    private static (double[][] X, double[] Y) Data(int n, int seed)
    {
        var random = new Random(seed);
        var x = Reference.RandomPoints(random, n, 3);
        var y = x.Select(p => Math.Sin(6 * p[0]) + p[1] - (p[2] * p[2]) + (0.01 * random.NextDouble())).ToArray();
        return (x, y);
    }

    [Fact]
    public void The_posterior_equals_the_closed_form()
    {
        var (x, y) = Data(12, 1);
        var gp = new GaussianProcess(Hyperparameters());
        gp.SetData(Reference.Flatten(x), y);
        var queries = Reference.RandomPoints(new Random(2), 9, 3);
        var transposed = Transposed(queries);

        var mean = new double[queries.Length];
        var variance = new double[queries.Length];
        gp.Predict(transposed, queries.Length, mean, variance);
        for (var j = 0; j < queries.Length; j++)
        {
            var (m, v) = Reference.Posterior(x, y, queries[j], Lengthscales, Variance, Noise);
            Assert.Equal(m, mean[j], 1e-9);
            Assert.Equal(v, variance[j], 1e-9);
            var (m1, v1) = gp.PredictWithGradient(queries[j], new double[3], new double[3]);
            Assert.Equal(m, m1, 1e-9);
            Assert.Equal(v, v1, 1e-9);
        }
    }

    [Fact]
    public void Rank_one_extensions_equal_a_fresh_factorization()
    {
        var (x, y) = Data(30, 3);
        var grown = new GaussianProcess(Hyperparameters());
        grown.SetData(Reference.Flatten(x[..5]), y.AsSpan(0, 5));
        for (var i = 5; i < 30; i++)
        {
            grown.AddObservation(x[i], y[i]); // crosses the initial buffer capacity of 16
        }

        var fresh = new GaussianProcess(Hyperparameters());
        fresh.SetData(Reference.Flatten(x), y);
        for (var i = 0; i < 30; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                Assert.Equal(fresh.Factor[(i * fresh.Stride) + j], grown.Factor[(i * grown.Stride) + j], 1e-10);
            }
        }
    }

    [Fact]
    public void A_fantasy_keeps_the_mean_shrinks_the_variance_and_is_removed_cleanly()
    {
        var (x, y) = Data(15, 4);
        var gp = new GaussianProcess(Hyperparameters());
        gp.SetData(Reference.Flatten(x), y);
        double[] pending = [0.5, 0.5, 0.5];
        var before = gp.PredictWithGradient(pending, new double[3], new double[3]);
        gp.AddFantasy(pending);
        var during = gp.PredictWithGradient(pending, new double[3], new double[3]);
        Assert.Equal(before.Mean, during.Mean, 1e-9);
        Assert.True(during.Variance < before.Variance / 5, $"{during.Variance} vs {before.Variance}");

        // The fantasy equals a real observation at the posterior mean.
        var reference = Reference.Posterior([.. x, pending], [.. y, before.Mean], [0.52, 0.5, 0.47], Lengthscales, Variance, Noise);
        var near = gp.PredictWithGradient([0.52, 0.5, 0.47], new double[3], new double[3]);
        Assert.Equal(reference.Mean, near.Mean, 1e-8);
        Assert.Equal(reference.Variance, near.Variance, 1e-8);

        gp.ClearFantasies();
        var after = gp.PredictWithGradient(pending, new double[3], new double[3]);
        Assert.Equal(before.Variance, after.Variance, 1e-12);
    }

    [Fact]
    public void Adding_fantasies_as_a_block_equals_adding_them_one_by_one()
    {
        var (x, y) = Data(20, 6);
        var pending = Reference.RandomPoints(new Random(7), 9, 3);
        var single = new GaussianProcess(Hyperparameters());
        single.SetData(Reference.Flatten(x), y);
        foreach (var p in pending)
        {
            single.AddFantasy(p);
        }

        var block = new GaussianProcess(Hyperparameters());
        block.SetData(Reference.Flatten(x), y);
        block.AddFantasies(Reference.Flatten(pending), pending.Length);
        Assert.Equal(single.Count, block.Count);
        for (var i = 0; i < single.Count; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                Assert.Equal(single.Factor[(i * single.Stride) + j], block.Factor[(i * block.Stride) + j], 1e-10);
            }
        }

        double[] query = [0.4, 0.6, 0.2];
        Assert.Equal(single.PredictWithGradient(query, new double[3], new double[3]).Variance, block.PredictWithGradient(query, new double[3], new double[3]).Variance, 1e-12);
    }

    [Fact]
    public void Tracked_points_stay_equal_to_a_fresh_prediction_as_fantasies_are_added()
    {
        var (x, y) = Data(40, 8);
        var gp = new GaussianProcess(Hyperparameters());
        gp.SetData(Reference.Flatten(x), y);
        gp.AddFantasy([0.1, 0.2, 0.3]); // a pending point before tracking starts
        var points = Reference.RandomPoints(new Random(9), 37, 3); // not a multiple of the SIMD width
        var transposed = Transposed(points);
        var tracked = gp.Track(transposed, points.Length);
        var mean = new double[points.Length];
        var variance = new double[points.Length];
        foreach (var fantasy in new[] { points[4], points[30], [0.9, 0.9, 0.9] })
        {
            var before = tracked.Variance.ToArray();
            gp.AddFantasy(fantasy, tracked);
            gp.Predict(transposed, points.Length, mean, variance);
            for (var j = 0; j < points.Length; j++)
            {
                Assert.Equal(mean[j], tracked.Mean[j], 1e-10);
                Assert.Equal(variance[j], tracked.Variance[j], 1e-10);
                Assert.True(tracked.Variance[j] <= before[j] + 1e-15);
            }
        }

        Assert.True(tracked.Variance[4] < 0.01 * Variance, $"variance at a fantasy: {tracked.Variance[4]}");
        // Out of date though the model has as many points again: four fantasies gone, four observations in.
        gp.ClearFantasies();
        foreach (var observation in Reference.RandomPoints(new Random(10), 4, 3))
        {
            gp.AddObservation(observation, 0.5);
        }

        Assert.Throws<InvalidOperationException>(() => gp.AddFantasy([0.5, 0.5, 0.5], tracked));
    }

    private static double[] Transposed(double[][] points)
    {
        var dimension = points[0].Length;
        var transposed = new double[dimension * points.Length];
        for (var j = 0; j < points.Length; j++)
        {
            for (var d = 0; d < dimension; d++)
            {
                transposed[(d * points.Length) + j] = points[j][d];
            }
        }

        return transposed;
    }

    [Fact]
    public void Posterior_gradients_match_finite_differences()
    {
        var (x, y) = Data(20, 5);
        var gp = new GaussianProcess(Hyperparameters());
        gp.SetData(Reference.Flatten(x), y);
        gp.AddFantasy([0.2, 0.9, 0.4]);
        double[] point = [0.31, 0.62, 0.27];
        var dMean = new double[3];
        var dVariance = new double[3];
        gp.PredictWithGradient(point, dMean, dVariance);
        const double h = 1e-6;
        for (var d = 0; d < 3; d++)
        {
            var plus = (double[])point.Clone();
            var minus = (double[])point.Clone();
            plus[d] += h;
            minus[d] -= h;
            var p = gp.PredictWithGradient(plus, new double[3], new double[3]);
            var m = gp.PredictWithGradient(minus, new double[3], new double[3]);
            Assert.Equal((p.Mean - m.Mean) / (2 * h), dMean[d], 1e-5);
            Assert.Equal((p.Variance - m.Variance) / (2 * h), dVariance[d], 1e-5);
        }
    }

    [Fact]
    public void Duplicate_points_are_factorized_with_jitter()
    {
        var x = new[] { new[] { 0.5, 0.5, 0.5 }, new[] { 0.5, 0.5, 0.5 }, new[] { 0.1, 0.2, 0.3 } };
        var gp = new GaussianProcess(new GpHyperparameters([0, 0, 0, 0, Math.Log(1e-300)]));
        gp.SetData(Reference.Flatten(x), [1.0, 1.0, 0.0]);
        Assert.True(gp.Jitter > 0);
    }
}
