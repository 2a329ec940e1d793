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

    [Fact]
    public void A_fresh_region_has_the_initial_side() =>
        Assert.Equal(TrustRegion.InitialLength, TrustRegion.Length(Design(), Initial, 6));

    [Fact]
    public void Three_improvements_in_a_row_double_the_side()
    {
        var values = Design();
        values.AddRange([5, 6]);
        Assert.Equal(TrustRegion.InitialLength, TrustRegion.Length(values, Initial, 6));
        values.Add(7);
        Assert.Equal(2 * TrustRegion.InitialLength, TrustRegion.Length(values, Initial, 6));
    }

    [Fact]
    public void An_improvement_smaller_than_a_thousandth_of_the_range_is_not_one()
    {
        var values = Design();
        values.AddRange([4.001, 4.002, 4.003]);
        Assert.Equal(TrustRegion.InitialLength, TrustRegion.Length(values, Initial, 6));
    }

    [Theory]
    [InlineData(2, 4)] // at least 4 failures
    [InlineData(6, 6)] // else one per continuous feature
    public void Failures_as_many_as_the_features_halve_the_side(int features, int tolerance)
    {
        var values = Design();
        values.AddRange(Enumerable.Repeat(0.5, tolerance - 1));
        Assert.Equal(TrustRegion.InitialLength, TrustRegion.Length(values, Initial, features));
        values.Add(0.5);
        Assert.Equal(TrustRegion.InitialLength / 2, TrustRegion.Length(values, Initial, features));
    }

    [Fact]
    public void A_region_shrunk_below_the_minimum_starts_over()
    {
        var values = Design();
        var halvings = (int)Math.Ceiling(Math.Log2(TrustRegion.InitialLength / TrustRegion.MinLength));
        values.AddRange(Enumerable.Repeat(0.5, (4 * halvings) - 1));
        Assert.Equal(TrustRegion.InitialLength / Math.Pow(2, halvings - 1), TrustRegion.Length(values, Initial, 4));
        values.Add(0.5);
        Assert.Equal(TrustRegion.InitialLength, TrustRegion.Length(values, Initial, 4));
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
                var best = Enumerable.Range(0, values.Count).MaxBy(k => values[k]);
                var length = TrustRegion.Length(values, Math.Max(5, function.Dimension + 1), encoder.ContinuousFeatures.Count);
                var box = TrustRegion.Around(features[best], length, model.Hyperparameters, encoder.ContinuousFeatures);
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
