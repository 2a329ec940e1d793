using HpcTune.Objectives;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;
using HpcTune.Tuning;
using Microsoft.Extensions.Time.Testing;

namespace HpcTune.Tests.Tuning;

public class LeaseTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero));

    private static StudyDefinition Study(int budget = 3, int bandwidth = 2) =>
        new("lease", [ParameterDefinition.Double("x", 0, 1)], [new MetricDefinition("loss", MetricObjective.Minimize)], budget, bandwidth, null, new AlgorithmSpec("sobol", 1));

    private Tuner NewTuner(TimeSpan? trialTimeout = null, int budget = 3) =>
        new(Study(budget), new TunerOptions { Time = _clock, LeasePeriod = Lease, TrialTimeout = trialTimeout });

    private static Trial Issue(Tuner tuner, string worker)
    {
        var outcome = tuner.Suggest(worker);
        Assert.Equal(SuggestStatus.Issued, outcome.Status);
        return outcome.Trial!;
    }

    [Fact]
    public void A_silent_worker_loses_its_trial_after_one_lease_and_another_worker_gets_it()
    {
        var tuner = NewTuner();
        var trial = Issue(tuner, "a");
        _clock.Advance(Lease);
        Assert.Empty(tuner.ExpireLeases()); // exactly one period is still within the lease
        _clock.Advance(TimeSpan.FromSeconds(1));
        var expired = Assert.Single(tuner.ExpireLeases());
        Assert.Equal(TrialState.Interrupted, expired.State);
        Assert.Contains("nothing heard from a for 11.0 s", expired.Reason, StringComparison.Ordinal);
        var again = Issue(tuner, "b");
        Assert.Equal((trial.Id, 2), (again.Id, again.Attempts));
    }

    [Fact]
    public void Heartbeats_keep_the_lease()
    {
        var tuner = NewTuner();
        var trial = Issue(tuner, "a");
        for (var i = 0; i < 10; i++)
        {
            _clock.Advance(tuner.HeartbeatInterval!.Value);
            Assert.Equal(HeartbeatAnswer.Renewed, tuner.Heartbeat(trial.Id, "a"));
            Assert.Empty(tuner.ExpireLeases());
        }

        Assert.Equal(TrialState.Open, tuner.GetTrial(trial.Id).State);
    }

    [Fact]
    public void A_worker_past_the_trial_timeout_plus_a_lease_loses_its_trial_even_while_it_heartbeats()
    {
        var tuner = NewTuner(trialTimeout: TimeSpan.FromSeconds(30));
        var trial = Issue(tuner, "a");
        for (var elapsed = 0; elapsed <= 40; elapsed += 5)
        {
            Assert.Equal(HeartbeatAnswer.Renewed, tuner.Heartbeat(trial.Id, "a"));
            Assert.Empty(tuner.ExpireLeases());
            _clock.Advance(TimeSpan.FromSeconds(5));
        }

        var expired = Assert.Single(tuner.ExpireLeases());
        Assert.Contains("more than the trial timeout of 30.0 s plus the lease of 10.0 s", expired.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_late_result_counts_when_it_arrives_first_and_the_second_one_is_refused()
    {
        var tuner = NewTuner(budget: 1);
        var trial = Issue(tuner, "a");
        _clock.Advance(Lease * 2);
        tuner.ExpireLeases();
        Issue(tuner, "b");
        Assert.Equal(HeartbeatAnswer.Reassigned, tuner.Heartbeat(trial.Id, "a")); // a is back: it may finish
        tuner.Observe(trial.Id, 0.25); // a's late result is the first
        Assert.Equal(HeartbeatAnswer.Finished, tuner.Heartbeat(trial.Id, "b")); // b should abandon
        Assert.Throws<TrialStateException>(() => tuner.Observe(trial.Id, 0.5));
        Assert.Equal(0.25, tuner.GetTrial(trial.Id).Values!["loss"]);
        Assert.Equal(StudyStatus.Completed, tuner.Progress.Status);
    }

    [Fact]
    public void An_interrupted_trial_that_was_not_handed_out_again_takes_its_late_result()
    {
        var tuner = NewTuner();
        var trial = Issue(tuner, "a");
        _clock.Advance(Lease * 2);
        tuner.ExpireLeases();
        tuner.Observe(trial.Id, 0.25);
        Assert.Equal(0, tuner.Progress.Interrupted);
        Assert.NotEqual(trial.Id, Issue(tuner, "b").Id);
    }

    [Fact]
    public void Without_leases_nothing_expires()
    {
        var tuner = new Tuner(Study(), new TunerOptions { Time = _clock });
        Issue(tuner, "a");
        _clock.Advance(TimeSpan.FromDays(1));
        Assert.Empty(tuner.ExpireLeases());
        Assert.Null(tuner.HeartbeatInterval);
    }

    [Fact]
    public void After_stop_handing_out_no_work_goes_out_but_results_are_recorded()
    {
        var tuner = NewTuner();
        var trial = Issue(tuner, "a");
        var changed = tuner.WaitForChangeAsync();
        tuner.StopHandingOut("walltime");
        Assert.True(changed.IsCompleted); // waiting workers wake up to hear it
        var outcome = tuner.Suggest("b");
        Assert.Equal((SuggestStatus.Finished, "walltime"), (outcome.Status, outcome.Reason));
        tuner.Observe(trial.Id, 0.1);
        Assert.Equal(1, tuner.Progress.Completed);
    }

    [Fact]
    public void A_failure_while_stopping_is_an_interruption_that_runs_again()
    {
        var tuner = NewTuner();
        var trial = Issue(tuner, "a");
        tuner.StopHandingOut("SIGTERM");
        var failed = tuner.Fail(trial.Id, "exit code 143");
        Assert.Equal(TrialState.Interrupted, failed.State);
        Assert.Contains("failed while the run was stopping (SIGTERM): exit code 143", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(0, tuner.Progress.Failed);
    }

    [Fact]
    public async Task An_in_process_worker_abandons_a_trial_finished_elsewhere()
    {
        var tuner = new Tuner(Study(budget: 1, bandwidth: 1), new TunerOptions { LeasePeriod = TimeSpan.FromMilliseconds(200) });
        var started = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var abandoned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var objective = Objective.FromAsync(async (trial, token) =>
        {
            started.TrySetResult(trial.TrialId);
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
                abandoned.TrySetResult();
                throw;
            }

            return ObjectiveResult.Success(new Dictionary<string, double> { ["loss"] = 1 });
        });
        var run = tuner.OptimizeAsync(objective, workers: 1, TestContext.Current.CancellationToken);
        var id = await started.Task.WaitAsync(TestContext.Current.CancellationToken);
        tuner.Observe(id, 0.5); // another worker's result for the same trial arrives first
        await abandoned.Task.WaitAsync(TestContext.Current.CancellationToken);
        var summary = await run.WaitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(1, summary.Progress.Completed);
        Assert.Equal(0.5, tuner.GetTrial(id).Values!["loss"]);
    }

    [Fact]
    public async Task An_objective_that_ignores_cancellation_does_not_hold_up_the_run_once_its_trial_is_finished_elsewhere()
    {
        var tuner = new Tuner(Study(budget: 1, bandwidth: 1), new TunerOptions { LeasePeriod = TimeSpan.FromMilliseconds(200) });
        var started = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var objective = Objective.FromAsync(async (trial, _) =>
        {
            started.TrySetResult(trial.TrialId);
            await release.Task; // deaf to the token
            return ObjectiveResult.Success(new Dictionary<string, double> { ["loss"] = 9 });
        });
        var run = tuner.OptimizeAsync(objective, workers: 1, TestContext.Current.CancellationToken);
        var id = await started.Task.WaitAsync(TestContext.Current.CancellationToken);
        tuner.Observe(id, 0.5); // another worker's result for the same trial arrives first
        try
        {
            var summary = await run.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken); // a bound on failure, not a wait
            Assert.Equal(1, summary.Progress.Completed);
        }
        finally
        {
            release.TrySetResult();
        }

        Assert.Equal(0.5, tuner.GetTrial(id).Values!["loss"]);
    }
}
