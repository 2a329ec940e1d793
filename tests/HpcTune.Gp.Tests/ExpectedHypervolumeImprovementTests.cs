using HpcTune.Gp.Acquisition;
using HpcTune.Gp.MultiObjective;
using HpcTune.Tuning;

namespace HpcTune.Gp.Tests;

public class ExpectedHypervolumeImprovementTests
{
    /// <summary>
    /// log EHVI against a Monte Carlo estimate of the same expectation: draws of the objectives, each draw's
    /// improvement measured as the growth of the exact hypervolume (Core's, an independent computation).
    /// </summary>
    [Theory]
    [InlineData(2, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(4, 4)]
    public void Log_ehvi_matches_a_monte_carlo_estimate_of_the_improvement(int k, int seed)
    {
        var random = new Random(seed);
        var front = Hypervolume.NonDominated([.. Enumerable.Range(0, 6).Select(_ => Enumerable.Range(0, k).Select(_ => random.NextDouble()).ToArray())], k);
        var reference = Enumerable.Repeat(1.2, k).ToArray();
        var mean = Enumerable.Range(0, k).Select(_ => 0.3 + (0.5 * random.NextDouble())).ToArray();
        var sd = Enumerable.Range(0, k).Select(_ => 0.1 + (0.3 * random.NextDouble())).ToArray();
        var logEhvi = new LogExpectedHypervolumeImprovement(NonDominatedCells.Of(front, reference)).Value(mean, sd);

        var before = Hypervolume.Of(front, reference);
        const int draws = 40_000;
        var sum = 0.0;
        var sumSquares = 0.0;
        for (var s = 0; s < draws; s++)
        {
            var y = mean.Select((m, j) => m + (sd[j] * NormalMath.Sample(random))).ToArray();
            var improvement = Hypervolume.Of([.. front, y], reference) - before;
            sum += improvement;
            sumSquares += improvement * improvement;
        }

        var estimate = sum / draws;
        var standardError = Math.Sqrt(((sumSquares / draws) - (estimate * estimate)) / draws);
        Assert.True(estimate > 10 * standardError, $"the case should have a clearly positive improvement, got {estimate} ± {standardError}");
        Assert.InRange(Math.Exp(logEhvi), estimate - (5 * standardError), estimate + (5 * standardError));
    }

    [Fact]
    public void Far_in_the_tail_log_ehvi_stays_finite_and_still_prefers_the_closer_point()
    {
        double[][] front = [[0, 1], [1, 0]];
        var ehvi = new LogExpectedHypervolumeImprovement(NonDominatedCells.Of(front, [2, 2]));
        var far = ehvi.Value([30, 30], [0.5, 0.5]);
        var farther = ehvi.Value([40, 40], [0.5, 0.5]);
        Assert.True(double.IsFinite(far) && double.IsFinite(farther), $"{far}, {farther}");
        Assert.True(far > farther);
        Assert.True(far < -1000); // an improvement exp(far) would underflow
    }

    [Fact]
    public void Two_objectives_give_one_strip_more_than_the_front_has_points()
    {
        var cells = NonDominatedCells.Of([[0, 3], [1, 2], [2, 1], [3, 0], [2.5, 2.5]], [4, 4]);
        Assert.Equal(5, cells.ColumnTop.Length);
    }
}
