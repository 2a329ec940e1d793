using HpcTune.Gp.Acquisition;
using HpcTune.Gp.Model;
using MathNet.Numerics;

namespace HpcTune.Gp.Tests;

public class IntegratedExpectedImprovementTests
{
    private const double Variance = 1.0, Noise = 1e-4;
    private static readonly double[] Lengthscales = [0.3, 0.4];

    private static GpHyperparameters Hyperparameters() => new([.. Lengthscales.Select(l => Math.Log(l)), Math.Log(Variance), Math.Log(Noise)]);

    private static (double[][] X, double[] Y) Data()
    {
        var x = Reference.RandomPoints(new Random(3), 10, 2);
        return (x, [.. x.Select(p => Math.Sin(5 * p[0]) + Math.Cos(4 * p[1]))]);
    }

    /// <summary>
    /// E over the open outcomes of EI at <paramref name="point"/>, by nested Gauss–Legendre quadrature with each open
    /// outcome drawn from the textbook posterior given the data and the outcomes before it, and EI from the textbook
    /// posterior given all of them: nothing of the fast code's factor or fantasies is used.
    /// </summary>
    private static double ExpectedImprovementByQuadrature(double[][] x, double[] y, double[][] open, double[] point, double incumbent)
    {
        if (open.Length == 0)
        {
            var (mean, variance) = Reference.Posterior(x, y, point, Lengthscales, Variance, Noise);
            var sd = Math.Sqrt(variance);
            return sd * Math.Exp(NormalMath.LogH((mean - incumbent) / sd));
        }

        var (outcomeMean, latentVariance) = Reference.Posterior(x, y, open[0], Lengthscales, Variance, Noise);
        var outcomeSd = Math.Sqrt(latentVariance + Noise);
        double Integrand(double outcome) =>
            Math.Exp(-0.5 * Math.Pow((outcome - outcomeMean) / outcomeSd, 2)) / (outcomeSd * Math.Sqrt(2 * Math.PI))
            * ExpectedImprovementByQuadrature([.. x, open[0]], [.. y, outcome], open[1..], point, Math.Max(incumbent, outcome));

        // Split where the incumbent's max has its kink, so each piece is smooth.
        double lower = outcomeMean - (8 * outcomeSd), upper = outcomeMean + (8 * outcomeSd);
        var kink = Math.Clamp(incumbent, lower, upper);
        return Integrate.GaussLegendre(Integrand, lower, kink, 48) + Integrate.GaussLegendre(Integrand, kink, upper, 48);
    }

    /// <summary>A model of <see cref="Data"/> with <paramref name="open"/> as fantasies, and the acquisition told of each.</summary>
    private static (GaussianProcess Gp, IntegratedExpectedImprovement Integrated) WithOpen(int draws, long seed, IEnumerable<double[]> open)
    {
        var (x, y) = Data();
        var gp = new GaussianProcess(Hyperparameters());
        gp.SetData(Reference.Flatten(x), y);
        var integrated = new IntegratedExpectedImprovement(y.Max(), draws, seed);
        foreach (var point in open)
        {
            integrated.AddPending(gp.PredictMean(point));
            gp.AddFantasy(point);
        }

        return (gp, integrated);
    }

    private static double[] Transposed(double[][] points) =>
        [.. Enumerable.Range(0, points[0].Length).SelectMany(d => points.Select(p => p[d]))];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Equals_the_expected_improvement_over_the_open_outcomes_by_quadrature(int openCount)
    {
        var (x, y) = Data();
        var best = y.Max();
        var top = x[Array.IndexOf(y, best)];
        // One open suggestion next to the best result (its outcome moves the incumbent), one elsewhere.
        double[][] open = [[Math.Min(top[0] + 0.08, 1), top[1]], [0.9, 0.1]];
        open = open[..openCount];
        double[][] candidates = [[top[0] + 0.04, top[1] + 0.02], [Math.Max(top[0] - 0.1, 0), top[1]], [top[0], Math.Min(top[1] + 0.1, 1)], [0.5, 0.5]];
        var (gp, integrated) = WithOpen(draws: 200_000, seed: 11, open);
        var believedBest = Math.Max(best, open.Max(p => gp.PredictMean(p))); // a fantasy leaves the mean as it was

        var tracked = gp.Track(Transposed(candidates), candidates.Length);
        var score = new double[candidates.Length];
        integrated.Score(gp, tracked, score);

        var believerGap = 0.0;
        var report = "";
        var worst = 0.0;
        for (var j = 0; j < candidates.Length; j++)
        {
            var expected = Math.Log(ExpectedImprovementByQuadrature(x, y, open, candidates[j], best));
            var believer = new LogExpectedImprovement(believedBest).Score(tracked.Mean[j], Math.Sqrt(tracked.Variance[j]));
            report += $" candidate {j}: {score[j]} by draws, {expected} by quadrature, {believer} believed;";
            worst = Math.Max(worst, Math.Abs(score[j] - expected));
            believerGap = Math.Max(believerGap, Math.Abs(believer - expected));
        }

        Assert.True(worst < 0.02, report);

        // The comparison can tell: the believer's log-EI, the outcomes fixed at their means, is further off.
        Assert.True(believerGap > 0.2, $"the believer is within {believerGap} of the quadrature");
    }

    [Fact]
    public void Past_the_exact_count_the_bound_keeps_the_best_candidates_and_orders_the_rest()
    {
        var (gp, integrated) = WithOpen(draws: 32, seed: 7, Reference.RandomPoints(new Random(8), 12, 2));
        var candidates = Reference.RandomPoints(new Random(9), 600, 2);
        var tracked = gp.Track(Transposed(candidates), candidates.Length);
        var score = new double[candidates.Length];
        integrated.Score(gp, tracked, score);
        var exact = candidates.Select(c => integrated.ScoreAt(gp, c)).ToArray(); // one point at a time: all by the draws

        var top = Enumerable.Range(0, candidates.Length).OrderByDescending(j => exact[j]).ToArray();
        var topByScore = Enumerable.Range(0, candidates.Length).OrderByDescending(j => score[j]).Take(IntegratedExpectedImprovement.ExactCount);
        Assert.Equal(top.Take(IntegratedExpectedImprovement.ExactCount).Order(), topByScore.Order());
        foreach (var j in top.Take(IntegratedExpectedImprovement.ExactCount))
        {
            Assert.Equal(exact[j], score[j], 1e-9);
        }

        // The rest, scored by the bound (of the expectation: the draws' own average can exceed it a little), stay
        // below the best, and the bound is close where it matters: the best of them is within the draws' noise.
        var bounded = Enumerable.Range(0, candidates.Length).Where(j => Math.Abs(score[j] - exact[j]) > 1e-9).ToList();
        Assert.True(bounded.Count > candidates.Length / 2, $"only {bounded.Count} of {candidates.Length} candidates were spared the draws");
        Assert.All(bounded, j => Assert.True(score[j] < exact[top[IntegratedExpectedImprovement.ExactCount - 1]] && score[j] > exact[j] - 0.1, $"candidate {j}: bound {score[j]}, draws {exact[j]}"));
    }

    [Fact]
    public void Refuses_a_model_whose_fantasies_are_not_its_open_suggestions()
    {
        var (gp, integrated) = WithOpen(draws: 8, seed: 1, [[0.5, 0.5]]);
        gp.AddFantasy([0.2, 0.7]); // a second fantasy the acquisition was not told of
        var tracked = gp.Track([0.1, 0.3], 1);

        var error = Assert.Throws<InvalidOperationException>(() => integrated.Score(gp, tracked, new double[1]));
        Assert.Contains("2 fantasies", error.Message);
    }

    [Fact]
    public void The_same_seed_gives_the_same_scores_and_another_seed_other_ones()
    {
        var (x, y) = Data();
        var gp = new GaussianProcess(Hyperparameters());
        gp.SetData(Reference.Flatten(x), y);
        var mean = gp.PredictMean([0.4, 0.6]);
        gp.AddFantasy([0.4, 0.6]);
        var tracked = gp.Track([0.45, 0.62, 0.1, 0.9], 2);
        double[] Scores(long seed)
        {
            var integrated = new IntegratedExpectedImprovement(y.Max(), draws: 16, seed);
            integrated.AddPending(mean);
            var score = new double[2];
            integrated.Score(gp, tracked, score);
            return score;
        }

        Assert.Equal(Scores(5), Scores(5));
        Assert.NotEqual(Scores(5), Scores(6));
    }
}
