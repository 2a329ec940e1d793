using HpcTune.Objectives;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Transport;
using HpcTune.Trials;
using HpcTune.Tuning;
using HpcTune.Values;
using Microsoft.Extensions.Time.Testing;

namespace HpcTune.Tests.Transport;

/// <summary>The master's protocol that every transport drives: join, leave, requests, results, heartbeats.</summary>
public class WorkerHubTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(10);
    private static readonly WorkerId A = WorkerId.Rank(1);
    private static readonly WorkerId B = WorkerId.Rank(2);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero));

    private WorkerHub NewHub(int budget = 4, int bandwidth = 4)
    {
        var study = new StudyDefinition("hub", [ParameterDefinition.Double("x", 0, 1)], [new MetricDefinition("loss", MetricObjective.Minimize)], budget, bandwidth, null, new AlgorithmSpec("sobol", 1));
        var hub = new WorkerHub(new Tuner(study, new TunerOptions { Time = _clock, LeasePeriod = Lease }));
        hub.Join(A);
        hub.Join(B);
        return hub;
    }

    private static Trial Issue(WorkerHub hub, WorkerId worker)
    {
        var outcome = hub.Request(worker);
        Assert.Equal(SuggestStatus.Issued, outcome.Status);
        return outcome.Trial!;
    }

    private static ObjectiveResult Value(double loss) => ObjectiveResult.Success("loss", loss);

    /// <summary>A's trial loses its lease and goes to B: both now evaluate it.</summary>
    private Trial LoseToB(WorkerHub hub)
    {
        var trial = Issue(hub, A);
        _clock.Advance(Lease + TimeSpan.FromSeconds(1));
        Assert.Equal(1, hub.ExpireLeases());
        var again = Issue(hub, B);
        Assert.Equal((trial.Id, 2), (again.Id, again.Attempts));
        return trial;
    }

    [Fact]
    public void A_worker_that_asks_again_gets_its_own_trial_back_and_another_slot_gets_a_new_one()
    {
        var hub = NewHub();
        var first = Issue(hub, A);
        Assert.Equal(first.Id, Issue(hub, A).Id);
        Assert.NotEqual(first.Id, Issue(hub, A.WithSlot(1)).Id);
        Assert.Equal(["rank-1", "rank-1.1"], hub.Tuner.Trials.Select(t => t.Worker));
    }

    [Fact]
    public void A_worker_that_has_not_joined_or_has_left_gets_no_work()
    {
        var hub = NewHub();
        var e = Assert.Throws<InvalidOperationException>(() => hub.Request(WorkerId.Rank(7)));
        Assert.Contains("rank-7 asked for work without joining", e.Message, StringComparison.Ordinal);
        hub.Leave(A, "done");
        Assert.Throws<InvalidOperationException>(() => hub.Request(A.WithSlot(1)));
    }

    [Fact]
    public void A_second_worker_with_a_taken_name_is_refused()
    {
        var hub = NewHub();
        var e = Assert.Throws<ArgumentException>(() => hub.Join(WorkerId.Named("rank-1")));
        Assert.Contains("worker name 'rank-1' is taken", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_leaving_worker_gives_back_the_trials_of_all_its_slots_and_they_go_out_before_new_ones()
    {
        var hub = NewHub();
        var one = Issue(hub, A);
        var two = Issue(hub, A.WithSlot(1));
        var kept = Issue(hub, B);

        Assert.Equal(2, hub.Leave(A.WithSlot(1), "its node went away"));

        Assert.Equal(TrialState.Interrupted, hub.Tuner.GetTrial(one.Id).State);
        Assert.Contains("rank-1.1 left: its node went away", hub.Tuner.GetTrial(two.Id).Reason, StringComparison.Ordinal);
        Assert.Equal(TrialState.Open, hub.Tuner.GetTrial(kept.Id).State);
        Assert.Equal([one.Id, two.Id], [Issue(hub, B.WithSlot(1)).Id, Issue(hub, B.WithSlot(2)).Id]);
        Assert.Equal(3, hub.Tuner.Trials.Count); // no new trial while interrupted ones waited
    }

    [Fact]
    public void A_late_result_that_comes_first_counts_and_the_other_holder_is_told_to_abandon()
    {
        var hub = NewHub();
        var trial = LoseToB(hub);

        var late = hub.Result(A, trial.Id, Value(0.5));

        Assert.True(late.Recorded);
        Assert.Equal(new AbandonOrder(B, trial.Id, $"rank-1 reported trial {trial.Id} first"), late.Abandon);
        Assert.Equal((TrialState.Completed, 0.5), (hub.Tuner.GetTrial(trial.Id).State, hub.Tuner.GetTrial(trial.Id).Values!["loss"]));
        var second = hub.Result(B, trial.Id, Value(0.25));
        Assert.False(second.Recorded);
        Assert.Equal($"cannot observe trial {trial.Id}: it is Completed", second.Problem);
    }

    [Fact]
    public void A_late_failure_is_dropped_while_another_worker_evaluates_the_trial_again()
    {
        var hub = NewHub();
        var trial = LoseToB(hub);

        var late = hub.Result(A, trial.Id, ObjectiveResult.Failure("killed by the OOM killer"));

        Assert.False(late.Recorded);
        Assert.Equal($"a late failure (killed by the OOM killer) while rank-2 evaluates the trial again", late.Problem);
        Assert.Null(late.Abandon);
        Assert.Equal(TrialState.Open, hub.Tuner.GetTrial(trial.Id).State);
        Assert.True(hub.Result(B, trial.Id, Value(0.25)).Recorded);
        Assert.Equal(0, hub.Tuner.Progress.Failed);
    }

    [Fact]
    public void A_late_failure_of_a_trial_waiting_to_go_out_again_is_dropped_and_a_late_value_counts()
    {
        var hub = NewHub();
        var failed = Issue(hub, A);
        var observed = Issue(hub, B);
        _clock.Advance(Lease + TimeSpan.FromSeconds(1));
        Assert.Equal(2, hub.ExpireLeases());

        Assert.Equal($"cannot fail trial {failed.Id}: it is Interrupted", hub.Result(A, failed.Id, ObjectiveResult.Failure("exit code 3")).Problem);
        Assert.True(hub.Result(B, observed.Id, Value(2)).Recorded);

        Assert.Equal((TrialState.Interrupted, TrialState.Completed), (hub.Tuner.GetTrial(failed.Id).State, hub.Tuner.GetTrial(observed.Id).State));
    }

    [Fact]
    public void A_worker_is_never_told_to_abandon_what_another_of_its_slots_holds()
    {
        var hub = NewHub();
        var trial = Issue(hub, A);
        _clock.Advance(Lease + TimeSpan.FromSeconds(1));
        hub.ExpireLeases();
        Assert.Equal(trial.Id, Issue(hub, A.WithSlot(1)).Id);

        var answer = hub.Result(A, trial.Id, Value(1));

        Assert.True(answer.Recorded);
        Assert.Null(answer.Abandon);
    }

    [Fact]
    public void A_heartbeat_for_a_trial_finished_elsewhere_is_answered_with_an_order_to_abandon()
    {
        var hub = NewHub();
        var trial = LoseToB(hub);
        Assert.Null(hub.Heartbeat(B, trial.Id)); // renewed: it is B's
        Assert.Null(hub.Heartbeat(A, trial.Id)); // reassigned: A may still finish first
        hub.Result(B, trial.Id, Value(1));

        Assert.Equal(new AbandonOrder(A, trial.Id, $"trial {trial.Id} is already completed"), hub.Heartbeat(A, trial.Id));
        Assert.Throws<TrialStateException>(() => hub.Heartbeat(A, 99));
    }

    [Fact]
    public void A_workers_labels_join_the_metadata_of_its_results_failures_included()
    {
        var hub = NewHub();
        hub.Join(A, new Dictionary<string, Scalar> { ["hostname"] = "node-7", ["rank"] = 1 });
        var done = Issue(hub, A);
        var failed = Issue(hub, A.WithSlot(1));

        hub.Result(A, done.Id, ObjectiveResult.Success("loss", 1, new Dictionary<string, Scalar> { ["gpu"] = "a100", ["rank"] = 9 }));
        hub.Result(A.WithSlot(1), failed.Id, ObjectiveResult.Failure("exit 1"));

        var metadata = hub.Tuner.GetTrial(done.Id).Metadata;
        Assert.Equal(("node-7", 1.0, "a100"), (metadata["hostname"].Text, metadata["rank"].Number, metadata["gpu"].Text));
        Assert.Equal("node-7", hub.Tuner.GetTrial(failed.Id).Metadata["hostname"].Text);
    }

    [Fact]
    public void After_a_stop_request_workers_are_told_to_stop_and_results_in_flight_still_count()
    {
        var hub = NewHub();
        var trial = Issue(hub, A);

        hub.StopHandingOut("the walltime is near");

        Assert.Equal((SuggestStatus.Finished, "the walltime is near"), (hub.Request(B).Status, hub.Request(B).Reason));
        Assert.True(hub.Result(A, trial.Id, Value(1)).Recorded);
        Assert.Equal(1, hub.Tuner.Progress.Completed);
    }

    [Fact]
    public void Many_workers_at_once_meet_the_budget_exactly()
    {
        var hub = NewHub(budget: 200, bandwidth: 8);
        Parallel.For(0, 8, i =>
        {
            var worker = WorkerId.Thread(i + 1);
            hub.Join(worker);
            while (true)
            {
                var changed = hub.WaitForChangeAsync(); // before asking, so no change between the two is missed
                var outcome = hub.Request(worker);
                if (outcome.Status == SuggestStatus.Finished)
                {
                    break;
                }

                if (outcome.Trial is { } trial)
                {
                    hub.Result(worker, trial.Id, Value(trial.Id));
                }
                else
                {
                    changed.Wait(TestContext.Current.CancellationToken);
                }
            }
        });

        Assert.Equal((200, 200, StudyStatus.Completed), (hub.Tuner.Progress.Completed, hub.Tuner.Trials.Count, hub.Tuner.Progress.Status));
    }
}
