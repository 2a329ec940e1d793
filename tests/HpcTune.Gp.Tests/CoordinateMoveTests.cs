using HpcTune.Gp.Acquisition;
using HpcTune.Gp.Model;
using HpcTune.Gp.Sampling;
using HpcTune.Objectives;
using HpcTune.Sampling;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Tuning;

namespace HpcTune.Gp.Tests;

/// <summary>
/// Coordinate moves (docs/gp-rugged.md): candidates that move the incumbent along one parameter across its whole range,
/// outside the trust region, so a coordinate left in a shallow basin can reach the deep one.
/// </summary>
public class CoordinateMoveTests
{
    private static readonly SearchSpace Space = new([ParameterDefinition.Double("x1", 0, 1), ParameterDefinition.Double("x2", 0, 1)]);

    /// <summary>The incumbent's small region at (0.3, 0.2), and a model sure that x2 near 0.9, far outside it, is much better.</summary>
    private static (GaussianProcess Model, double[] Incumbent, SearchBox Region) Setup()
    {
        var gp = new GaussianProcess(new GpHyperparameters([Math.Log(0.15), Math.Log(0.15), 0, Math.Log(1e-6)]));
        double[] x2 = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
        gp.SetData([.. x2.SelectMany(v => new[] { 0.3, v })], [.. x2.Select(v => Math.Abs(v - 0.9) < 0.15 ? 2.0 : 0.0)]);
        return (gp, [0.3, 0.2], new SearchBox([0.25, 0.15], [0.35, 0.25]));
    }

    [Fact]
    public void A_move_across_one_coordinate_wins_where_the_model_expects_the_deep_basin()
    {
        var (gp, incumbent, region) = Setup();
        var optimizer = new AcquisitionOptimizer(new FeatureEncoder(Space), candidates: 64) { CoordinateMoves = 8 };
        var suggestion = optimizer.Optimize(gp, new LogExpectedImprovement(0.5), [incumbent], new HashSet<Assignment>(), [], seed: 3, region)!;
        Assert.InRange(suggestion.GetDouble("x1"), 0.25, 0.35); // the other coordinate stays in the region
        Assert.InRange(suggestion.GetDouble("x2"), 0.75, 1.0);
    }

    [Fact]
    public void Without_moves_the_suggestion_stays_in_the_region()
    {
        var (gp, incumbent, region) = Setup();
        var optimizer = new AcquisitionOptimizer(new FeatureEncoder(Space), candidates: 64);
        var suggestion = optimizer.Optimize(gp, new LogExpectedImprovement(0.5), [incumbent], new HashSet<Assignment>(), [], seed: 3, region)!;
        Assert.InRange(suggestion.GetDouble("x1"), 0.25, 0.35);
        Assert.InRange(suggestion.GetDouble("x2"), 0.15, 0.25);
    }

    /// <summary>
    /// Sequentially on Styblinski–Tang-4, how many model-based suggestions leave the trust region they were searched in:
    /// none without moves (every candidate lies in it), some with them.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    public void Only_a_sampler_with_moves_suggests_outside_its_trust_region(int moves)
    {
        var function = new StyblinskiTang(4);
        var sampler = new GpSampler(new GpOptions { CoordinateMoves = moves });
        var tuner = new Tuner(function.CreateStudy(40, 1, new AlgorithmSpec("gp", 2)), new TunerOptions { Sampler = sampler });
        var outside = 0;
        SearchBox? before = null;
        for (var n = 0; n < 40; n++)
        {
            var trial = tuner.Suggest("w").Trial!;
            double[] x = [.. Enumerable.Range(1, 4).Select(i => trial.Assignment.GetDouble($"x{i}"))];
            // A design point (the first, or a restarted search's) leaves the region of the suggestion before it in place.
            var modelBased = sampler.Region is not null && !ReferenceEquals(sampler.Region, before);
            before = sampler.Region;
            if (modelBased && !Inside(sampler.Region!, [.. x.Select((v, i) => (v - function.LowerBound(i)) / (function.UpperBound(i) - function.LowerBound(i)))]))
            {
                outside++;
            }

            tuner.Observe(trial.Id, function.Evaluate(x));
        }

        if (moves == 0)
        {
            Assert.Equal(0, outside);
        }
        else
        {
            Assert.InRange(outside, 1, 35);
        }
    }

    /// <summary>Whether <paramref name="unit"/> lies in <paramref name="box"/>, up to the rounding of decoding a parameter and scaling it back.</summary>
    private static bool Inside(SearchBox box, double[] unit) =>
        unit.Select((v, f) => v >= box.Lower[f] - 1e-9 && v <= box.Upper[f] + 1e-9).All(inside => inside);
}
