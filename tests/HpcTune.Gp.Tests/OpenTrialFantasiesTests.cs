using HpcTune.Gp.Model;
using HpcTune.Gp.Sampling;
using HpcTune.Objectives;
using HpcTune.Sampling;
using HpcTune.Study;
using HpcTune.Tuning;

namespace HpcTune.Gp.Tests;

/// <summary>The open trials a suggestion's model fantasizes when more are open than <see cref="GpOptions.MaxFantasies"/>.</summary>
public class OpenTrialFantasiesTests
{
    /// <summary>A model of two features whose length scales are <paramref name="first"/> and <paramref name="second"/>.</summary>
    private static GpHyperparameters LengthScales(double first, double second) => new([Math.Log(first), Math.Log(second), 0, -4]);

    [Fact]
    public void Every_open_trial_is_fantasized_up_to_the_cap() =>
        Assert.Equal([0, 1, 2], OpenTrialFantasies.Select([[0, 0], [1, 1], [0.5, 0.5]], [0, 0], LengthScales(1, 4), 3));

    [Fact]
    public void Past_the_cap_the_nearest_in_the_kernels_distance_are_fantasized_in_their_order()
    {
        // From the centre (0.5, 0.5) with length scales 1 and 4: 0.3 along feature 1 is 0.075 in length scales,
        // nearer than 0.1 along feature 0.
        List<double[]> open = [[0.9, 0.5], [0.5, 0.8], [0.1, 0.1], [0.6, 0.5]];
        Assert.Equal([1], OpenTrialFantasies.Select(open, [0.5, 0.5], LengthScales(1, 4), 1));
        Assert.Equal([1, 3], OpenTrialFantasies.Select(open, [0.5, 0.5], LengthScales(1, 4), 2));
        Assert.Equal([3], OpenTrialFantasies.Select(open, [0.5, 0.5], LengthScales(1, 1), 1)); // equal scales: 0.1 is nearer
    }

    [Fact]
    public void Equal_distances_go_to_the_earlier_open_trial() =>
        Assert.Equal([0, 3], OpenTrialFantasies.Select([[0.4, 0.5], [0, 0], [0.6, 0.5], [0.5, 0.5]], [0.5, 0.5], LengthScales(1, 4), 2));

    [Fact]
    public void A_cap_below_one_is_refused() =>
        Assert.Contains("a cap of 0", Assert.Throws<ArgumentOutOfRangeException>(() => new GpSampler(new GpOptions { MaxFantasies = 0 })).Message);

    /// <summary>A Branin study with 15 results of a sequential GP run and 12 suggestions open.</summary>
    private static StudySnapshot Branin()
    {
        var branin = new Branin();
        var tuner = new Tuner(branin.CreateStudy(200, 64, new AlgorithmSpec("gp", 5)), new TunerOptions { Sampler = new GpSampler() });
        for (var i = 0; i < 27; i++)
        {
            var trial = tuner.Suggest($"w{i}").Trial!;
            if (i < 15)
            {
                tuner.Observe(trial.Id, branin.Evaluate([trial.Assignment.GetDouble("x1"), trial.Assignment.GetDouble("x2")]));
            }
        }

        return tuner.Snapshot();
    }

    [Fact]
    public void At_or_below_the_cap_the_suggestions_are_those_of_a_model_with_every_open_trial()
    {
        var snapshot = Branin();
        var everyOpen = new GpSampler(new GpOptions { MaxFantasies = int.MaxValue }).Suggest(snapshot, 4, CancellationToken.None);
        Assert.Equal(everyOpen, new GpSampler(new GpOptions { MaxFantasies = 12 }).Suggest(snapshot, 4, CancellationToken.None));
        Assert.Equal(everyOpen, new GpSampler().Suggest(snapshot, 4, CancellationToken.None));
    }

    [Fact]
    public void Past_the_cap_suggestions_stay_off_every_open_trial()
    {
        var snapshot = Branin();
        var batch = new GpSampler(new GpOptions { MaxFantasies = 2 }).Suggest(snapshot, 8, CancellationToken.None);
        Assert.NotEqual(new GpSampler(new GpOptions { MaxFantasies = int.MaxValue }).Suggest(snapshot, 8, CancellationToken.None), batch); // the cap binds
        var space = snapshot.Space;
        var before = snapshot.Trials.Select(t => space.Encode(t.Assignment)).ToList(); // observed and open
        var made = batch.Select(space.Encode).ToList();
        static double Apart(double[] a, double[] b) => Math.Sqrt(a.Zip(b, (x, y) => (x - y) * (x - y)).Sum());
        var nearest = made.Select((point, i) => before.Concat(made.Take(i)).Min(other => Apart(point, other))).ToList();
        Assert.All(nearest, distance => Assert.True(distance > 1e-3, $"a suggestion is {distance} from an open, observed or earlier point"));
    }
}
