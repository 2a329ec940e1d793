using HpcTune.Study;
using HpcTune.Tuning;

namespace HpcTune.Core.Tests.Tuning;

public class HypervolumeTests
{
    [Fact]
    public void Two_dimensional_fronts_measure_as_computed_by_hand()
    {
        // (1,3) covers [1,4]×[3,4] = 3, (2,1) adds [2,4]×[1,3] = 4; (3,3) is dominated, (5,0) lies beyond the reference.
        Assert.Equal(7, Hypervolume.Of([[1, 3], [2, 1], [3, 3], [5, 0]], [4, 4]), 12);
        Assert.Equal(0, Hypervolume.Of([[4, 1]], [4, 4]));
        Assert.Equal(9, Hypervolume.Of([[1, 1], [1, 1]], [4, 4]), 12);
    }

    [Fact]
    public void Three_and_four_dimensional_fronts_measure_as_computed_by_hand()
    {
        // (0,0,1) alone: 2·2·1 = 4 under reference (2,2,2); (1,1,0) adds [1,2]²×[0,1] = 1.
        Assert.Equal(5, Hypervolume.Of([[0, 0, 1], [1, 1, 0]], [2, 2, 2]), 12);
        // Two boxes [0,2]×[1,2]×[0,2] (4) and [1,2]×[0,2]×[0,2] (4) overlap in [1,2]×[1,2]×[0,2] (2).
        Assert.Equal(6, Hypervolume.Of([[0, 1, 0], [1, 0, 0]], [2, 2, 2]), 12);
        // In 4-D: the unit corner (1,1,1,1) under (2,2,2,2) is 1; with (0,2-ε,...) nothing beyond reference counts.
        Assert.Equal(1, Hypervolume.Of([[1, 1, 1, 1], [0, 2, 0, 0]], [2, 2, 2, 2]), 12);
        // Inclusion–exclusion: boxes of (0,1,1,1) and (1,0,1,1) are 2 each and share 1.
        Assert.Equal(3, Hypervolume.Of([[0, 1, 1, 1], [1, 0, 1, 1]], [2, 2, 2, 2]), 12);
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    public void Random_fronts_agree_with_a_monte_carlo_estimate(int k, int seed)
    {
        var random = new Random(seed);
        var points = Enumerable.Range(0, 12).Select(_ => Enumerable.Range(0, k).Select(_ => random.NextDouble()).ToArray()).ToList();
        var reference = Enumerable.Repeat(1.1, k).ToArray();
        var exact = Hypervolume.Of(points, reference);

        const int samples = 200_000;
        var hits = 0;
        var z = new double[k];
        for (var s = 0; s < samples; s++)
        {
            for (var j = 0; j < k; j++)
            {
                z[j] = random.NextDouble() * 1.1;
            }

            if (points.Any(p => Enumerable.Range(0, k).All(j => p[j] <= z[j])))
            {
                hits++;
            }
        }

        var box = Math.Pow(1.1, k);
        var estimate = box * hits / samples;
        var standardError = box * Math.Sqrt(hits / (double)samples * (1 - (hits / (double)samples)) / samples);
        Assert.InRange(exact, estimate - (5 * standardError), estimate + (5 * standardError));
        Assert.InRange(exact, 0.05 * box, 0.99 * box); // a front that says something, not an empty or full box
    }

    [Fact]
    public void Dominated_points_and_the_order_of_points_change_nothing()
    {
        var random = new Random(5);
        var points = Enumerable.Range(0, 40).Select(_ => new[] { random.NextDouble(), random.NextDouble(), random.NextDouble() }).ToList();
        var front = Hypervolume.NonDominated(points, 3);
        Assert.True(front.Count < points.Count);
        double[] reference = [1, 1, 1];
        Assert.Equal(Hypervolume.Of(points, reference), Hypervolume.Of(front, reference), 12);
        Assert.Equal(Hypervolume.Of(points, reference), Hypervolume.Of(Enumerable.Reverse(points), reference), 12);
    }

    [Fact]
    public void A_studys_front_is_measured_from_the_nadir_plus_a_tenth_of_the_range_with_maximized_metrics_flipped()
    {
        var study = new StudyDefinition("two", [HpcTune.Space.ParameterDefinition.Double("x", 0, 1)],
            [new MetricDefinition("loss", MetricObjective.Minimize), new MetricDefinition("accuracy", MetricObjective.Maximize)], 10,
            algorithm: new AlgorithmSpec("random", 1));
        var tuner = new Tuner(study);
        foreach (var (loss, accuracy) in new[] { (1.0, 0.5), (3.0, 0.9), (2.0, 0.6), (4.0, 0.4) })
        {
            var trial = tuner.Suggest("w").Trial!;
            tuner.Observe(trial.Id, new Dictionary<string, double> { ["loss"] = loss, ["accuracy"] = accuracy });
        }

        var (volume, reference) = Hypervolume.OfFront(tuner.CopyState())!.Value;
        // loss: worst 4, range 3 → 4.3; accuracy: worst 0.4, range 0.5 → 0.35.
        Assert.Equal(4.3, reference[0], 12);
        Assert.Equal(0.35, reference[1], 12);
        // Front (1, 0.5), (2, 0.6), (3, 0.9) as minimized (loss, −accuracy) from (4.3, −0.35).
        var expected = Hypervolume.Of([[1, -0.5], [2, -0.6], [3, -0.9]], [4.3, -0.35]);
        Assert.Equal(expected, volume, 12);
        Assert.Equal((3.3 * 0.15) + (2.3 * 0.1) + (1.3 * 0.3), volume, 12);
    }
}
