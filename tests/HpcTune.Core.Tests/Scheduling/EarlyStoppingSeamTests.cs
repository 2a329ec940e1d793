using HpcTune.Objectives;
using HpcTune.Scheduling;
using HpcTune.Study;
using HpcTune.Transport;
using HpcTune.Trials;
using HpcTune.Tuning;
using static HpcTune.Tests.Scheduling.SchedulingStudies;

namespace HpcTune.Tests.Scheduling;

/// <summary>The study's early stopping rule is asked after every report; a stop prunes the trial (CONTRACTS.md §6).</summary>
public class EarlyStoppingSeamTests
{
    [Fact]
    public void A_report_the_rule_stops_prunes_the_trial_with_that_reports_values_and_the_rules_reason()
    {
        var tuner = new Tuner(WithRule());
        var trial = tuner.Suggest("w").Trial!;
        Assert.Equal(TrialState.Open, tuner.ReportProgress(trial.Id, 1, Loss(0.9)).State); // before at_step: goes on
        var pruned = tuner.ReportProgress(trial.Id, 2, Loss(0.8));
        Assert.Equal(TrialState.Pruned, pruned.State);
        Assert.Equal(0.8, pruned.Values!["loss"]);
        Assert.Equal("loss 0.8 above 0.5 at step 2", pruned.Reason);
        Assert.Equal(1, tuner.Progress.Pruned);
    }

    [Fact]
    public void A_good_trial_goes_on_and_completes()
    {
        var tuner = new Tuner(WithRule());
        var trial = tuner.Suggest("w").Trial!;
        Assert.Equal(TrialState.Open, tuner.ReportProgress(trial.Id, 2, Loss(0.3)).State);
        Assert.Equal(TrialState.Completed, tuner.Observe(trial.Id, 0.2).State);
    }

    [Fact]
    public void The_hub_answers_stop_once_pruned_and_for_a_trial_that_is_no_longer_the_workers()
    {
        var hub = new WorkerHub(new Tuner(WithRule()));
        var a = WorkerId.Named("a");
        var b = WorkerId.Named("b");
        hub.Join(a);
        hub.Join(b);
        var first = hub.Request(a).Trial!;
        var second = hub.Request(b).Trial!;

        Assert.Equal(ReportAnswer.Continue, hub.Report(a, first.Id, 1, Loss(0.9)));
        var repeated = hub.Report(a, first.Id, 1, Loss(0.9));
        Assert.False(repeated.Recorded || repeated.Stop); // a retried report: not recorded twice, and no reason to stop
        var stop = hub.Report(a, first.Id, 2, Loss(0.9));
        Assert.True(stop.Stop && stop.Recorded);
        Assert.Contains("above 0.5", stop.Reason, StringComparison.Ordinal);
        var late = hub.Report(a, first.Id, 3, Loss(0.1));
        Assert.True(late.Stop && !late.Recorded);
        Assert.Contains("pruned", late.Reason, StringComparison.Ordinal);

        var result = hub.Result(a, first.Id, ObjectiveResult.Success(Loss(0.1)));
        Assert.True(result.Pruned && !result.Recorded); // the killed objective's last words are not wanted, and no fault
        Assert.Equal(TrialState.Pruned, hub.Tuner.GetTrial(first.Id).State);

        var notMine = hub.Report(a, second.Id, 1, Loss(0.1));
        Assert.True(notMine.Stop && !notMine.Recorded);
        Assert.Contains("evaluated by", notMine.Reason, StringComparison.Ordinal);
        var unknownMetric = hub.Report(b, second.Id, 1, new Dictionary<string, double> { ["speed"] = 1 });
        Assert.False(unknownMetric.Stop || unknownMetric.Recorded);
        Assert.Contains("'speed' is not a metric", unknownMetric.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_process_workers_report_through_the_context_stop_when_told_and_the_budget_is_met_exactly()
    {
        var tuner = new Tuner(WithRule(budget: 12));
        var stopsSeen = 0;
        var objective = Objective.FromAsync(async (context, token) =>
        {
            var x = context.Assignment.GetDouble("x");
            for (var step = 1; step <= 4; step++)
            {
                var answer = await context.ReportAsync(step, Loss(x), token);
                if (answer.Stop)
                {
                    Interlocked.Increment(ref stopsSeen);
                    return ObjectiveResult.Success(Loss(-1)); // not recorded: the trial is already Pruned
                }
            }

            return ObjectiveResult.Success(Loss(x));
        });

        await tuner.OptimizeAsync(objective, workers: 3, TestContext.Current.CancellationToken);

        var trials = tuner.Trials;
        Assert.Equal(12, trials.Count(t => t.State is TrialState.Completed or TrialState.Pruned));
        Assert.All(trials.Where(t => t.State == TrialState.Pruned), t =>
        {
            Assert.True(t.Assignment.GetDouble("x") > 0.5);
            Assert.Equal([1L, 2L], t.Reports.Select(r => r.Step));
            Assert.Equal(t.Assignment.GetDouble("x"), t.Values!["loss"]);
        });
        Assert.All(trials.Where(t => t.State == TrialState.Completed), t => Assert.Equal(4, t.Reports.Count));
        Assert.Equal(trials.Count(t => t.State == TrialState.Pruned), stopsSeen);
        Assert.Contains(trials, t => t.State == TrialState.Pruned); // Sobol's 12 points cover x > 0.5
    }

    [Fact]
    public async Task A_run_ends_only_after_every_stopped_objective_has_ended()
    {
        var tuner = new Tuner(WithRule(budget: 5, options: """{"at_step": 1, "above": 0}"""));
        var running = 0;
        var cleanedUp = 0;
        var objective = Objective.FromAsync(async (context, token) =>
        {
            Interlocked.Increment(ref running);
            try
            {
                for (var step = 1; ; step++)
                {
                    var answer = await context.ReportAsync(step, Loss(1), token);
                    if (answer.Stop)
                    {
                        // What a program does after its stop (a command's SIGTERM handler): takes a while, ignoring the token.
                        await Task.Delay(TimeSpan.FromMilliseconds(300), CancellationToken.None);
                        Interlocked.Increment(ref cleanedUp);
                        return ObjectiveResult.Success(Loss(1));
                    }
                }
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        });

        await tuner.OptimizeAsync(objective, workers: 2, TestContext.Current.CancellationToken);

        Assert.Equal(5, tuner.Trials.Count(t => t.State == TrialState.Pruned)); // every trial, the last one included
        Assert.Equal(0, Volatile.Read(ref running));
        Assert.Equal(5, Volatile.Read(ref cleanedUp));
    }

    [Fact]
    public void An_option_override_of_the_rule_replaces_the_studys()
    {
        var tuner = new Tuner(WithRule(), new TunerOptions { EarlyStopping = new NeverStop() });
        var trial = tuner.Suggest("w").Trial!;
        Assert.Equal(TrialState.Open, tuner.ReportProgress(trial.Id, 5, Loss(0.99)).State);
    }

    private sealed class NeverStop : IEarlyStopping
    {
        public string Name => "never";

        public StopDecision Decide(HpcTune.Sampling.StudySnapshot study, Trial trial) => StopDecision.Continue;
    }
}
