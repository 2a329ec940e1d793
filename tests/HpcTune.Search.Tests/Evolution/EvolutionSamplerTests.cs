using HpcTune.Sampling;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;
using HpcTune.Values;
using static HpcTune.Search.Tests.Evolution.EvolutionFixtures;

namespace HpcTune.Search.Tests.Evolution;

public sealed class EvolutionSamplerTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>Same names, and exactly one value differs: what one mutation of a parameter makes.</summary>
    private static bool IsChildOf(Assignment child, Assignment parent) =>
        child.Names.SequenceEqual(parent.Names) && child.Names.Count(n => !child[n].Equals(parent[n])) == 1;

    private static bool SharesAValue(Assignment child, Assignment other) => child.Names.Any(n => other.TryGetValue(n, out var v) && v.Equals(child[n]));

    private static Assignment Point(SearchSpace space, double a, double b) =>
        space.CreateAssignment(new Dictionary<string, Scalar> { ["a"] = a, ["b"] = b });

    [Fact]
    public void The_initial_population_is_quasi_random_and_open_suggestions_count_toward_it()
    {
        var study = EvolutionStudy(population: 4, sample: 2);
        var sampler = Sampler(study);
        var sobol = new SobolSampler();
        var empty = new StudySnapshot(study, []);
        Assert.Equal(sobol.Suggest(empty, 1, None)[0], sampler.Suggest(empty, 1, None)[0]);

        var trials = new List<Trial>();
        for (var i = 0; i < 3; i++)
        {
            trials.Add(TrialOf(i + 1, sampler.Suggest(new StudySnapshot(study, trials), 1, None)[0], i));
        }

        // Three results and nothing open: the fourth member is still quasi-random.
        var three = new StudySnapshot(study, trials);
        Assert.Equal(sobol.SuggestUntaken(three, trials.Select(t => t.Assignment).ToHashSet()), sampler.Suggest(three, 1, None)[0]);

        // Two results and two open suggestions fill a population of four: the next is a child of a result.
        trials[2] = trials[2] with { State = TrialState.Open, Values = null };
        trials.Add(TrialOf(4, sobol.Suggest(new StudySnapshot(study, trials), 1, None)[0], null, TrialState.Open));
        var child = sampler.Suggest(new StudySnapshot(study, trials), 1, None)[0];
        Assert.Contains(trials.Take(2), t => IsChildOf(child, t.Assignment));

        // Open suggestions alone make no parent.
        var open = trials.Select(t => t with { State = TrialState.Open, Values = null }).ToList();
        var onlyOpen = new StudySnapshot(study, open);
        Assert.Equal(sobol.SuggestUntaken(onlyOpen, open.Select(t => t.Assignment).ToHashSet()), sampler.Suggest(onlyOpen, 1, None)[0]);
    }

    [Fact]
    public void After_the_initial_population_every_suggestion_is_a_child_of_a_completed_trial()
    {
        var study = EvolutionStudy(population: 10);
        var trials = History(study, 60, Bowl);
        Assert.All(trials.Skip(10), (t, i) => Assert.Contains(trials.Take(10 + i), p => IsChildOf(t.Assignment, p.Assignment)));
        Assert.Equal(60, trials.Select(t => t.Assignment).Distinct().Count());
    }

    [Fact]
    public void The_same_snapshot_gives_the_same_suggestions_and_a_fresh_sampler_continues_as_the_first_would()
    {
        var study = EvolutionStudy(population: 8, seed: 11);
        var once = History(study, 50, Bowl);
        Assert.Equal(once.Select(t => t.Assignment), History(study, 50, Bowl).Select(t => t.Assignment));

        // A resumed study has a new sampler at every point of its history: each gives what the first run's gave.
        var resumed = new List<Trial>();
        for (var i = 0; i < 50; i++)
        {
            var fresh = Sampler(study).Suggest(new StudySnapshot(study, resumed), 1, None)[0];
            resumed.Add(TrialOf(i + 1, fresh, Bowl(fresh)));
        }

        Assert.Equal(once.Select(t => t.Assignment), resumed.Select(t => t.Assignment));

        // A batch is the same from a used sampler and a fresh one, and its first is the single suggestion.
        var used = Sampler(study);
        _ = used.Suggest(new StudySnapshot(study, once.Take(20)), 3, None);
        var snapshot = new StudySnapshot(study, once);
        var batch = used.Suggest(snapshot, 5, None);
        Assert.Equal(batch, Sampler(study).Suggest(snapshot, 5, None));
        Assert.Equal(batch[0], Sampler(study).Suggest(snapshot, 1, None)[0]);
        Assert.Equal(5, batch.Concat(once.Select(t => t.Assignment)).Distinct().Count() - once.Count);

        // Another seed is another search.
        Assert.NotEqual(once.Select(t => t.Assignment), History(EvolutionStudy(population: 8, seed: 12), 50, Bowl).Select(t => t.Assignment));
    }

    [Fact]
    public void The_parent_always_comes_from_the_population_size_most_recent_results_however_good_older_ones_were()
    {
        for (var seed = 1; seed <= 40; seed++)
        {
            var study = EvolutionStudy(population: 10, sample: 3, seed: seed);
            var space = study.Space;
            // 30 results on distinct coordinates; the 20 oldest are far better than the 10 most recent.
            var trials = Enumerable.Range(1, 30).Select(id => TrialOf(id, Point(space, id / 100.0, 0.5 + (id / 100.0)), id <= 20 ? id : 1000 + id)).ToList();
            var child = Sampler(study).Suggest(new StudySnapshot(study, trials), 1, None)[0];
            Assert.Contains(trials.Skip(20), t => IsChildOf(child, t.Assignment));
            Assert.DoesNotContain(trials.Take(20), t => SharesAValue(child, t.Assignment));
        }
    }

    [Fact]
    public void Age_is_completion_order_and_only_completed_trials_with_a_value_are_members()
    {
        var study = EvolutionStudy(population: 3, sample: 3);
        var space = study.Space;
        var trials = new List<Trial>
        {
            TrialOf(1, Point(space, 0.1, 0.1), 5),
            TrialOf(2, Point(space, 0.2, 0.2), 4),
            TrialOf(3, Point(space, 0.3, 0.3), null, TrialState.Failed),
            TrialOf(4, Point(space, 0.4, 0.4), 3),
            TrialOf(5, Point(space, 0.5, 0.5), 2, TrialState.Pruned),
            TrialOf(6, Point(space, 0.6, 0.6), null, TrialState.Open),
            TrialOf(7, Point(space, 0.7, 0.7), 1),
        };
        // Completed in the order 7, 4, 2, 1: the youngest three are 4, 2 and 1.
        var snapshot = new StudySnapshot(study, trials, [trials[6], trials[3], trials[1], trials[0]]);
        var population = Sampler(study).Population(snapshot);
        Assert.Equal([4L, 2L, 1L], population.Select(m => m.Trial.Id));

        // The tournament holds them all: the best of them, trial 4, is the parent; trial 7, better and older, is dead.
        Assert.True(IsChildOf(Sampler(study).Suggest(snapshot, 1, None)[0], trials[3].Assignment));
    }

    [Fact]
    public void A_feasible_member_beats_a_better_infeasible_one_for_parent()
    {
        var study = EvolutionStudy(population: 4, sample: 4, objective: MetricObjective.Maximize,
            extraMetrics: [new MetricDefinition("mem", MetricObjective.Minimize, MetricStrategy.Constraint, 1)]);
        var space = study.Space;
        IReadOnlyDictionary<string, double> Values(double loss, double mem) => new Dictionary<string, double> { [Metric] = loss, ["mem"] = mem };
        var trials = new List<Trial>
        {
            TrialOf(1, Point(space, 0.1, 0.1), null, values: Values(100, 2)), // best objective, over the memory limit
            TrialOf(2, Point(space, 0.2, 0.2), null, values: Values(5, 1)),
            TrialOf(3, Point(space, 0.3, 0.3), null, values: Values(7, 0.5)), // the best feasible (maximized)
            TrialOf(4, Point(space, 0.4, 0.4), null, values: Values(1, 0)),
        };
        var child = Sampler(study).Suggest(new StudySnapshot(study, trials), 1, None)[0];
        Assert.True(IsChildOf(child, trials[2].Assignment));
    }

    [Fact]
    public void A_point_that_failed_or_exists_is_not_suggested_while_another_is_left()
    {
        var study = EvolutionStudy(population: 2, sample: 1, parameters: [ParameterDefinition.Int("k", 0, 3), ParameterDefinition.Categorical("c", "a", "b")]);
        var space = study.Space;
        Assignment P(int k, string c) => space.CreateAssignment(new Dictionary<string, Scalar> { ["k"] = k, ["c"] = c });
        foreach (var (k, c) in new[] { (0, "a"), (1, "a"), (2, "a"), (3, "a"), (0, "b"), (1, "b"), (2, "b"), (3, "b") })
        {
            // Seven of the eight points are taken (results, failures and an open suggestion): the eighth is suggested.
            var others = new[] { (0, "a"), (1, "a"), (2, "a"), (3, "a"), (0, "b"), (1, "b"), (2, "b"), (3, "b") }.Where(p => p != (k, c)).ToArray();
            var trials = others.Select((p, i) => TrialOf(i + 1, P(p.Item1, p.Item2), i, i is 1 or 4 ? TrialState.Failed : i == 6 ? TrialState.Open : TrialState.Completed)).ToList();
            Assert.Equal(P(k, c), Sampler(study).Suggest(new StudySnapshot(study, trials), 1, None)[0]);
        }
    }
}
