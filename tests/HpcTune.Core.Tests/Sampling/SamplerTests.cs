using HpcTune.Objectives;
using HpcTune.Sampling;
using HpcTune.Study;
using HpcTune.Tuning;

namespace HpcTune.Tests.Sampling;

/// <summary>One suite that every sampler passes.</summary>
public class SamplerTests
{
    public static TheoryData<string> Algorithms => new() { "random", "sobol" };

    private static Tuner NewTuner(string algorithm, long seed, int budget = 50) =>
        new(new Hartmann6().CreateStudy(budget, parallelBandwidth: 4, new AlgorithmSpec(algorithm, seed)));

    private static List<HpcTune.Space.Assignment> Draw(Tuner tuner, int count)
    {
        var drawn = new List<HpcTune.Space.Assignment>();
        for (var i = 0; i < count; i++)
        {
            var trial = tuner.Suggest("w").Trial!;
            drawn.Add(trial.Assignment);
            tuner.Observe(trial.Id, 1.0);
        }

        return drawn;
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Suggestions_are_inside_the_space(string algorithm)
    {
        var function = new Hartmann6();
        foreach (var assignment in Draw(NewTuner(algorithm, 1), 50))
        {
            for (var i = 0; i < function.Dimension; i++)
            {
                Assert.InRange(assignment.GetDouble($"x{i + 1}"), function.LowerBound(i), function.UpperBound(i));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void The_same_seed_gives_the_same_suggestions_and_another_seed_others(string algorithm)
    {
        Assert.Equal(Draw(NewTuner(algorithm, 11), 20), Draw(NewTuner(algorithm, 11), 20));
        Assert.NotEqual(Draw(NewTuner(algorithm, 11), 20), Draw(NewTuner(algorithm, 12), 20));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void A_sampler_continues_from_the_number_drawn_so_far(string algorithm)
    {
        // The state a sampler needs is the seed and the count; a fresh sampler over the same view continues the stream.
        var all = Draw(NewTuner(algorithm, 5), 12);
        var definition = NewTuner(algorithm, 5).Definition;
        var state = new StudyState(definition);
        for (var i = 0; i < 7; i++)
        {
            state.Apply(new TrialCreated(i + 1, all[i], "w", DateTimeOffset.UnixEpoch));
            state.Apply(new TrialObserved(i + 1, new Dictionary<string, double> { ["value"] = 1 }, HpcTune.Trials.Trial.EmptyMetadata, DateTimeOffset.UnixEpoch));
        }

        var fresh = AlgorithmRegistry.Default.CreateSampler(definition);
        Assert.Equal(all[7], fresh.Suggest(state.Snapshot(), 1, CancellationToken.None)[0]);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void A_batch_is_what_one_at_a_time_gives_with_the_ones_before_pending(string algorithm)
    {
        var definition = NewTuner(algorithm, 9).Definition;
        var snapshot = new StudyState(definition).Snapshot();
        var batch = AlgorithmRegistry.Default.CreateSampler(definition).Suggest(snapshot, 3, CancellationToken.None);
        var single = AlgorithmRegistry.Default.CreateSampler(definition);
        Assert.Equal(3, batch.Count);
        Assert.Equal(batch[0], single.Suggest(snapshot, 1, CancellationToken.None)[0]);
        Assert.Equal(batch[2], single.Suggest(snapshot.WithPending(batch[0]).WithPending(batch[1]), 1, CancellationToken.None)[0]);
        Assert.Equal(3, batch.Distinct().Count());
    }

    [Fact]
    public void Sobol_covers_a_grid_evenly()
    {
        var tuner = new Tuner(new StudyDefinition("grid",
            [HpcTune.Space.ParameterDefinition.Int("a", 0, 3), HpcTune.Space.ParameterDefinition.Int("b", 0, 3)],
            [new MetricDefinition("m", MetricObjective.Maximize)], 16, algorithm: new AlgorithmSpec("sobol", 3)));
        var cells = Draw(tuner, 16).Select(a => (a.GetInt("a"), a.GetInt("b"))).ToHashSet();
        Assert.Equal(16, cells.Count); // a scrambled (0, 2)-net hits every cell of a 4×4 grid once
    }
}
