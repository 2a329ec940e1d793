using HpcTune.Gp.Model;
using HpcTune.Gp.Sampling;
using HpcTune.Objectives;
using HpcTune.Study;
using HpcTune.Tuning;

namespace HpcTune.Gp.Tests;

public class TrustRegionTests
{
    private const int Initial = 5;

    private static List<double> Design() => [1, 3, 2, 0, 4]; // best of the design: 4

    /// <summary>The side and the search's first result, what these tests follow.</summary>
    private static (double Length, int Start) Region(TrustRegionState state) => (state.Length, state.Start);

    /// <summary>Results known when each of <paramref name="count"/> suggestions was made, with one other always open.</summary>
    private static List<int> OneOtherOpen(int count) => [.. Enumerable.Range(0, count).Select(i => Math.Max(0, i - 1))];

    /// <summary>Results known when each of <paramref name="count"/> suggestions was made: never the design's best (result 4).</summary>
    private static List<int> BeforeTheIncumbent(int count) => [.. Enumerable.Range(0, count).Select(i => Math.Min(i, 3))];

    [Fact]
    public void A_fresh_region_has_the_initial_side() =>
        Assert.Equal(TrustRegion.InitialLength, TrustRegion.Replay(Design(), Initial, 6).Length);

    [Fact]
    public void Three_improvements_in_a_row_double_the_side()
    {
        var values = Design();
        values.AddRange([5, 6]);
        Assert.Equal(TrustRegion.InitialLength, TrustRegion.Replay(values, Initial, 6).Length);
        values.Add(7);
        Assert.Equal(2 * TrustRegion.InitialLength, TrustRegion.Replay(values, Initial, 6).Length);
    }

    [Fact]
    public void An_improvement_smaller_than_a_thousandth_of_the_range_is_not_one()
    {
        var values = Design();
        values.AddRange([4.001, 4.002, 4.003]);
        Assert.Equal(TrustRegion.InitialLength, TrustRegion.Replay(values, Initial, 6).Length);
    }

    [Theory]
    [InlineData(2, 4)] // at least 4 failures
    [InlineData(6, 6)] // else one per continuous feature
    public void Failures_as_many_as_the_features_halve_the_side(int features, int tolerance)
    {
        var values = Design();
        values.AddRange(Enumerable.Repeat(0.5, tolerance - 1));
        Assert.Equal(TrustRegion.InitialLength, TrustRegion.Replay(values, Initial, features).Length);
        values.Add(0.5);
        Assert.Equal(TrustRegion.InitialLength / 2, TrustRegion.Replay(values, Initial, features).Length);
    }

    /// <summary>Failures (4 features: 4 each) that take a fresh region below the minimum side.</summary>
    private static int FailuresToCollapse => 4 * (int)Math.Ceiling(Math.Log2(TrustRegion.InitialLength / TrustRegion.MinLength));

    [Fact]
    public void A_region_that_collapsed_with_every_result_known_starts_a_new_search_at_once()
    {
        var values = Design();
        values.AddRange(Enumerable.Repeat(0.5, FailuresToCollapse - 1));
        Assert.Equal(TrustRegion.InitialLength / Math.Pow(2, (FailuresToCollapse / 4) - 1), TrustRegion.Replay(values, Initial, 4).Length);
        values.Add(0.5);
        var restarted = (TrustRegion.InitialLength, values.Count);
        Assert.Equal(restarted, Region(TrustRegion.Replay(values, Initial, 4))); // one suggestion at a time
        Assert.Equal(restarted, Region(TrustRegion.Replay(values, Initial, 4, [.. Enumerable.Range(0, values.Count)])));
    }

    [Fact]
    public void A_region_that_collapsed_through_failures_of_suggestions_made_before_the_incumbent_opens_again_around_the_same_point()
    {
        var values = Design();
        values.AddRange(Enumerable.Repeat(0.5, FailuresToCollapse));
        Assert.Equal((TrustRegion.InitialLength, 0), Region(TrustRegion.Replay(values, Initial, 4, BeforeTheIncumbent(values.Count))));
    }

    [Fact]
    public void A_region_that_collapsed_through_failures_of_suggestions_that_knew_the_incumbent_starts_over_though_others_were_open()
    {
        var values = Design();
        values.AddRange(Enumerable.Repeat(0.5, FailuresToCollapse));
        Assert.Equal((TrustRegion.InitialLength, values.Count), Region(TrustRegion.Replay(values, Initial, 4, OneOtherOpen(values.Count))));

        // Only the last halving's failures decide: stale ones before it (here all but the last 4) do not.
        var known = OneOtherOpen(values.Count);
        for (var i = Initial; i < values.Count - 4; i++)
        {
            known[i] = 3;
        }

        Assert.Equal((TrustRegion.InitialLength, values.Count), Region(TrustRegion.Replay(values, Initial, 4, known)));
        known[values.Count - 2] = 3;
        Assert.Equal((TrustRegion.InitialLength, 0), Region(TrustRegion.Replay(values, Initial, 4, known)));
    }

    [Fact]
    public void A_second_collapse_without_improvement_starts_a_new_search_with_its_own_design()
    {
        var values = Design();
        values.AddRange(Enumerable.Repeat(0.5, 2 * FailuresToCollapse));
        var known = BeforeTheIncumbent(values.Count);
        var state = TrustRegion.Replay(values, Initial, 4, known);
        Assert.Equal((TrustRegion.InitialLength, values.Count), Region(state));

        // The new search's design (worse than the old best) only sets its incumbent: no failures counted...
        values.AddRange([-3, -2, -1, -5, -4]);
        known.AddRange(Enumerable.Range(state.Start, 5));
        Assert.Equal((TrustRegion.InitialLength, state.Start), Region(TrustRegion.Replay(values, Initial, 4, known)));

        // ...and improving on it counts, though the study's best (4) stays far ahead.
        values.AddRange([-0.5, 0, 0.5]);
        known.AddRange(Enumerable.Range(state.Start + 5, 3));
        Assert.Equal((2 * TrustRegion.InitialLength, state.Start), Region(TrustRegion.Replay(values, Initial, 4, known)));
    }

    [Fact]
    public void A_search_started_over_ignores_results_of_suggestions_made_before_it()
    {
        var values = Design();
        values.AddRange(Enumerable.Repeat(0.5, FailuresToCollapse));
        var start = values.Count; // one collapse, every result known
        var known = Enumerable.Range(0, start).ToList();
        values.Add(4.5); // made before the restart, with 3 results fewer: it belongs to the search before
        known.Add(start - 3);
        values.AddRange([-3, -2, -1, -5, -4, -0.5, 0, 0.5]); // the new search's design, then three improvements
        known.AddRange(Enumerable.Range(start + 1, 8));

        Assert.Equal((2 * TrustRegion.InitialLength, start), Region(TrustRegion.Replay(values, Initial, 4, known)));
        // Counted as the new search's, the old result would be its incumbent, and the improvements failures.
        known[start] = start;
        Assert.Equal((TrustRegion.InitialLength / 2, start), Region(TrustRegion.Replay(values, Initial, 4, known)));
    }

    [Fact]
    public void A_collapse_after_an_improvement_opens_again_around_the_same_point()
    {
        var values = Design();
        values.AddRange(Enumerable.Repeat(0.5, FailuresToCollapse));
        values.Add(4.5); // better than the best at the first collapse (4)
        values.AddRange(Enumerable.Repeat(0.5, FailuresToCollapse));
        Assert.Equal((TrustRegion.InitialLength, 0), Region(TrustRegion.Replay(values, Initial, 4, BeforeTheIncumbent(values.Count))));
    }

    [Fact]
    public void Improvements_are_measured_against_the_incumbent_not_only_the_range()
    {
        // Rosenbrock-like: a huge range, then steady small gains near the minimum. A thousandth of the range
        // (1,000) would call them failures and halve the region; a thousandth of the incumbent does not.
        List<double> values = [-1e6, -2e5, -5e4, -3e4, -10];
        values.AddRange([-9, -8, -7]);
        Assert.Equal(2 * TrustRegion.InitialLength, TrustRegion.Replay(values, Initial, 4).Length);
    }

    [Fact]
    public void The_box_surrounds_the_centre_in_proportion_to_the_length_scales_and_stays_in_the_unit_box()
    {
        // Features 0 and 1 continuous (ℓ = 2 and 0.5, geometric mean 1), 2 and 3 a one-hot block.
        var hyperparameters = new GpHyperparameters([Math.Log(2), Math.Log(0.5), 0, 0, 0, -9]);
        var box = TrustRegion.Around([0.5, 0.95, 1, 0], 0.2, hyperparameters, [0, 1]);
        Assert.Equal(0.3, box.Lower[0], 12); // side 0.2 × 2
        Assert.Equal(0.7, box.Upper[0], 12);
        Assert.Equal(0.9, box.Lower[1], 12); // side 0.2 × 0.5
        Assert.Equal(1.0, box.Upper[1], 12); // 1.0 clipped
        Assert.Equal([0.0, 0.0], box.Lower[2..]);
        Assert.Equal([1.0, 1.0], box.Upper[2..]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Suggestions_stay_inside_the_region_when_it_is_on(bool trustRegion)
    {
        var function = new Rosenbrock(4);
        var study = function.CreateStudy(40, 1, new AlgorithmSpec("gp", 3));
        var sampler = new GpSampler(new GpOptions { TrustRegion = trustRegion });
        var tuner = new Tuner(study, new TunerOptions { Sampler = sampler });
        var encoder = new FeatureEncoder(study.Space);
        var features = new List<double[]>();
        var values = new List<double>();
        var outside = 0;
        for (var i = 0; i < 40; i++)
        {
            var trial = tuner.Suggest("w").Trial!;
            var point = new double[encoder.Dimension];
            encoder.Encode(trial.Assignment, point);
            if (sampler.Model is { } model && i >= features.Count && values.Count >= 5)
            {
                var region = TrustRegion.Replay(values, Math.Max(5, function.Dimension + 1), encoder.ContinuousFeatures.Count);
                var best = Enumerable.Range(region.Start, values.Count - region.Start).MaxBy(k => values[k]);
                var box = TrustRegion.Around(features[best], region.Length, model.Hyperparameters, encoder.ContinuousFeatures);
                // Decoding to an assignment and encoding again may move a coordinate on the boundary by an ulp.
                outside += point.Where((x, f) => x < box.Lower[f] - 1e-12 || x > box.Upper[f] + 1e-12).Any() ? 1 : 0;
            }

            var value = function.Evaluate([.. Enumerable.Range(1, 4).Select(k => trial.Assignment.GetDouble($"x{k}"))]);
            tuner.Observe(trial.Id, value);
            features.Add(point);
            values.Add(-value); // the sampler models maximization
        }

        if (trustRegion)
        {
            Assert.Equal(0, outside);
        }
        else
        {
            Assert.True(outside > 0, "without the region some suggestion should leave it; the check would then prove nothing");
        }
    }
}
