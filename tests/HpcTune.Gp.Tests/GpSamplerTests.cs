using HpcTune.Gp.Sampling;
using HpcTune.Objectives;
using HpcTune.Sampling;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;
using HpcTune.Tuning;
using HpcTune.Values;

namespace HpcTune.Gp.Tests;

public class GpSamplerTests
{
    static GpSamplerTests() => GpSampler.Register();

    private static StudyDefinition Mixed(int budget, int bandwidth, long seed, string? acquisition = null) => new(
        "mixed",
        [
            ParameterDefinition.Double("lr", 1e-4, 1, Transformation.Log),
            ParameterDefinition.Int("layers", 1, 4),
            ParameterDefinition.Double("dropout", 0, 0.5, step: 0.1),
            ParameterDefinition.Categorical("act", "relu", "tanh", "gelu"),
        ],
        [new MetricDefinition("loss", MetricObjective.Minimize)],
        budget, bandwidth, algorithm: GpAlgorithmProvider.Spec(seed, 5, acquisition));

    private static double Loss(Assignment a) =>
        Math.Pow(Math.Log10(a.GetDouble("lr")) + 2, 2) + (0.3 * Math.Abs(a.GetInt("layers") - 3)) + a.GetDouble("dropout") + (a.GetString("act") == "gelu" ? 0 : 0.5);

    [Theory]
    [InlineData(null)]
    [InlineData("ucb")]
    [InlineData("qucb")]
    public void Suggestions_stay_in_the_space_and_never_repeat_an_observed_or_open_point(string? acquisition)
    {
        // 4 × 6 × 3 discrete cells times a continuous lr: repeats would be easy if they were not excluded. Four
        // suggestions stay open, the oldest is evaluated first, all on this thread: the same run every time (with
        // OptimizeAsync's threads the interleaving, and so the best loss, varied with the machine's load).
        var tuner = new Tuner(Mixed(60, 4, 7, acquisition));
        var seen = new HashSet<Assignment>();
        var open = new Queue<Trial>();
        var asked = 0;
        while (tuner.Progress.Completed < 60)
        {
            while (open.Count < 4 && tuner.Suggest($"w{asked++}") is { Status: SuggestStatus.Issued, Trial: { } trial })
            {
                Assert.True(seen.Add(trial.Assignment), $"trial {trial.Id} repeats {trial.Assignment}");
                var a = trial.Assignment;
                Assert.InRange(a.GetDouble("lr"), 1e-4, 1);
                Assert.InRange(a.GetInt("layers"), 1, 4);
                Assert.Contains(a.GetString("act"), new[] { "relu", "tanh", "gelu" });
                open.Enqueue(trial);
            }

            var next = open.Dequeue();
            tuner.Observe(next.Id, Loss(next.Assignment));
        }

        Assert.True(tuner.Best!.Values!["loss"] < 0.2, $"best loss {tuner.Best.Values["loss"]}");
    }

    [Fact]
    public async Task Four_threads_share_the_gp_sampler_without_repeats()
    {
        var tuner = new Tuner(Mixed(40, 4, 7, null));
        var seen = new HashSet<Assignment>();
        var objective = Objective.FromAsync((trial, _) =>
        {
            lock (seen)
            {
                Assert.True(seen.Add(trial.Assignment), $"trial {trial.TrialId} repeats {trial.Assignment}");
            }

            return ValueTask.FromResult(ObjectiveResult.Success("loss", Loss(trial.Assignment)));
        });
        var summary = await tuner.OptimizeAsync(objective, 4, TestContext.Current.CancellationToken);
        Assert.Equal((40, 40), (summary.Progress.Completed, seen.Count));
    }

    [Fact]
    public void The_prior_mean_is_the_worst_observation_at_most_two_deviations_below_the_mean()
    {
        // Targets are in maximization form: the worst is the smallest. Scaled to unit variance either way.
        var targets = GpSampler.Targets([1, 2, 3, 4, 5], warp: false, out _);
        Assert.Equal(0, targets.Min(), 12);
        Assert.Equal(1 / Math.Sqrt(2), targets[1] - targets[0], 12); // 1 / sd, sd = √2
        Assert.Equal(1, StandardDeviation(targets), 12);

        // One catastrophic value does not drag the prior mean (and every other target) away: 2 sd below the mean.
        List<double> withOutlier = [-1000, .. Enumerable.Repeat(1.0, 19)];
        var capped = GpSampler.Targets(withOutlier, warp: false, out _);
        Assert.Equal(GpSampler.MaxPriorMeanShift, capped.Average(), 12);
        Assert.True(capped.Min() < 0, $"the outlier's target is {capped.Min()}");
    }

    private static double StandardDeviation(double[] v)
    {
        var mean = v.Average();
        return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / v.Length);
    }

    [Fact]
    public void Open_suggestions_count_toward_the_initial_design()
    {
        // Five design points (Mixed sets initial_points = 5) and eight workers: the first eight suggestions are the
        // design, and once two results are in, the next one comes from a model with six suggestions still open,
        // instead of three more design points while five results are awaited.
        var sampler = new GpSampler();
        var tuner = new Tuner(Mixed(40, 8, 7), new TunerOptions { Sampler = sampler });
        var open = Enumerable.Range(0, 8).Select(i => tuner.Suggest($"w{i}").Trial!).ToList();
        Assert.Null(sampler.Model);
        foreach (var trial in open.Take(2))
        {
            tuner.Observe(trial.Id, Loss(trial.Assignment));
        }

        Assert.Equal(SuggestStatus.Issued, tuner.Suggest("w8").Status);
        Assert.Equal(2, sampler.Model?.ObservationCount);
    }

    [Fact]
    public void The_same_seed_gives_the_same_suggestions()
    {
        static List<Assignment> Run()
        {
            var tuner = new Tuner(Mixed(20, 1, 11));
            var result = new List<Assignment>();
            for (var i = 0; i < 20; i++)
            {
                var trial = tuner.Suggest("w").Trial!;
                result.Add(trial.Assignment);
                tuner.Observe(trial.Id, Loss(trial.Assignment));
            }

            return result;
        }

        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void The_same_seed_gives_the_same_suggestions_with_open_ones()
    {
        // Four open at a time, the oldest reported first: the pending points' fantasies, the believed best and the
        // region around it all depend on the study alone.
        static List<Assignment> Run()
        {
            var tuner = new Tuner(Mixed(30, 4, 11));
            var open = new Queue<Trial>();
            var result = new List<Assignment>();
            while (tuner.Suggest($"w{result.Count}").Trial is { } trial)
            {
                result.Add(trial.Assignment);
                open.Enqueue(trial);
                if (open.Count == 4)
                {
                    var oldest = open.Dequeue();
                    tuner.Observe(oldest.Id, Loss(oldest.Assignment));
                }
            }

            return result;
        }

        var first = Run();
        Assert.Equal(30, first.Count);
        Assert.Equal(first, Run());
    }

    [Fact]
    public void Integrating_over_the_open_outcomes_changes_only_suggestions_made_while_others_are_open()
    {
        // The oldest of `open` reported first; draws = 0 scores by the believed means alone.
        static List<Assignment> Run(int open, int draws)
        {
            var tuner = new Tuner(Mixed(30, open, 11), new TunerOptions { Sampler = new GpSampler(new GpOptions { PendingOutcomeDraws = draws }) });
            var queue = new Queue<Trial>();
            var result = new List<Assignment>();
            while (tuner.Suggest($"w{result.Count}").Trial is { } trial)
            {
                result.Add(trial.Assignment);
                queue.Enqueue(trial);
                if (queue.Count == open)
                {
                    var oldest = queue.Dequeue();
                    tuner.Observe(oldest.Id, Loss(oldest.Assignment));
                }
            }

            return result;
        }

        Assert.Equal(Run(1, 0), Run(1, 32));
        Assert.NotEqual(Run(4, 0), Run(4, 32));
    }

    [Fact]
    public void Open_suggestions_are_diverse()
    {
        var branin = new Branin();
        var tuner = new Tuner(branin.CreateStudy(40, 8, new AlgorithmSpec("gp", 3)));
        for (var i = 0; i < 12; i++)
        {
            var t = tuner.Suggest("w").Trial!;
            tuner.Observe(t.Id, branin.Evaluate([t.Assignment.GetDouble("x1"), t.Assignment.GetDouble("x2")]));
        }

        var open = Enumerable.Range(0, 8).Select(i => tuner.Suggest($"p{i}").Trial!).ToList();
        var space = tuner.Definition.Space;
        var points = open.Select(t => space.Encode(t.Assignment)).ToList();
        var closest = points.SelectMany((p, i) => points.Skip(i + 1).Select(q => Math.Sqrt(p.Zip(q, (a, b) => (a - b) * (a - b)).Sum()))).Min();
        Assert.True(closest > 0.01, $"two of the 8 open suggestions are {closest} apart in the unit square");
    }

    /// <summary>
    /// A bowl around (0.7, 0.7) observed on a grid that stops at 0.5: an open suggestion at (0.65, 0.65) is believed
    /// better than every result, so the region is centred there; one at (0.05, 0.95) is not, so the region stays
    /// around the best result, (0.5, 0.5).
    /// </summary>
    [Theory]
    [InlineData(0.65, 0.65, 0.65, 0.65)]
    [InlineData(0.05, 0.95, 0.5, 0.5)]
    public void With_open_suggestions_the_region_is_centred_on_the_point_believed_best(double openX, double openY, double centreX, double centreY)
    {
        var bowl = new GriddedBowl();
        bowl.Open(openX, openY);
        bowl.Suggest();
        var region = bowl.Sampler.Region!;
        Assert.True(region.Upper[0] - region.Lower[0] < 0.7 && region.Upper[1] - region.Lower[1] < 0.7, "the region is clamped at the box's edge: its centre says nothing");
        Assert.Equal(centreX, (region.Lower[0] + region.Upper[0]) / 2, 9);
        Assert.Equal(centreY, (region.Lower[1] + region.Upper[1]) / 2, 9);
    }

    /// <summary>
    /// The same bowl, but the search then collapsed around poor points near (0.1, 0.9) and started over near (0.9, 0.1):
    /// a suggestion left open at (0.65, 0.65) is believed better than every result (the region would be centred there
    /// before the restart), yet the new search stays in a region of its own.
    /// </summary>
    [Fact]
    public void A_search_started_over_is_not_pulled_back_by_an_open_suggestion_from_before()
    {
        var bowl = new GriddedBowl();
        var random = new Random(3);
        while (TrustRegion.Replay(bowl.Values, 5, 2).Start == 0)
        {
            bowl.Observe(0.2 * random.NextDouble(), 0.8 + (0.2 * random.NextDouble())); // no improvement: the region collapses twice
        }

        for (var k = 0; k < 6; k++)
        {
            bowl.Observe(0.8 + (0.2 * random.NextDouble()), 0.2 * random.NextDouble()); // the new search's design
        }

        bowl.Open(0.65, 0.65);
        bowl.Suggest();
        var region = bowl.Sampler.Region!;
        Assert.False(region.Contains([0.65, 0.65]), $"the region [{region.Lower[0]}, {region.Upper[0]}] x [{region.Lower[1]}, {region.Upper[1]}] went back to the open suggestion");
        Assert.True(region.Contains([0.9, 0.1]) || region.Lower[0] >= 0.6, "the region left the new search");
    }

    /// <summary>
    /// After the search collapsed twice around (0.1, 0.9) and started over near (0.9, 0.1), log-EI improves on the new
    /// search's own best, not on the study's best (a grid point near the minimum, from the search before).
    /// </summary>
    [Fact]
    public void A_search_started_over_improves_on_its_own_best()
    {
        var bowl = new GriddedBowl();
        var random = new Random(7);
        bowl.Suggest();
        Assert.Equal(bowl.Sampler.StandardizedTargets.Max(), bowl.Sampler.Incumbent); // the first search: the study's best
        while (TrustRegion.Replay(bowl.Values, 5, 2).Start == 0)
        {
            bowl.Observe(0.2 * random.NextDouble(), 0.8 + (0.2 * random.NextDouble()));
        }

        for (var k = 0; k < 6; k++)
        {
            bowl.Observe(0.8 + (0.2 * random.NextDouble()), 0.2 * random.NextDouble()); // the new search's design
        }

        bowl.Suggest();
        var start = TrustRegion.Replay(bowl.Values, 5, 2).Start;
        Assert.True(start > 0, "the search did not start over");
        var targets = bowl.Sampler.StandardizedTargets;
        var own = targets.Skip(start).Max();
        Assert.True(own < targets.Max(), "the new search's design beat the grid: the test shows nothing");
        Assert.Equal(own, bowl.Sampler.Incumbent);
    }

    /// <summary>
    /// A suggestion made near the minimum before the search collapsed twice around (0.1, 0.9) completes only after the
    /// restart, with the best result of the study: it belongs to the search before, so the new search's region stays
    /// around its own design near (0.9, 0.1) instead of going back there.
    /// </summary>
    [Fact]
    public void A_search_started_over_ignores_the_results_of_suggestions_made_before_it()
    {
        var bowl = new GriddedBowl();
        var late = bowl.Open(0.68, 0.68);
        var random = new Random(5);
        while (TrustRegion.Replay(bowl.Values, 5, 2).Start == 0)
        {
            bowl.Observe(0.2 * random.NextDouble(), 0.8 + (0.2 * random.NextDouble()));
        }

        bowl.Complete(late, 0.68, 0.68);
        for (var k = 0; k < 6; k++)
        {
            bowl.Observe(0.8 + (0.2 * random.NextDouble()), 0.2 * random.NextDouble()); // the new search's design
        }

        bowl.Suggest();
        var region = bowl.Sampler.Region!;
        Assert.False(region.Contains([0.68, 0.68]), $"the region [{region.Lower[0]}, {region.Upper[0]}] x [{region.Lower[1]}, {region.Upper[1]}] went back to the old search's late result");
        Assert.True(region.Lower[0] >= 0.5 && region.Upper[1] <= 0.5, "the region left the new search");
    }

    /// <summary>(x − 0.7)² + (y − 0.7)² on [0, 1]², 5 design points, 8 open at most, observed on {0.1, 0.3, 0.5}².</summary>
    private sealed class GriddedBowl
    {
        private readonly StudyDefinition _definition = new("bowl", [ParameterDefinition.Double("x", 0, 1), ParameterDefinition.Double("y", 0, 1)],
            [new MetricDefinition("loss", MetricObjective.Minimize)], 400, 8, algorithm: GpAlgorithmProvider.Spec(1, 5));


        public GriddedBowl()
        {
            _state = new StudyState(_definition);
            foreach (var x in new[] { 0.1, 0.3, 0.5 })
            {
                foreach (var y in new[] { 0.1, 0.3, 0.5 })
                {
                    Observe(x, y);
                }
            }
        }

        private readonly StudyState _state;

        public GpSampler Sampler { get; } = new();

        /// <summary>The results so far, in the order observed and maximization form (as the trust region replays them).</summary>
        public List<double> Values { get; } = [];

        public Assignment At(double x, double y) => _definition.Space.CreateAssignment(new Dictionary<string, Scalar> { ["x"] = x, ["y"] = y });

        /// <summary>A new open trial at (<paramref name="x"/>, <paramref name="y"/>).</summary>
        public Trial Open(double x, double y)
        {
            var id = _state.Trials.Count + 1;
            _state.Apply(new TrialCreated(id, At(x, y), $"w{id}", DateTimeOffset.UnixEpoch));
            return _state.Find(id)!;
        }

        public void Observe(double x, double y) => Complete(Open(x, y), x, y);

        /// <summary>The sampler's suggestion for the next trial (which is not created).</summary>
        public Assignment Suggest() => Sampler.Suggest(_state.Snapshot(), 1, CancellationToken.None)[0];

        /// <summary>Reports the result of <paramref name="trial"/>, suggested at (<paramref name="x"/>, <paramref name="y"/>).</summary>
        public void Complete(Trial trial, double x, double y)
        {
            var loss = Math.Pow(x - 0.7, 2) + Math.Pow(y - 0.7, 2);
            _state.Apply(new TrialObserved(trial.Id, new Dictionary<string, double> { ["loss"] = loss }, Trial.EmptyMetadata, DateTimeOffset.UnixEpoch));
            Values.Add(-loss);
        }
    }

    [Fact]
    public async Task The_gp_beats_random_search_on_branin()
    {
        var branin = new Branin();
        async Task<double> Regret(string algorithm, long seed)
        {
            var tuner = new Tuner(branin.CreateStudy(30, 1, new AlgorithmSpec(algorithm, seed)));
            var summary = await tuner.OptimizeAsync(branin, 1, TestContext.Current.CancellationToken);
            return summary.Best!.Values!["value"] - branin.Minimum;
        }

        var gp = new List<double>();
        var random = new List<double>();
        for (long seed = 1; seed <= 3; seed++)
        {
            gp.Add(await Regret("gp", seed));
            random.Add(await Regret("random", seed));
        }

        Assert.True(gp.Max() < random.Min(), $"gp regrets {string.Join(", ", gp)}; random {string.Join(", ", random)}");
        Assert.True(gp.Order().ElementAt(1) < 0.05, $"median gp regret {gp.Order().ElementAt(1)}");
    }

    [Theory]
    [InlineData(16)] // nudged at every observation
    [InlineData(61)] // nudged every second observation, after several scheduled fits that each start from the last
    public void A_fresh_sampler_over_the_same_study_uses_the_same_hyperparameters(int count)
    {
        var tuner = new Tuner(Mixed(count + 5, 1, 5));
        var continuing = new GpSampler();
        StudyState? state = null;
        for (var i = 0; i < count; i++)
        {
            var trial = tuner.Suggest("w").Trial!;
            tuner.Observe(trial.Id, Loss(trial.Assignment));
        }

        // Rebuild the study state and ask both samplers.
        state = new StudyState(tuner.Definition);
        foreach (var t in tuner.Trials)
        {
            state.Apply(new TrialCreated(t.Id, t.Assignment, "w", t.CreatedAt));
            state.Apply(new TrialObserved(t.Id, t.Values!, t.Metadata, t.FinishedAt!.Value));
        }

        var view = state.Snapshot();
        for (var n = 8; n <= count; n++)
        {
            // feed the continuing sampler the study as it grew, so it refits on its schedule
            var partial = new StudyState(tuner.Definition);
            foreach (var t in tuner.Trials.Take(n))
            {
                partial.Apply(new TrialCreated(t.Id, t.Assignment, "w", t.CreatedAt));
                partial.Apply(new TrialObserved(t.Id, t.Values!, t.Metadata, t.FinishedAt!.Value));
            }

            continuing.Suggest(partial.Snapshot(), 1, CancellationToken.None);
        }

        var fresh = new GpSampler();
        fresh.Suggest(view, 1, CancellationToken.None);
        Assert.Equal(continuing.Model!.Hyperparameters.Theta, fresh.Model!.Hyperparameters.Theta);
    }

    [Fact]
    public void A_sequential_search_that_collapsed_starts_over_with_a_fresh_design()
    {
        var definition = new StudyDefinition("restart", [ParameterDefinition.Double("x", 0, 1), ParameterDefinition.Double("y", 0, 1)],
            [new MetricDefinition("loss", MetricObjective.Minimize)], 100, 1, algorithm: new AlgorithmSpec("gp", 11));
        var sampler = new GpSampler();
        var tuner = new Tuner(definition, new TunerOptions { Sampler = sampler });
        const int design = 5, failuresPerCollapse = 24; // 2 features: 4 failures per halving, 0.4 → 1/128 in 6 halvings
        var values = new List<double>();
        void Evaluate(Trial trial, double value)
        {
            tuner.Observe(trial.Id, value);
            values.Add(-value);
        }

        for (var i = 0; i < design + failuresPerCollapse; i++)
        {
            var trial = tuner.Suggest("w").Trial!;
            Evaluate(trial, i < design ? design - i : 10); // the design's last point stays the best
        }

        Assert.Equal(values.Count, TrustRegion.Replay(values, design, 2).Start);
        for (var i = 0; i < design; i++)
        {
            var expected = new SobolSampler().Suggest(tuner.Snapshot(), 1, CancellationToken.None)[0];
            var trial = tuner.Suggest("w").Trial!;
            Assert.Equal(expected, trial.Assignment);
            Evaluate(trial, 20 + i);
        }

        var afterDesign = new SobolSampler().Suggest(tuner.Snapshot(), 1, CancellationToken.None)[0];
        Assert.NotEqual(afterDesign, tuner.Suggest("w").Trial!.Assignment); // the new search's own region
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Suggestions_never_repeat_a_point_of_a_small_discrete_space_once_the_region_is_used_up(int seed)
    {
        var definition = new StudyDefinition("grid", [ParameterDefinition.Int("i", 0, 9), ParameterDefinition.Int("j", 0, 9)],
            [new MetricDefinition("loss", MetricObjective.Minimize)], 100, 1, algorithm: new AlgorithmSpec("gp", seed));
        var tuner = new Tuner(definition, new TunerOptions { Sampler = new GpSampler() });
        var seen = new HashSet<Assignment>();
        for (var n = 0; n < 5 + (2 * 24) + 5; n++) // the design, collapses of a flat search (each exhausting its region), a new design
        {
            var trial = tuner.Suggest("w").Trial!;
            Assert.True(seen.Add(trial.Assignment), $"suggestion {n + 1} repeats {trial.Assignment}");
            tuner.Observe(trial.Id, n == 4 ? 0 : 1);
        }
    }

    [Theory]
    [InlineData("heavy tails: the log warp explains them better", true)]
    [InlineData("a smooth plane: the values are explained as they are", false)]
    public void Auto_warping_follows_the_evidence(string what, bool warped)
    {
        var definition = new StudyDefinition("warp", [ParameterDefinition.Double("x", 0, 1), ParameterDefinition.Double("y", 0, 1)],
            [new MetricDefinition("loss", MetricObjective.Minimize)], 40, 1, algorithm: new AlgorithmSpec("sobol", 7));
        var tuner = new Tuner(definition);
        for (var i = 0; i < 24; i++)
        {
            var trial = tuner.Suggest("w").Trial!;
            var (x, y) = (trial.Assignment.GetDouble("x"), trial.Assignment.GetDouble("y"));
            tuner.Observe(trial.Id, warped ? Math.Exp(12 * ((x * x) + (y * y))) : x + (2 * y));
        }

        var sampler = new GpSampler();
        sampler.Suggest(tuner.Snapshot(), 1, CancellationToken.None);
        Assert.True(sampler.UsesLogWarp == warped, what);
    }

    [Theory]
    [InlineData(5, 5, 5)]
    [InlineData(6, 5, 6)]
    [InlineData(100, 5, 94)] // 5, 6, 8, 10, 13, 17, 22, 29, 39, 52, 70, 94
    [InlineData(12, 10, 10)]
    [InlineData(13, 10, 13)]
    public void Refits_follow_a_fixed_schedule(int n, int initial, int expected) =>
        Assert.Equal(expected, GpSampler.FitPoint(n, initial));

    [Theory]
    [InlineData(16, 14, 256, 16)]    // m = 14: every observation
    [InlineData(59, 58, 256, 58)]    // m = 58: every second
    [InlineData(61, 58, 256, 60)]
    [InlineData(1000, 800, 256, 962)] // m capped at 256: every 54th
    public void Nudges_follow_a_schedule_fixed_by_the_observation_count(int n, int fitAt, int maxFitPoints, int expected) =>
        Assert.Equal(expected, GpSampler.NudgePoint(n, fitAt, maxFitPoints));
}
