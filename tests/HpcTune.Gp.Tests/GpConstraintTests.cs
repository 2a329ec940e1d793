using HpcTune.Gp.Sampling;
using HpcTune.Objectives;
using HpcTune.Sampling;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Gp.Tests;

/// <summary>
/// Constraint metrics and failures as the probability of feasibility (issue 27, item 4; docs/gp-constraints.md). The
/// problems are the benchmark's (<see cref="ConstrainedTestFunctions"/>); their bounds leave a margin over
/// the worst of 20 seeds measured there.
/// </summary>
public class GpConstraintTests
{
    private static double Square(double v) => v * v;

    /// <summary>
    /// The GP, with whatever it throws kept: the tuner answers a sampler's exception with a Sobol point and goes on,
    /// which would let a broken model pass these tests.
    /// </summary>
    private sealed class Checked(GpSampler inner) : ISampler
    {
        public List<Exception> Thrown { get; } = [];

        public string Name => inner.Name;

        public IReadOnlyList<Assignment> Suggest(StudySnapshot snapshot, int count, CancellationToken cancellation)
        {
            try
            {
                return inner.Suggest(snapshot, count, cancellation);
            }
            catch (Exception e)
            {
                Thrown.Add(e);
                throw;
            }
        }
    }

    /// <summary>Runs a study to its end, one trial at a time; null from <paramref name="loss"/> fails the trial.</summary>
    private static (Tuner Tuner, int Failures, List<Trial> Trials) RunToEnd(StudyDefinition definition, Func<Assignment, double?> loss)
    {
        var sampler = new Checked(new GpSampler());
        var tuner = new Tuner(definition, new TunerOptions { Sampler = sampler });
        var failures = 0;
        var trials = new List<Trial>();
        while (tuner.Suggest("w") is { Status: SuggestStatus.Issued, Trial: { } trial })
        {
            trials.Add(trial);
            if (loss(trial.Assignment) is { } value)
            {
                tuner.Observe(trial.Id, value);
            }
            else
            {
                failures++;
                tuner.Fail(trial.Id, "exit code 1");
            }
        }

        Assert.Empty(sampler.Thrown);

        return (tuner, failures, trials);
    }

    /// <summary>
    /// Failing for one categorical value, an int at its top value and a double above a threshold, with the optimum
    /// inside the feasible region (the benchmark's failing-mixed-interior): the GP that only kept failures as open
    /// suggestions failed a median 15.5 times (up to 30, the study's limit, in 4 of 20 seeds); with the label model a
    /// median 6.5, at most 16, and with failed trials also at a latent value a median 5, at most 8, every run completed
    /// (bench/results/constraints.txt).
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_mixed_study_failing_in_three_parameters_completes_with_few_failures(long seed)
    {
        var definition = ConstrainedTestFunctions.FailingMixed("failing-mixed-interior", 30, 1, GpAlgorithmProvider.Spec(seed));
        var (tuner, failures, _) = RunToEnd(definition, a =>
            ConstrainedTestFunctions.FailingMixedInteriorLoss(a.GetDouble("x"), a.GetDouble("z"), a.GetInt("n"), a.GetString("c")));

        Assert.Equal(StudyStatus.Completed, tuner.Progress.Status);
        Assert.InRange(failures, 0, MixedFailureBound);
    }

    /// <summary>The most failures of a run: 8 in 20 seeds measured (16 with the label model alone), with a margin.</summary>
    private const int MixedFailureBound = 16;

    /// <summary>
    /// Failing where x &gt; 0.8 and y &gt; 0.8, where the global minimum lies (the benchmark's failing-corner): with the
    /// label model alone the GP kept probing the failing edge next to that minimum, and 7 of 20 sequential runs ended
    /// at the study's 60 failures; with failed trials in the objective's model at a latent value every run completed,
    /// with at most 6 failures (bench/results/constraints.txt).
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_study_failing_in_the_corner_of_its_optimum_completes_with_few_failures(long seed)
    {
        var definition = ConstrainedTestFunctions.FailingCorner(30, 1, GpAlgorithmProvider.Spec(seed));
        var (tuner, failures, _) = RunToEnd(definition, a => ConstrainedTestFunctions.FailingCornerLoss(a.GetDouble("x"), a.GetDouble("y")));

        Assert.Equal(StudyStatus.Completed, tuner.Progress.Status);
        Assert.InRange(failures, 0, CornerFailureBound);
    }

    /// <summary>The most failures of a sequential run: 6 in 20 seeds measured, with a margin.</summary>
    private const int CornerFailureBound = 8;

    /// <summary>
    /// The mixed study's failures with a loss that improves towards each failing value (the benchmark's
    /// failing-mixed): with the label model alone every run of 20 ended at the study's 30 failures; with failed trials
    /// in the objective's model every run completed, with at most 12 failures (bench/results/constraints.txt).
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_mixed_study_improving_towards_its_failing_values_completes_with_few_failures(long seed)
    {
        var definition = ConstrainedTestFunctions.FailingMixed("failing-mixed", 30, 1, GpAlgorithmProvider.Spec(seed));
        var (tuner, failures, _) = RunToEnd(definition, a =>
            ConstrainedTestFunctions.FailingMixedLoss(a.GetDouble("x"), a.GetDouble("z"), a.GetInt("n"), a.GetString("c")));

        Assert.Equal(StudyStatus.Completed, tuner.Progress.Status);
        Assert.InRange(failures, 0, ImprovingMixedFailureBound);
    }

    /// <summary>The most failures of a sequential run: 12 in 20 seeds measured, with a margin.</summary>
    private const int ImprovingMixedFailureBound = 16;

    /// <summary>
    /// Gardner et al. 2014's toy: most model-based suggestions are feasible, and the study's best is the best feasible value.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void On_Gardners_toy_most_model_suggestions_are_feasible(long seed)
    {
        var tuner = new Tuner(ConstrainedTestFunctions.GardnerToy(40, 1, GpAlgorithmProvider.Spec(seed)));
        var feasible = new List<bool>();
        var bestFeasible = double.PositiveInfinity;
        while (tuner.Suggest("w") is { Status: SuggestStatus.Issued, Trial: { } trial })
        {
            var (f, c) = ConstrainedTestFunctions.GardnerToyValues(trial.Assignment.GetDouble("x"), trial.Assignment.GetDouble("y"));
            tuner.Observe(trial.Id, new Dictionary<string, double> { ["f"] = f, ["c"] = c });
            feasible.Add(c <= ConstrainedTestFunctions.GardnerToyThreshold);
            bestFeasible = c <= ConstrainedTestFunctions.GardnerToyThreshold ? Math.Min(bestFeasible, f) : bestFeasible;
        }

        Assert.True(feasible.Skip(20).Count(b => b) >= LateFeasibleBound, $"{feasible.Skip(20).Count(b => b)} of the last 20 suggestions were feasible");
        Assert.Equal(bestFeasible, tuner.Best!.Values!["f"]);
    }

    /// <summary>
    /// A study with constraint metrics searches constrained EI over the whole space, as Optuna's GPSampler and BoTorch
    /// do (in a trust region the toy's runs stayed in the first feasible basin they reached); with
    /// <see cref="GpOptions.ConstrainedTrustRegion"/> its suggestions keep to a region.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_constrained_study_searches_the_whole_space_unless_the_trust_region_is_asked_for(bool inRegion)
    {
        var sampler = new GpSampler(new GpOptions { ConstrainedTrustRegion = inRegion });
        var tuner = new Tuner(ConstrainedTestFunctions.GardnerToy(12, 1, GpAlgorithmProvider.Spec(3)), new TunerOptions { Sampler = sampler });
        while (tuner.Suggest("w") is { Status: SuggestStatus.Issued, Trial: { } trial })
        {
            var (f, c) = ConstrainedTestFunctions.GardnerToyValues(trial.Assignment.GetDouble("x"), trial.Assignment.GetDouble("y"));
            tuner.Observe(trial.Id, new Dictionary<string, double> { ["f"] = f, ["c"] = c });
        }

        Assert.NotNull(sampler.Feasibility); // the last suggestion was the model's
        Assert.Equal(inRegion, sampler.Region is not null);
    }

    /// <summary>
    /// Feasible suggestions among the last 20 of 40 on the toy: 20 seeds measured 16 to 20 (median 18.5) in the trust region;
    /// searched over the whole space the GP explores more (90 % of 100 evaluations feasible at the median against 94 %), so the margin is wide.
    /// </summary>
    private const int LateFeasibleBound = 14;

    /// <summary>
    /// Feasible only in a disk of radius 0.08 around (0.8, 0.8): before any feasible point is known the sampler
    /// maximizes the probability of feasibility alone (no incumbent), which walks towards the disk along the
    /// constraint's slope, where a uniform point hits it once in 50 (15 of them all miss it three times in four).
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Before_any_feasible_point_the_probability_of_feasibility_alone_finds_a_small_feasible_region(long seed)
    {
        var definition = new StudyDefinition(
            "disk",
            [ParameterDefinition.Double("x", 0, 1), ParameterDefinition.Double("y", 0, 1)],
            [new MetricDefinition("loss", MetricObjective.Minimize), new MetricDefinition("distance", MetricObjective.Minimize, MetricStrategy.Constraint, 0.08)],
            DiskBudget, 1, algorithm: GpAlgorithmProvider.Spec(seed));
        var sampler = new GpSampler();
        var tuner = new Tuner(definition, new TunerOptions { Sampler = sampler });
        var firstFeasible = -1;
        var count = 0;
        while (tuner.Suggest("w") is { Status: SuggestStatus.Issued, Trial: { } trial })
        {
            var (x, y) = (trial.Assignment.GetDouble("x"), trial.Assignment.GetDouble("y"));
            var distance = Math.Sqrt(Square(x - 0.8) + Square(y - 0.8));
            if (firstFeasible < 0 && count > 6)
            {
                Assert.Equal(double.NegativeInfinity, sampler.Incumbent); // no incumbent while nothing is feasible
            }

            tuner.Observe(trial.Id, new Dictionary<string, double> { ["loss"] = x + y, ["distance"] = distance });
            count++;
            if (distance <= 0.08 && firstFeasible < 0)
            {
                firstFeasible = count;
            }
        }

        Assert.InRange(firstFeasible, 1, DiskBudget);
    }

    /// <summary>The disk study's budget: 20 seeds measured the first feasible point at evaluation 4 to 10 (median 8), with a margin.</summary>
    private const int DiskBudget = 15;
}
