using HpcTune.Gp.Sampling;
using HpcTune.Sampling;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Gp.Tests;

/// <summary>How the GP sampler uses trials an early stopping rule pruned (docs/early-stopping.md).</summary>
public class GpPrunedTrialTests
{
    static GpPrunedTrialTests() => GpSampler.Register();

    private static StudyDefinition Study(int budget) => new(
        "pruned",
        [ParameterDefinition.Double("x", 0, 1), ParameterDefinition.Double("y", 0, 1)],
        [new MetricDefinition("loss", MetricObjective.Minimize)],
        budget, 1, algorithm: GpAlgorithmProvider.Spec(21, 5));

    private static double Loss(Trial trial) =>
        Math.Pow(trial.Assignment.GetDouble("x") - 0.3, 2) + Math.Pow(trial.Assignment.GetDouble("y") - 0.6, 2);

    /// <summary>Runs <paramref name="trials"/> trials; all but every fourth report once and are pruned.</summary>
    private static Tuner Run(GpSampler sampler, int trials)
    {
        var tuner = new Tuner(Study(40), new TunerOptions { Sampler = sampler });
        for (var i = 0; i < trials; i++)
        {
            var trial = tuner.Suggest("w").Trial!;
            tuner.ReportProgress(trial.Id, 1, new Dictionary<string, double> { ["loss"] = Loss(trial) + 1 });
            if (trial.Id % 4 == 0)
            {
                tuner.Observe(trial.Id, Loss(trial));
            }
            else
            {
                tuner.Prune(trial.Id, "test");
            }
        }

        return tuner;
    }

    [Fact]
    public void Pruned_trials_are_observations_by_default_and_ignoring_them_leaves_the_gp_in_its_design()
    {
        var sampler = new GpSampler();
        Run(sampler, 12); // 3 completed, 9 pruned: well past the design of 5
        Assert.NotNull(sampler.Model);
        Assert.Equal(11, sampler.Model!.ObservationCount); // the 12th suggestion saw 2 completed and 9 pruned trials

        var ignoring = new GpSampler(new GpOptions { PrunedTrials = PrunedTrialUse.Ignore });
        Run(ignoring, 12); // 3 completed: the model would need 5, so every suggestion is a design point
        Assert.Null(ignoring.Model);
    }

    [Fact]
    public void A_fresh_sampler_over_the_same_study_suggests_what_the_running_one_does()
    {
        var running = new GpSampler();
        var tuner = Run(running, 20);
        var snapshot = new StudySnapshot(tuner.Definition, tuner.Trials);
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(running.Suggest(snapshot, 1, ct), new GpSampler().Suggest(snapshot, 1, ct));
    }

    [Fact]
    public void Observations_are_completed_and_pruned_trials_in_the_order_they_finished()
    {
        var definition = Study(10).WithResolvedSeed();
        Trial Make(long id, TrialState state, int finishedAt, int createdAt, int completedBefore) => new()
        {
            Id = id,
            Assignment = definition.Space.Decode([id / 10.0, 0.5]),
            State = state,
            Worker = "w",
            CreatedAt = DateTimeOffset.UnixEpoch.AddSeconds(createdAt),
            SuggestedAt = DateTimeOffset.UnixEpoch.AddSeconds(createdAt),
            FinishedAt = DateTimeOffset.UnixEpoch.AddSeconds(finishedAt),
            CompletedBefore = completedBefore,
            Values = new Dictionary<string, double> { ["loss"] = id },
        };

        Trial[] trials =
        [
            Make(1, TrialState.Completed, finishedAt: 30, createdAt: 0, completedBefore: 0),
            Make(2, TrialState.Pruned, finishedAt: 20, createdAt: 0, completedBefore: 0),
            Make(3, TrialState.Completed, finishedAt: 10, createdAt: 0, completedBefore: 0),
            Make(4, TrialState.Pruned, finishedAt: 40, createdAt: 25, completedBefore: 1),
            Make(5, TrialState.Pruned, finishedAt: 50, createdAt: 0, completedBefore: 0) with { Values = new Dictionary<string, double>() }, // reported no loss
        ];
        var observed = ObservedTrials.WithPruned(new StudySnapshot(definition, trials, completed: [trials[2], trials[0]]));
        Assert.Equal([3L, 2, 1, 4], observed.Trials.Select(t => t.Id));
        Assert.Equal(2, observed.KnownAt(trials[3])); // trial 3 completed and trial 2 pruned before it was created
        Assert.Equal(2.0, observed.ValueOf(1, "loss", extrapolate: true)); // nothing completed before it reported a curve
        Assert.Equal([3L, 1], ObservedTrials.CompletedOf(new StudySnapshot(definition, trials, completed: [trials[2], trials[0]])).Trials.Select(t => t.Id));
    }

    [Fact]
    public void A_pruned_trial_is_moved_by_the_median_change_from_its_step_to_the_end_among_completed_trials_before_it()
    {
        var definition = Study(10).WithResolvedSeed();
        Trial Make(long id, TrialState state, int finishedAt, params double[] curve) => new()
        {
            Id = id,
            Assignment = definition.Space.Decode([id / 10.0, 0.5]),
            State = state,
            Worker = "w",
            CreatedAt = DateTimeOffset.UnixEpoch,
            SuggestedAt = DateTimeOffset.UnixEpoch,
            FinishedAt = DateTimeOffset.UnixEpoch.AddSeconds(finishedAt),
            Reports = [.. curve.Select((v, i) => new TrialReport(i + 1, new Dictionary<string, double> { ["loss"] = v }, DateTimeOffset.UnixEpoch))],
            Values = new Dictionary<string, double> { ["loss"] = curve[^1] },
        };

        Trial[] trials =
        [
            Make(1, TrialState.Completed, 10, 5, 3, 1),   // from step 2 to the end: −2
            Make(2, TrialState.Completed, 20, 9, 8, 7),   // −1
            Make(3, TrialState.Completed, 30, 4, 1, 0.5), // −0.5
            Make(4, TrialState.Pruned, 40, 6, 6),         // at step 2: 6 − 1 (the median change) = 5
            Make(5, TrialState.Pruned, 5, 7, 4),          // finished before any completed trial: left as it is
            Make(6, TrialState.Completed, 50, 9, 9, 0),   // after trial 4: not in its median
        ];
        var observed = ObservedTrials.WithPruned(new StudySnapshot(definition, trials));
        Assert.Equal([5L, 1, 2, 3, 4, 6], observed.Trials.Select(t => t.Id));
        Assert.Equal(4.0, observed.ValueOf(0, "loss", extrapolate: true));
        Assert.Equal(5.0, observed.ValueOf(4, "loss", extrapolate: true));
        Assert.Equal(6.0, observed.ValueOf(4, "loss", extrapolate: false));
        Assert.Equal(0.0, observed.ValueOf(5, "loss", extrapolate: true)); // a completed trial's value is its own
    }
}
