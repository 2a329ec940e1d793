using HpcTune.Gp.Sampling;
using HpcTune.Objectives;
using HpcTune.Study;
using HpcTune.Tuning;

namespace HpcTune.Gp.Tests;

/// <summary>
/// The stalled schedule of coordinate moves (docs/gp-rugged.md), which the default paying schedule builds on: they join
/// the candidates only while the trust region stalls, half the failures that halve it in a row, and stay out while it improves.
/// </summary>
public class StalledRegionTests
{
    private const int Initial = 5;

    private static List<double> Design() => [1, 3, 2, 0, 4]; // best of the design: 4

    [Fact]
    public void A_region_that_keeps_improving_does_not_stall()
    {
        var values = Design();
        values.AddRange([5, 6, 7, 8, 9, 10, 11]);
        Assert.False(TrustRegion.Replay(values, Initial, 8).Stalled);
    }

    [Theory]
    [InlineData(2, 2)] // 4 failures halve a region of at most 4 features: 2 stall it
    [InlineData(8, 4)] // one per feature beyond
    [InlineData(9, 5)] // half, rounded up
    public void Half_the_failures_that_halve_the_region_stall_it(int features, int stalling)
    {
        var values = Design();
        values.AddRange([5, 6]); // improving
        values.AddRange(Enumerable.Repeat(0.5, stalling - 1));
        Assert.False(TrustRegion.Replay(values, Initial, features).Stalled);
        values.Add(0.5);
        Assert.True(TrustRegion.Replay(values, Initial, features).Stalled);
        values.Add(7); // an improvement ends the stall
        Assert.False(TrustRegion.Replay(values, Initial, features).Stalled);
    }

    [Fact]
    public void A_halving_starts_the_count_again()
    {
        var values = Design();
        values.AddRange(Enumerable.Repeat(0.5, 4)); // 4 features: the fourth failure halves the region
        var state = TrustRegion.Replay(values, Initial, 4);
        Assert.Equal(TrustRegion.InitialLength / 2, state.Length);
        Assert.False(state.Stalled);
    }

    [Fact]
    public void The_design_never_stalls() =>
        Assert.False(TrustRegion.Replay([4, 3, 2, 1, 0], Initial, 2).Stalled);

    /// <summary>
    /// A sampler with moves, fed results the test chooses: each better than the last, then each worse than the best.
    /// In 2 features 4 failures halve the region and 2 stall it, so after the improvements the moves go 0, 0 (1 failure),
    /// 8, 8 (2 and 3), 0 (the halving starts the count again), 0, 8, 8 on the stalled schedule; always 8 on the other.
    /// </summary>
    [Theory]
    [InlineData(false, new[] { 0, 0, 8, 8, 0, 0, 8, 8 })]
    [InlineData(true, new[] { 8, 8, 8, 8, 8, 8, 8, 8 })]
    public void A_sampler_adds_moves_while_its_region_stalls_and_not_while_it_improves(bool always, int[] afterImprovements)
    {
        var sampler = new GpSampler(new GpOptions { CoordinateMoves = 8, CoordinateMovesWhen = always ? CoordinateMoveSchedule.Always : CoordinateMoveSchedule.Stalled });
        var tuner = new Tuner(new StyblinskiTang(2).CreateStudy(30, 1, new AlgorithmSpec("gp", 4)), new TunerOptions { Sampler = sampler });
        const int Improving = 14;
        var moves = new List<int>();
        for (var n = 0; n < Improving + afterImprovements.Length; n++)
        {
            var trial = tuner.Suggest("w").Trial!;
            if (n >= Initial)
            {
                moves.Add(sampler.LastCoordinateMoves); // the design is max(5, d + 1) = 5 points
            }

            tuner.Observe(trial.Id, n < Improving ? -n : 100); // minimized: better every time, then never again
        }

        var whileImproving = always ? 8 : 0;
        Assert.Equal([.. Enumerable.Repeat(whileImproving, Improving - Initial), .. afterImprovements], moves);
    }
}
