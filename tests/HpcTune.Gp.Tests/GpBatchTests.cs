using HpcTune.Gp.Sampling;
using HpcTune.Objectives;
using HpcTune.Sampling;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Gp.Tests;

/// <summary>A batch of GP suggestions: one model and candidate set, points apart, the same from the same snapshot.</summary>
public class GpBatchTests
{
    private static readonly DateTimeOffset Time = DateTimeOffset.UnixEpoch;

    /// <summary>A Branin study with <paramref name="observed"/> results of a sequential GP run and <paramref name="open"/> suggestions open.</summary>
    private static StudySnapshot Branin(int observed, int open)
    {
        var branin = new Branin();
        var tuner = new Tuner(branin.CreateStudy(200, 64, new AlgorithmSpec("gp", 5)), new TunerOptions { Sampler = new GpSampler() });
        for (var i = 0; i < observed + open; i++)
        {
            var trial = tuner.Suggest($"w{i}").Trial!;
            if (i < observed)
            {
                tuner.Observe(trial.Id, branin.Evaluate([trial.Assignment.GetDouble("x1"), trial.Assignment.GetDouble("x2")]));
            }
        }

        return tuner.Snapshot();
    }

    [Fact]
    public void A_batch_begins_with_the_single_suggestion_and_goes_on_with_new_points_apart()
    {
        var snapshot = Branin(observed: 15, open: 3);
        var expected = new GpSampler().Suggest(snapshot, 1, CancellationToken.None)[0];
        var batch = new GpSampler().Suggest(snapshot, 24, CancellationToken.None);

        Assert.Equal(24, batch.Count);
        Assert.Equal(expected, batch[0]);
        var space = snapshot.Space;
        var earlier = snapshot.Trials.Select(t => space.Encode(t.Assignment)).ToList();
        var points = batch.Select(space.Encode).ToList();
        for (var i = 0; i < points.Count; i++)
        {
            // Never on top of an observed, open or earlier point of the batch.
            foreach (var other in earlier.Concat(points.Take(i)))
            {
                var distance = Math.Sqrt(points[i].Zip(other, (a, b) => (a - b) * (a - b)).Sum());
                Assert.True(distance > 1e-3, $"suggestion {i + 1} of the batch is {distance} from an earlier point");
            }
        }

        var closest = points.SelectMany((p, i) => points.Skip(i + 1).Select(q => Math.Sqrt(p.Zip(q, (a, b) => (a - b) * (a - b)).Sum()))).Min();
        Assert.True(closest > 0.005, $"two suggestions of the batch are {closest} apart");
    }

    [Fact]
    public void The_same_snapshot_gives_the_same_batch_whatever_the_sampler_did_before()
    {
        var snapshot = Branin(observed: 15, open: 2);
        var used = new GpSampler();
        used.Suggest(Branin(observed: 12, open: 1), 3, CancellationToken.None); // another moment of the study first
        var fresh = new GpSampler().Suggest(snapshot, 5, CancellationToken.None);
        Assert.Equal(fresh, used.Suggest(snapshot, 5, CancellationToken.None));
        Assert.Equal(fresh, used.Suggest(snapshot, 5, CancellationToken.None)); // and again: nothing of the batch stays behind
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_batch_over_a_small_discrete_space_never_repeats_a_point_until_it_is_used_up(int seed)
    {
        var definition = new StudyDefinition("grid", [ParameterDefinition.Int("i", 0, 9), ParameterDefinition.Int("j", 0, 9)],
            [new MetricDefinition("loss", MetricObjective.Minimize)], 100, 100, algorithm: new AlgorithmSpec("gp", seed));
        var state = new StudyState(definition);
        var sampler = new GpSampler();
        for (var n = 1; n <= 8; n++)
        {
            var a = sampler.Suggest(state.Snapshot(), 1, CancellationToken.None)[0];
            state.Apply(new TrialCreated(n, a, "w", Time));
            state.Apply(new TrialObserved(n, new Dictionary<string, double> { ["loss"] = Math.Abs(a.GetInt("i") - 3) + Math.Abs(a.GetInt("j") - 6) }, Trial.EmptyMetadata, Time));
        }

        // 92 cells are left: the batch runs through its candidates and starts new rounds with the ones before pending.
        var batch = sampler.Suggest(state.Snapshot(), 92, CancellationToken.None);
        Assert.Equal(100, state.Trials.Select(t => t.Assignment).Concat(batch).Distinct().Count());
    }
}
