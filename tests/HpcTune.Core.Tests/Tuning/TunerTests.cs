using HpcTune.Objectives;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;
using HpcTune.Tuning;
using HpcTune.Values;

namespace HpcTune.Tests.Tuning;

public class TunerTests
{
    private static StudyDefinition Study(int budget = 5, int bandwidth = 2, int? maxFailures = null) =>
        new("t", [ParameterDefinition.Double("x", 0, 1)],
            [new MetricDefinition("loss", MetricObjective.Minimize), new MetricDefinition("mem", MetricObjective.Minimize, MetricStrategy.Store)],
            budget, bandwidth, maxFailures, new AlgorithmSpec("sobol", 1));

    private static Trial Issue(Tuner tuner, string worker)
    {
        var outcome = tuner.Suggest(worker);
        Assert.Equal(SuggestStatus.Issued, outcome.Status);
        return outcome.Trial!;
    }

    [Fact]
    public void A_worker_asking_again_gets_its_own_open_trial_back()
    {
        var tuner = new Tuner(Study());
        var first = Issue(tuner, "a");
        Assert.Equal(first.Id, Issue(tuner, "a").Id);
        Assert.Single(tuner.OpenSuggestions());
    }

    [Fact]
    public void No_more_than_parallel_bandwidth_are_open()
    {
        var tuner = new Tuner(Study(bandwidth: 2));
        Issue(tuner, "a");
        Issue(tuner, "b");
        var outcome = tuner.Suggest("c");
        Assert.Equal(SuggestStatus.Wait, outcome.Status);
        Assert.Contains("parallel bandwidth is 2", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_suggestions_never_push_completed_past_the_budget()
    {
        var tuner = new Tuner(Study(budget: 3, bandwidth: 10));
        var trials = new[] { Issue(tuner, "a"), Issue(tuner, "b"), Issue(tuner, "c") };
        Assert.Equal(SuggestStatus.Wait, tuner.Suggest("d").Status);
        tuner.Fail(trials[0].Id, "boom");
        var replacement = Issue(tuner, "d"); // a failure frees its slot
        foreach (var t in new[] { trials[1], trials[2], replacement })
        {
            tuner.Observe(t.Id, 0.5);
        }

        Assert.Equal(SuggestStatus.Finished, tuner.Suggest("e").Status);
        Assert.Equal(new StudyProgress(3, 1, 0, 0, 3, StudyStatus.Completed), tuner.Progress);
    }

    [Fact]
    public void A_released_trial_is_handed_out_again_before_any_new_one()
    {
        var tuner = new Tuner(Study());
        var t1 = Issue(tuner, "a");
        var t2 = Issue(tuner, "b");
        tuner.Release(t1.Id);
        Assert.Equal(TrialState.Interrupted, tuner.GetTrial(t1.Id).State);
        var again = Issue(tuner, "c");
        Assert.Equal(t1.Id, again.Id);
        Assert.Equal(t1.Assignment, again.Assignment);
        Assert.Equal(("c", 2), (again.Worker, again.Attempts));
        Assert.NotEqual(t2.Id, again.Id);
    }

    [Fact]
    public void Observing_records_values_metadata_and_the_best_trial()
    {
        var tuner = new Tuner(Study());
        var a = Issue(tuner, "a");
        var b = Issue(tuner, "b");
        tuner.Observe(a.Id, new Dictionary<string, double> { ["loss"] = 2, ["mem"] = 10 }, new Dictionary<string, Scalar> { ["host"] = "n1", ["gpu"] = 0 });
        tuner.Observe(b.Id, 1.0);
        var recorded = tuner.GetTrial(a.Id);
        Assert.Equal(TrialState.Completed, recorded.State);
        Assert.Equal(10, recorded.Values!["mem"]);
        Assert.Equal("n1", recorded.Metadata["host"].Text);
        Assert.Equal(0, recorded.Metadata["gpu"].Number);
        Assert.NotNull(recorded.FinishedAt);
        Assert.Equal(b.Id, tuner.Best!.Id);
    }

    [Fact]
    public void Observing_an_unknown_trial_names_it()
    {
        var e = Assert.Throws<TrialStateException>(() => new Tuner(Study()).Observe(42, 1.0));
        Assert.Equal(42, e.TrialId);
        Assert.Contains("trial 42", e.Message, StringComparison.Ordinal);
        Assert.Contains("no such trial", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("observe")]
    [InlineData("fail")]
    [InlineData("release")]
    public void Acting_on_a_closed_trial_names_it_and_its_state_and_changes_nothing(string verb)
    {
        var tuner = new Tuner(Study());
        var t = Issue(tuner, "a");
        tuner.Observe(t.Id, 1.0);
        Action act = verb switch
        {
            "observe" => () => tuner.Observe(t.Id, 0.0),
            "fail" => () => tuner.Fail(t.Id, "late"),
            _ => () => tuner.Release(t.Id),
        };
        var e = Assert.Throws<TrialStateException>(act);
        Assert.Contains($"trial {t.Id}: it is Completed", e.Message, StringComparison.Ordinal);
        Assert.Equal(1.0, tuner.GetTrial(t.Id).Values!["loss"]);
        Assert.Equal(1, tuner.Progress.Completed);
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void Non_finite_values_are_rejected_and_the_trial_stays_open(double value, string shown)
    {
        var tuner = new Tuner(Study());
        var t = Issue(tuner, "a");
        var e = Assert.Throws<ArgumentException>(() => tuner.Observe(t.Id, value));
        Assert.Contains($"trial {t.Id}: metric 'loss' is {shown}", e.Message, StringComparison.Ordinal);
        Assert.Equal(TrialState.Open, tuner.GetTrial(t.Id).State);
    }

    [Fact]
    public void A_missing_objective_or_an_unknown_metric_is_rejected()
    {
        var tuner = new Tuner(Study());
        var t = Issue(tuner, "a");
        var e = Assert.Throws<ArgumentException>(() => tuner.Observe(t.Id, new Dictionary<string, double> { ["mem"] = 1 }));
        Assert.Contains("objective metric 'loss' is missing", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => tuner.Observe(t.Id, new Dictionary<string, double> { ["loss"] = 1, ["acc"] = 2 }));
        Assert.Contains("'acc' is not a metric of this study", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Max_failures_breaks_the_study()
    {
        var tuner = new Tuner(Study(budget: 10, bandwidth: 1, maxFailures: 2));
        tuner.Fail(Issue(tuner, "a").Id, "one");
        Assert.Equal(StudyStatus.Running, tuner.Progress.Status);
        tuner.Fail(Issue(tuner, "a").Id, "two");
        var outcome = tuner.Suggest("a");
        Assert.Equal(SuggestStatus.Finished, outcome.Status);
        Assert.Contains("max_failures = 2", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(StudyStatus.Broken, tuner.Progress.Status);
    }

    [Fact]
    public void Deleted_suggestions_are_listed_no_more_and_reject_late_results()
    {
        var tuner = new Tuner(Study(bandwidth: 3));
        var a = Issue(tuner, "a");
        var b = Issue(tuner, "b");
        tuner.Release(b.Id);
        Assert.Equal([a.Id, b.Id], tuner.OpenSuggestions().Select(t => t.Id));
        Assert.Equal(2, tuner.DeleteOpen());
        Assert.Empty(tuner.OpenSuggestions());
        var e = Assert.Throws<TrialStateException>(() => tuner.Observe(a.Id, 1.0));
        Assert.Contains("it is Deleted", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, Issue(tuner, "c").Id); // a deleted trial is not handed out again
    }

    [Fact]
    public void A_late_result_for_an_interrupted_trial_is_kept()
    {
        var tuner = new Tuner(Study());
        var t = Issue(tuner, "a");
        tuner.Release(t.Id, "lease expired");
        tuner.Observe(t.Id, 0.25);
        Assert.Equal(TrialState.Completed, tuner.GetTrial(t.Id).State);
        Assert.Equal(2, Issue(tuner, "b").Id); // nothing left to re-issue
    }

    [Fact]
    public void The_budget_can_be_raised_but_not_below_what_is_completed()
    {
        var tuner = new Tuner(Study(budget: 1));
        tuner.Observe(Issue(tuner, "a").Id, 1);
        Assert.Equal(StudyStatus.Completed, tuner.Progress.Status);
        tuner.SetObservationBudget(2);
        Assert.Equal(SuggestStatus.Issued, tuner.Suggest("a").Status);
        Assert.Throws<ArgumentOutOfRangeException>(() => tuner.SetObservationBudget(0));
    }

    [Fact]
    public void A_study_without_a_seed_gets_one_recorded()
    {
        var tuner = new Tuner(new Branin().CreateStudy(5, 1, new AlgorithmSpec("random")));
        Assert.NotNull(tuner.Definition.Algorithm.Seed);
    }

    [Fact]
    public void Every_change_reaches_the_sink_before_it_is_applied()
    {
        var sink = new RecordingSink();
        var tuner = new Tuner(Study(), new TunerOptions { Sink = sink });
        var t = Issue(tuner, "a");
        tuner.Observe(t.Id, 1.0);
        Assert.Collection(sink.Events, e => Assert.IsType<TrialCreated>(e), e => Assert.IsType<TrialObserved>(e));

        sink.FailNext = true;
        Assert.Throws<IOException>(() => tuner.Suggest("b"));
        Assert.Single(tuner.Trials); // the failed write changed nothing
    }

    private sealed class RecordingSink : IStudyEventSink
    {
        public List<StudyEvent> Events { get; } = [];

        public bool FailNext { get; set; }

        public void Append(StudyEvent studyEvent)
        {
            if (FailNext)
            {
                FailNext = false;
                throw new IOException("disk full");
            }

            Events.Add(studyEvent);
        }
    }
}
