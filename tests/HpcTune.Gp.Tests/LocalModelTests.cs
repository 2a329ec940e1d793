using HpcTune.Gp.Model;
using HpcTune.Gp.Sampling;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Gp.Tests;

public class LocalModelTests
{
    /// <summary>Length scales 1 (feature 0) and 4 (feature 1): a step along feature 1 counts a quarter as much.</summary>
    private static GpHyperparameters Scales() => new([0, Math.Log(4), 0, -4]);

    private static List<double[]> Points(params double[][] points) => [.. points];

    [Fact]
    public void All_observations_are_kept_when_there_are_no_more_than_the_size()
    {
        var features = Points([0, 0], [1, 1], [0.5, 0.5]);
        Assert.Equal([0, 1, 2], LocalModelData.Select(features, [1, 2, 3], [0, 0], Scales(), 3));
    }

    [Fact]
    public void The_nearest_in_the_kernels_distance_are_kept_in_observation_order()
    {
        // From the centre (0.5, 0.5): 0.3 along feature 1 is 0.075 in length scales, nearer than 0.1 along feature 0.
        var features = Points([0.5, 0.8], [0.9, 0.5], [0.6, 0.5], [0.1, 0.1], [0.5, 0.5]);
        double[] merit = [0, 0, 0, 1, 0]; // observation 3 is the best, far from the centre
        var kept = LocalModelData.Select(features, merit, [0.5, 0.5], Scales(), 3);
        Assert.Equal([0, 3, 4], kept); // the best (size / 20 rounds up to 1), then the two nearest: 4 (at the centre) and 0
    }

    [Fact]
    public void The_best_share_are_kept_wherever_they_lie()
    {
        var random = new Random(5);
        var features = Enumerable.Range(0, 400).Select(_ => new[] { random.NextDouble(), random.NextDouble() }).ToList();
        var merit = Enumerable.Range(0, 400).Select(i => (double)i).ToList(); // the latest are the best
        var kept = LocalModelData.Select(features, merit, [0.5, 0.5], Scales(), 100, farShare: 0);
        Assert.Equal(100, kept.Length);
        Assert.Equal(kept.Order(), kept);
        Assert.All(Enumerable.Range(395, 5), i => Assert.Contains(i, kept)); // 100 / 20 = 5 best
        var distance = (double[] x) => Math.Pow(x[0] - 0.5, 2) + Math.Pow((x[1] - 0.5) / 4, 2);
        var farthestKept = kept.Where(i => i < 395).Max(i => distance(features[i]));
        Assert.All(Enumerable.Range(0, 395).Except(kept), i => Assert.True(distance(features[i]) >= farthestKept));
    }

    [Fact]
    public void The_far_share_is_spread_over_the_distances_beyond_the_nearest()
    {
        // 400 points on a line from the centre outwards (shuffled), feature 1 constant: distance rank = |x − 0.5| rank.
        var random = new Random(7);
        var positions = Enumerable.Range(0, 400).OrderBy(_ => random.Next()).ToArray();
        var features = positions.Select(p => new[] { 0.5 + (p / 1000.0), 0.5 }).ToList();
        var merit = positions.Select(p => -(double)p).ToList(); // the nearest are the best
        var kept = LocalModelData.Select(features, merit, [0.5, 0.5], Scales(), 100, farShare: 0.25);
        Assert.Equal(kept, LocalModelData.Select(features, merit, [0.5, 0.5], Scales(), 100, farShare: 0.25)); // the data alone decide
        Assert.Equal(kept.Order(), kept);
        var ranks = kept.Select(i => positions[i]).Order().ToArray();
        // 5 best and 70 nearest are ranks 0–74; the other 25 the middles of 25 runs of 13 among ranks 75–399: 75 + ⌊(j + ½)·325/25⌋.
        Assert.Equal(Enumerable.Range(0, 75).Concat(Enumerable.Range(0, 25).Select(j => 75 + (int)((j + 0.5) * 325 / 25))), ranks);
        Assert.Contains(399 - 6, ranks); // the farthest run is sampled too
    }

    [Fact]
    public void The_best_are_kept_before_the_far_sample_and_every_index_once()
    {
        var random = new Random(3);
        var features = Enumerable.Range(0, 300).Select(_ => new[] { random.NextDouble(), random.NextDouble() }).ToList();
        var merit = features.Select(x => x[0] + x[1]).ToList(); // the best lie in the corner (1, 1), far from the centre
        var kept = LocalModelData.Select(features, merit, [0.1, 0.1], Scales(), 40, farShare: 0.5);
        Assert.Equal(40, kept.Distinct().Count());
        Assert.All(Enumerable.Range(0, 300).OrderByDescending(i => merit[i]).Take(2), i => Assert.Contains(i, kept)); // 40 / 20 = 2 best
        var nearest = LocalModelData.ByDistance(features, [0.1, 0.1], Scales()).Take(18); // 40 − 2 best − 20 far
        Assert.All(nearest, i => Assert.Contains(i, kept));
    }

    [Fact]
    public void The_failures_the_feasibility_model_holds_are_all_or_the_nearest()
    {
        var failures = Points([0.9, 0.9], [0.5, 0.6], [0.1, 0.5], [0.55, 0.5]);
        var local = new LocalFeasibilityData([0, 1], [0.5, 0.5], Scales(), 2);
        Assert.Equal([1, 3], local.NearestFailures(failures).Order().ToArray()); // (0.5, 0.6) is 0.025 away in length scales, (0.55, 0.5) 0.05
        Assert.Equal([0, 1, 2, 3], (local with { FailureLimit = 4 }).NearestFailures(failures).ToArray());
    }

    [Fact]
    public void Equal_distances_go_to_the_earlier_observation()
    {
        var features = Points([0.4, 0.5], [0.6, 0.5], [0.4, 0.5], [0, 0]);
        Assert.Equal([0, 3], LocalModelData.Select(features, [0, 0, 0, 1], [0.5, 0.5], Scales(), 2));
    }

    [Fact]
    public void A_merit_per_observation_is_required() =>
        Assert.Contains("merit for each of the 2 observations", Assert.Throws<ArgumentException>(() => LocalModelData.Select(Points([0, 0], [1, 1]), [1], [0, 0], Scales(), 1)).Message);

    [Theory]
    [InlineData(0, 1000)]
    [InlineData(2000, 0)]
    public void A_local_model_without_observations_is_refused(int threshold, int size)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new GpSampler(new GpOptions { LocalModelThreshold = threshold, LocalModelSize = size }));
        Assert.Contains($"threshold {threshold} and size {size}", error.Message);
    }

    private const int Threshold = 24, Size = 16;

    private static StudyDefinition Study(int budget) => new(
        "local",
        [ParameterDefinition.Double("x", -5, 10), ParameterDefinition.Double("y", 0, 15), ParameterDefinition.Categorical("c", "a", "b")],
        [new MetricDefinition("loss", MetricObjective.Minimize)],
        budget, 1, algorithm: GpAlgorithmProvider.Spec(3, 5));

    private static double Loss(Assignment a) =>
        Math.Pow(a.GetDouble("y") - (0.13 * a.GetDouble("x") * a.GetDouble("x")) + (1.6 * a.GetDouble("x")) - 6, 2) + (a.GetString("c") == "a" ? 0 : 3);

    /// <summary>Runs a study to <paramref name="count"/> results, the 9th and 20th trials failing.</summary>
    private static Tuner Run(GpSampler sampler, int count, Action<Trial>? onSuggest = null)
    {
        var tuner = new Tuner(Study(count + 10), new TunerOptions { Sampler = sampler });
        for (var made = 1; tuner.Snapshot().Completed.Count < count; made++)
        {
            var trial = tuner.Suggest("w").Trial!;
            onSuggest?.Invoke(trial);
            if (made is 9 or 20)
            {
                tuner.Fail(trial.Id, "out of memory");
            }
            else
            {
                tuner.Observe(trial.Id, Loss(trial.Assignment));
            }
        }

        return tuner;
    }

    [Fact]
    public void Up_to_the_threshold_the_suggestions_are_those_of_the_model_of_every_observation()
    {
        var local = new GpSampler(new GpOptions { LocalModelThreshold = Threshold, LocalModelSize = Size });
        var full = new List<Assignment>();
        Run(new GpSampler(new GpOptions { LocalModelThreshold = int.MaxValue }), Threshold, t => full.Add(t.Assignment));
        var suggested = new List<Assignment>();
        var tuner = Run(local, Threshold, t => suggested.Add(t.Assignment));
        Assert.Equal(full, suggested);

        var trial = tuner.Suggest("w").Trial!; // at the threshold
        Assert.Equal(Threshold, local.Model!.ObservationCount);
        Assert.Null(local.LocalObservations);
        tuner.Observe(trial.Id, Loss(trial.Assignment));
        tuner.Suggest("w"); // one past it
        Assert.Equal(Size, local.Model!.ObservationCount);
        Assert.Equal(Size, local.LocalObservations!.Count);
    }

    [Fact]
    public void A_fresh_sampler_past_the_threshold_fits_the_same_local_model()
    {
        var options = new GpOptions { LocalModelThreshold = Threshold, LocalModelSize = Size };
        var continuing = new GpSampler(options);
        var view = Run(continuing, Threshold + 12).Snapshot();
        var fresh = new GpSampler(options);
        var next = fresh.Suggest(view, 2, CancellationToken.None);
        Assert.Equal(next, continuing.Suggest(view, 2, CancellationToken.None));
        Assert.Equal(continuing.LocalObservations, fresh.LocalObservations);
        Assert.Equal(continuing.Model!.Hyperparameters.Theta, fresh.Model!.Hyperparameters.Theta);
    }

    [Fact]
    public void Past_the_threshold_the_feasibility_model_holds_a_local_subset_and_the_nearest_failures()
    {
        var definition = new StudyDefinition(
            "local-constrained",
            [ParameterDefinition.Double("x", -5, 10), ParameterDefinition.Double("y", 0, 15)],
            [new MetricDefinition("loss", MetricObjective.Minimize), new MetricDefinition("c", MetricObjective.Minimize, MetricStrategy.Constraint, 40)],
            Threshold + 40, 1, algorithm: GpAlgorithmProvider.Spec(3, 5));
        var sampler = new GpSampler(new GpOptions { LocalModelThreshold = Threshold, LocalModelSize = Size });
        var tuner = new Tuner(definition, new TunerOptions { Sampler = sampler });
        var failures = 0;
        for (var made = 1; tuner.Snapshot().Completed.Count <= Threshold + 2; made++)
        {
            var trial = tuner.Suggest("w").Trial!;
            var (x, y) = (trial.Assignment.GetDouble("x"), trial.Assignment.GetDouble("y"));
            if (made % 3 == 0)
            {
                tuner.Fail(trial.Id, "out of memory");
                failures++;
            }
            else
            {
                tuner.Observe(trial.Id, new Dictionary<string, double> { ["loss"] = Math.Pow(y - (0.13 * x * x) + (1.6 * x) - 6, 2), ["c"] = x * x });
            }
        }

        tuner.Suggest("w");
        Assert.Equal(Size, sampler.LocalObservations!.Count);
        var held = sampler.Feasibility!.ObservationCounts.ToArray(); // the constraint's, then the failures' component
        Assert.Equal(["c", FeasibilityModelBuilder.FailureComponent], sampler.Feasibility.Names);
        Assert.Equal(Size / GpSampler.LocalFeasibilityShare, held[0]);
        Assert.Equal((Size / GpSampler.LocalFeasibilityShare) + Math.Min(failures, Size / GpSampler.LocalFailureShare), held[1]);
        Assert.True(failures > Size / GpSampler.LocalFailureShare, $"{failures} failures: the limit on them was not tested");
    }
}
