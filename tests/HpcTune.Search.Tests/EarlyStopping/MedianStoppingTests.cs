using HpcTune.Study;
using HpcTune.Trials;
using static HpcTune.Search.Tests.EarlyStopping.Reports;

namespace HpcTune.Search.Tests.EarlyStopping;

public sealed class MedianStoppingTests
{
    private static StudyDefinition Median(long minSteps = 0, long minTrials = 3, MetricObjective direction = MetricObjective.Minimize) =>
        MakeStudy(new EarlyStoppingSpec("median").WithOption("min_steps", minSteps).WithOption("min_trials", minTrials), direction);

    private static Trial[] Others(StudyDefinition study, params double[][] curves) =>
        [.. curves.Select((curve, i) => Trial(study, i + 1, curve, state: TrialState.Completed))];

    [Fact]
    public void A_trial_whose_best_so_far_is_worse_than_the_median_at_its_step_stops()
    {
        var study = Median();
        var others = Others(study, [0.9, 0.5, 0.3], [0.8, 0.6, 0.4], [0.7, 0.7, 0.5]); // median at step 2: 0.6
        var losing = Trial(study, 4, [0.9, 0.65]);
        var stop = Reports.Rule(study).Decide(Snapshot(study, [.. others, losing]), losing);
        Assert.True(stop.Stop);
        Assert.Equal("median: the best loss up to step 2, 0.65, is worse than the median 0.6 of 3 other trials at that step", stop.Reason);
        var atMedian = Trial(study, 4, [0.9, 0.6]);
        Assert.False(Reports.Rule(study).Decide(Snapshot(study, [.. others, atMedian]), atMedian).Stop);
        // Its best so far, not its latest value, is compared: 0.55 at step 1 beats the median 0.6 at step 2.
        var wasGood = Trial(study, 4, [0.55, 0.65]);
        Assert.False(Reports.Rule(study).Decide(Snapshot(study, [.. others, wasGood]), wasGood).Stop);
    }

    [Fact]
    public void Nothing_stops_before_min_steps_or_with_fewer_than_min_trials_at_the_step()
    {
        var warm = Median(minSteps: 3);
        var others = Others(warm, [0.1, 0.1, 0.1], [0.1, 0.1, 0.1], [0.1, 0.1, 0.1]);
        var trial = Trial(warm, 4, [0.9, 0.9]);
        Assert.False(Reports.Rule(warm).Decide(Snapshot(warm, [.. others, trial]), trial).Stop);
        var later = Trial(warm, 4, [0.9, 0.9, 0.9]);
        Assert.True(Reports.Rule(warm).Decide(Snapshot(warm, [.. others, later]), later).Stop);

        var few = Median(minTrials: 4);
        var three = Others(few, [0.1, 0.1], [0.1, 0.1], [0.1, 0.1]);
        var fourth = Trial(few, 4, [0.9, 0.9]);
        Assert.False(Reports.Rule(few).Decide(Snapshot(few, [.. three, fourth]), fourth).Stop);
        // A trial that has not reached step 2 yet does not count there, whatever its state.
        var shortOne = Trial(few, 4, [0.1], state: TrialState.Pruned);
        var fifth = Trial(few, 5, [0.9, 0.9]);
        Assert.False(Reports.Rule(few).Decide(Snapshot(few, [.. three, shortOne, fifth]), fifth).Stop);
        var longOne = Trial(few, 4, [0.1, 0.1], state: TrialState.Pruned);
        Assert.True(Reports.Rule(few).Decide(Snapshot(few, [.. three, longOne, fifth]), fifth).Stop);
    }

    [Fact]
    public void Trials_on_other_step_grids_compare_by_their_latest_report_at_or_before_the_step()
    {
        var study = Median();
        // Others report every 10 steps; the trial at step 15 compares with their values at step 10.
        var others = new[]
        {
            Trial(study, 1, [0.5, 0.3], [10, 20], TrialState.Completed),
            Trial(study, 2, [0.6, 0.2], [10, 20], TrialState.Completed),
            Trial(study, 3, [0.7, 0.1], [10, 20], TrialState.Open),
        };
        var trial = Trial(study, 4, [0.65], [15]);
        Assert.True(Reports.Rule(study).Decide(Snapshot(study, [.. others, trial]), trial).Stop);
        var good = Trial(study, 4, [0.55], [15]);
        Assert.False(Reports.Rule(study).Decide(Snapshot(study, [.. others, good]), good).Stop);
        // Even medians are the mean of the middle two; deleted trials do not count.
        var deleted = Trial(study, 4, [0.0, 0.0], [10, 20], TrialState.Deleted);
        var four = Trial(study, 5, [0.0, 0.0], [10, 20], TrialState.Completed);
        var probe = Trial(study, 6, [0.56], [15]); // others at 10: 0.5 0.6 0.7 0.0 → median 0.55
        Assert.True(Reports.Rule(study).Decide(Snapshot(study, [.. others, deleted, four, probe]), probe).Stop);
    }

    [Fact]
    public void A_maximized_objective_stops_trials_below_the_median()
    {
        var study = Median(direction: MetricObjective.Maximize);
        var others = Others(study, [0.5], [0.6], [0.7]);
        var low = Trial(study, 4, [0.55]);
        Assert.True(Reports.Rule(study).Decide(Snapshot(study, [.. others, low]), low).Stop);
        var high = Trial(study, 4, [0.65]);
        Assert.False(Reports.Rule(study).Decide(Snapshot(study, [.. others, high]), high).Stop);
    }

    [Fact]
    public void A_rule_that_saw_every_report_decides_as_one_built_from_the_last_snapshot_alone()
    {
        // Trials on a seeded random schedule on two step grids, reports interleaved, some failing or deleted while
        // open: the rule asked after each report (its cache filled as the study grew) and a fresh rule asked once
        // give the same decisions.
        var study = Median(minSteps: 2, minTrials: 4);
        var random = new Random(5);
        var incremental = Reports.Rule(study);
        var trials = new List<Trial>();
        var (decisions, stops) = (0, 0);
        while (decisions < 800)
        {
            if (trials.All(t => t.State != TrialState.Open) || random.NextDouble() < 0.1)
            {
                trials.Add(Trial(study, trials.Count + 1, []));
            }

            var open = trials.Where(t => t.State == TrialState.Open).ToList();
            var trial = open[random.Next(open.Count)];
            var id = (int)trial.Id - 1;
            var roll = random.NextDouble();
            if (roll < 0.02)
            {
                trials[id] = trial with { State = roll < 0.01 ? TrialState.Deleted : TrialState.Failed };
                continue;
            }

            var stride = trial.Id % 2 == 0 ? 1 : 3;
            var step = (trial.Reports.Count == 0 ? 0 : trial.Reports[^1].Step) + stride;
            var report = new TrialReport(step, new Dictionary<string, double> { ["loss"] = random.NextDouble() + (1.0 / step) }, DateTimeOffset.UnixEpoch);
            trial = trial with { Reports = [.. trial.Reports, report] };
            trials[id] = trial;
            var snapshot = Snapshot(study, [.. trials]);
            var seen = incremental.Decide(snapshot, trial);
            Assert.Equal(Reports.Rule(study).Decide(snapshot, trial), seen);
            decisions++;
            if (seen.Stop)
            {
                stops++;
                trials[id] = trial with { State = TrialState.Pruned, Values = report.Values };
            }
            else if (step >= 30)
            {
                trials[id] = trial with { State = TrialState.Completed, Values = report.Values };
            }
        }

        Assert.InRange(stops, 10, trials.Count - 1);
    }
}
