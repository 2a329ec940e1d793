using HpcTune.Gp.Sampling;
using HpcTune.Objectives;
using HpcTune.Sampling;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Gp.Tests;

public class GpSeriesTests
{
    private static readonly DateTimeOffset Time = DateTimeOffset.UnixEpoch;

    /// <summary>A Branin study with <paramref name="observed"/> results of a sequential GP run and <paramref name="open"/> suggestions open.</summary>
    private static StudyState Branin(int observed, int open)
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

    /// <summary>Takes <paramref name="count"/> items of a series, adding each to <paramref name="state"/> as a new trial as the contract asks.</summary>
    private static List<Assignment> Take(IEnumerable<Assignment> series, StudyState state, int count)
    {
        var taken = new List<Assignment>();
        foreach (var assignment in series)
        {
            taken.Add(assignment);
            state.Apply(new TrialCreated(state.Trials.Count + 1, assignment, $"s{taken.Count}", Time));
            if (taken.Count == count)
            {
                break;
            }
        }

        return taken;
    }

    [Fact]
    public void A_series_begins_with_the_suggestion_and_goes_on_with_new_points_apart()
    {
        var state = Branin(observed: 15, open: 3);
        var expected = new GpSampler().Suggest(new StudyView(state.Clone(), 5));
        var series = Take(new GpSampler().SuggestSeries(new StudyView(state, 5)), state, 24);

        Assert.Equal(expected, series[0]);
        var space = state.Definition.Space;
        var earlier = state.Trials.Take(18).Select(t => space.Encode(t.Assignment)).ToList();
        var points = series.Select(space.Encode).ToList();
        for (var i = 0; i < points.Count; i++)
        {
            // Never on top of an observed, open or earlier point of the series.
            foreach (var other in earlier.Concat(points.Take(i)))
            {
                var distance = Math.Sqrt(points[i].Zip(other, (a, b) => (a - b) * (a - b)).Sum());
                Assert.True(distance > 1e-3, $"suggestion {i + 1} of the series is {distance} from an earlier point");
            }
        }

        var closest = points.SelectMany((p, i) => points.Skip(i + 1).Select(q => Math.Sqrt(p.Zip(q, (a, b) => (a - b) * (a - b)).Sum()))).Min();
        Assert.True(closest > 0.005, $"two suggestions of the series are {closest} apart");
    }

    [Fact]
    public void A_series_goes_on_past_a_result_but_refuses_a_trial_not_its_own()
    {
        var state = Branin(observed: 12, open: 2);
        using var series = new GpSampler().SuggestSeries(new StudyView(state, 5)).GetEnumerator();
        Assert.True(series.MoveNext());
        state.Apply(new TrialCreated(state.Trials.Count + 1, series.Current, "s1", Time));
        var open = state.Trials.First(t => t.State == TrialState.Open);
        state.Apply(new TrialObserved(open.Id, new Dictionary<string, double> { ["value"] = 3 }, Trial.EmptyMetadata, Time));
        Assert.True(series.MoveNext());
        state.Apply(new TrialCreated(state.Trials.Count + 1, series.Current, "s2", Time));
        state.Apply(new TrialCreated(state.Trials.Count + 1, state.Definition.Space.Decode([0.5, 0.5]), "elsewhere", Time));
        var error = Assert.Throws<InvalidOperationException>(() => series.MoveNext());
        Assert.Contains("new trials to be its own", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ending_an_older_series_leaves_a_newer_one_on_the_same_sampler_working()
    {
        var state = Branin(observed: 15, open: 2);
        var other = state.Clone();
        var sampler = new GpSampler();
        using var older = sampler.SuggestSeries(new StudyView(state, 5)).GetEnumerator();
        Assert.True(older.MoveNext());
        using var newer = sampler.SuggestSeries(new StudyView(other, 5)).GetEnumerator();
        Assert.True(newer.MoveNext());
        other.Apply(new TrialCreated(other.Trials.Count + 1, newer.Current, "s1", Time));
        older.Dispose(); // must not clear the fantasies the newer series works with
        Assert.True(newer.MoveNext());
        Assert.NotEqual(newer.Current, other.Trials[^1].Assignment);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_series_over_a_small_discrete_space_never_repeats_a_point_until_it_is_used_up(int seed)
    {
        var definition = new StudyDefinition("grid", [ParameterDefinition.Int("i", 0, 9), ParameterDefinition.Int("j", 0, 9)],
            [new MetricDefinition("loss", MetricObjective.Minimize)], 100, 100, algorithm: new AlgorithmSpec("gp", seed));
        var state = new StudyState(definition);
        var sampler = new GpSampler();
        var view = new StudyView(state, seed);
        for (var n = 1; n <= 8; n++)
        {
            var a = sampler.Suggest(view);
            state.Apply(new TrialCreated(n, a, "w", Time));
            state.Apply(new TrialObserved(n, new Dictionary<string, double> { ["loss"] = Math.Abs(a.GetInt("i") - 3) + Math.Abs(a.GetInt("j") - 6) }, Trial.EmptyMetadata, Time));
        }

        // 92 cells are left: the series runs through its candidates and starts over from the study as it then is.
        var series = Take(sampler.SuggestSeries(view), state, 92);
        var all = state.Trials.Select(t => t.Assignment).ToList();
        Assert.Equal(100, all.Distinct().Count());
    }
}
