using HpcTune.Search.EarlyStopping;
using HpcTune.Study;
using HpcTune.Trials;
using static HpcTune.Search.Tests.EarlyStopping.Reports;

namespace HpcTune.Search.Tests.EarlyStopping;

public sealed class AshaStoppingTests
{
    [Fact]
    public void Rungs_lie_at_min_steps_times_powers_of_the_reduction_factor_below_max_steps()
    {
        Assert.Equal([1L, 3, 9, 27], AshaStoppingProvider.Rungs(1, 3, 81));
        Assert.Equal([2L, 8, 32], AshaStoppingProvider.Rungs(2, 4, 100));
        Assert.Equal([2L, 8, 32], ((AshaStopping)Rule(MakeStudy(Asha(2, 4, 100)))).RungSteps);
        var unbounded = AshaStoppingProvider.Rungs(1, 3, null);
        Assert.Equal(40, unbounded.Length); // 3^39 < 2^63 < 3^40
        Assert.All(unbounded.Zip(unbounded.Skip(1)), p => Assert.Equal(p.First * 3, p.Second));
    }

    [Fact]
    public void A_rungs_first_trial_goes_on_and_until_eta_trials_only_one_that_beats_them_all()
    {
        var study = MakeStudy(Asha());
        var rule = Rule(study);
        var first = Trial(study, 1, [0.5]);
        Assert.False(DecideLast(rule, study, first).Stop);
        var worse = Trial(study, 2, [0.6]);
        var stop = DecideLast(rule, study, first, worse);
        Assert.True(stop.Stop);
        Assert.Contains("asha: loss 0.6 at rung 0 (step 1) is not in the top 1 of the 2 values recorded there (1 are better)", stop.Reason, StringComparison.Ordinal);
        var tie = Trial(study, 2, [0.5]);
        Assert.False(Rule(study).Decide(Snapshot(study, first, tie), tie).Stop); // a tie is not strictly worse
        var better = Trial(study, 2, [0.4]);
        Assert.False(Rule(study).Decide(Snapshot(study, first, better), better).Stop);
    }

    [Fact]
    public void With_n_values_at_a_rung_the_best_floor_n_over_eta_go_on()
    {
        var study = MakeStudy(Asha(reductionFactor: 3));
        // Six earlier trials recorded 0.1 .. 0.6 at rung 0; a seventh makes n = 7, so the top ⌊7/3⌋ = 2 go on.
        var earlier = Enumerable.Range(1, 6).Select(i => Trial(study, i, [i / 10.0], state: TrialState.Completed)).ToArray();
        foreach (var (loss, stops) in new[] { (0.05, false), (0.15, false), (0.2, false), (0.25, true), (0.9, true) })
        {
            var trial = Trial(study, 7, [loss]);
            Assert.Equal(stops, Rule(study).Decide(Snapshot(study, [.. earlier, trial]), trial).Stop);
        }
    }

    [Fact]
    public void Only_the_rungs_the_latest_report_reached_are_judged()
    {
        var study = MakeStudy(Asha(reductionFactor: 2));
        var rule = Rule(study);
        var leader = Trial(study, 1, [0.1, 0.1, 0.1, 0.1]);
        // Trial 2 was worse at rung 0 (step 1) when it got there, but reports at steps 2 (rung 1) and 3 (no rung).
        var late = Trial(study, 2, [0.9, 0.05], [1, 2]);
        Assert.False(rule.Decide(Snapshot(study, leader, late), late).Stop); // 0.05 beats 0.1 at rung 1
        var between = Trial(study, 2, [0.9, 0.05, 0.7], [1, 2, 3]);
        Assert.False(rule.Decide(Snapshot(study, leader, between), between).Stop); // step 3 is no rung (1, 2, 4, ...)
        var atRung2 = Trial(study, 2, [0.9, 0.05, 0.7, 0.7], [1, 2, 3, 4]);
        Assert.True(rule.Decide(Snapshot(study, leader, atRung2), atRung2).Stop);
    }

    [Fact]
    public void A_report_that_passes_several_rungs_is_judged_at_each_and_records_its_value_at_all()
    {
        var study = MakeStudy(Asha(reductionFactor: 3));
        var rule = Rule(study);
        var a = Trial(study, 1, [0.5, 0.2], [1, 3]);
        // One report at step 10 passes rungs 1, 3 and 9: 0.3 is best at rung 0 (alone with 0.5) but not at rung 1 (0.2).
        var jumper = Trial(study, 2, [0.3], [10]);
        var stop = rule.Decide(Snapshot(study, a, jumper), jumper);
        Assert.True(stop.Stop);
        Assert.Contains("rung 1 (step 3)", stop.Reason, StringComparison.Ordinal);
        // Its value counts at rung 2 too, where it was the first: a later trial must beat 0.3 there.
        var third = Trial(study, 3, [0.1, 0.1, 0.35], [1, 3, 9]);
        var pruned = jumper with { State = TrialState.Pruned };
        Assert.True(rule.Decide(Snapshot(study, a, pruned, third), third).Stop);
    }

    [Fact]
    public void Pruned_trials_count_at_the_rungs_they_reached_and_deleted_ones_not_at_all()
    {
        var study = MakeStudy(Asha());
        var pruned = Trial(study, 1, [0.2], state: TrialState.Pruned);
        var trial = Trial(study, 2, [0.3]);
        Assert.True(Rule(study).Decide(Snapshot(study, pruned, trial), trial).Stop);

        var rule = Rule(study);
        var running = Trial(study, 1, [0.2]);
        Assert.True(rule.Decide(Snapshot(study, running, trial), trial).Stop);
        var deleted = running with { State = TrialState.Deleted }; // a user dropped the running trial
        var next = Trial(study, 3, [0.4]);
        // The cache withdraws the deleted trial's 0.2: 0.3 (trial 2) and 0.4 → 0.4 is not the best.
        var decision = rule.Decide(Snapshot(study, deleted, trial, next), next);
        Assert.True(decision.Stop);
        Assert.Contains("of the 2 values", decision.Reason, StringComparison.Ordinal);
        var best = Trial(study, 3, [0.25]);
        Assert.False(Rule(study).Decide(Snapshot(study, deleted, trial, best), best).Stop);
    }

    [Fact]
    public void Maximized_metrics_keep_the_largest_values_and_reports_without_the_metric_record_nothing()
    {
        var study = MakeStudy(Asha(), MetricObjective.Maximize);
        var rule = Rule(study);
        var high = Trial(study, 1, [0.9]);
        var low = Trial(study, 2, [0.5]);
        Assert.True(rule.Decide(Snapshot(study, high, low), low).Stop);
        var higher = Trial(study, 2, [0.95]);
        Assert.False(Rule(study).Decide(Snapshot(study, high, higher), higher).Stop);
        var other = Trial(study, 2, [0.1], metric: "acc");
        Assert.False(Rule(study).Decide(Snapshot(study, high, other), other).Stop);
    }

    [Fact]
    public void The_metric_option_picks_another_metric_with_its_own_direction()
    {
        var study = MakeStudy(Asha().WithOption("metric", System.Text.Json.JsonSerializer.SerializeToElement("acc")));
        var rule = Rule(study);
        var a = Trial(study, 1, [0.9], metric: "acc");
        var b = Trial(study, 2, [0.8], metric: "acc"); // acc is maximized: 0.8 is worse
        Assert.True(rule.Decide(Snapshot(study, a, b), b).Stop);
    }

    [Fact]
    public void A_rule_that_saw_every_report_decides_as_one_built_from_the_last_snapshot_alone()
    {
        // Trials on a seeded random schedule, reports interleaved: the rule asked after each report and a
        // fresh rule asked once at each point give the same decisions (a resumed study decides alike).
        var study = MakeStudy(Asha(reductionFactor: 2, maxSteps: 40));
        var random = new Random(11);
        var incremental = Rule(study);
        var trials = new List<Trial>();
        var decisions = 0;
        var stops = 0;
        while (decisions < 600)
        {
            if (trials.All(t => t.State != TrialState.Open) || random.NextDouble() < 0.15)
            {
                trials.Add(Trial(study, trials.Count + 1, []));
            }

            var open = trials.Where(t => t.State == TrialState.Open).ToList();
            var trial = open[random.Next(open.Count)];
            var step = (trial.Reports.Count == 0 ? 0 : trial.Reports[^1].Step) + 1 + random.Next(3);
            var report = new TrialReport(step, new Dictionary<string, double> { ["loss"] = random.NextDouble() / step }, DateTimeOffset.UnixEpoch);
            trial = trial with { Reports = [.. trial.Reports, report] };
            trials[(int)trial.Id - 1] = trial;
            var snapshot = Snapshot(study, [.. trials]);
            var seen = incremental.Decide(snapshot, trial);
            var fresh = Rule(study).Decide(snapshot, trial);
            Assert.Equal(fresh, seen);
            decisions++;
            if (seen.Stop)
            {
                stops++;
                trials[(int)trial.Id - 1] = trial with { State = TrialState.Pruned, Values = report.Values };
            }
            else if (step >= 40)
            {
                trials[(int)trial.Id - 1] = trial with { State = TrialState.Completed, Values = report.Values };
            }
        }

        Assert.InRange(stops, 10, trials.Count - 1); // the schedule does prune, and never every trial
    }

    [Fact]
    public void A_snapshot_the_cache_cannot_have_grown_into_rebuilds_it()
    {
        var study = MakeStudy(Asha());
        var rule = Rule(study);
        var a = Trial(study, 1, [0.1, 0.1, 0.1]);
        var b = Trial(study, 2, [0.5]);
        Assert.True(rule.Decide(Snapshot(study, a, b), b).Stop);
        // Another (older) snapshot where trial 1 has not reported yet: 0.5 is then the only value at rung 0.
        var early = Trial(study, 1, []);
        Assert.False(rule.Decide(Snapshot(study, early, b), b).Stop);
    }
}
