using System.Diagnostics;
using HpcTune.Sampling;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Tuning;

namespace HpcTune.Tests.Tuning;

/// <summary>
/// New trials come from one suggestion source: computed outside the study's lock, shared by the requests that arrive
/// together, kept only while the study has not moved past them, and computed ahead on request.
/// </summary>
public class SuggestionSourceTests
{
    private static StudyDefinition Study(int budget = 50, int bandwidth = 8) =>
        new("source", [ParameterDefinition.Double("x", 0, 1), ParameterDefinition.Double("y", 0, 1)], [new MetricDefinition("loss", MetricObjective.Minimize)], budget, bandwidth, algorithm: new AlgorithmSpec("sobol", 1));

    /// <summary>Sobol points; records each call's count; optionally blocks until released, or costs a few milliseconds.</summary>
    private sealed class RecordingSampler : ISampler
    {
        private readonly SobolSampler _sobol = new();
        private readonly List<int> _counts = [];

        public TaskCompletionSource? Gate { get; set; }

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TimeSpan Cost { get; init; }

        /// <summary>Calls from this one on (1-based) throw.</summary>
        public int FailFrom { get; init; } = int.MaxValue;

        public string Name => "recording";

        public IReadOnlyList<int> Counts
        {
            get
            {
                lock (_counts)
                {
                    return [.. _counts];
                }
            }
        }

        public IReadOnlyList<Assignment> Suggest(StudySnapshot snapshot, int count, CancellationToken cancellation)
        {
            lock (_counts)
            {
                _counts.Add(count);
            }

            Entered.TrySetResult();
            if (Counts.Count >= FailFrom)
            {
                throw new InvalidOperationException("the model could not be built");
            }

            if (Gate is { } gate && !gate.Task.Wait(TimeSpan.FromSeconds(30), cancellation))
            {
                throw new TimeoutException("the test never opened the gate"); // a hang guard, not a synchronization
            }

            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < Cost)
            {
                // The cost of a model-based suggestion, which decides whether computing ahead is worth it.
            }

            return _sobol.Suggest(snapshot, count, cancellation);
        }
    }

    [Fact]
    public void Workers_asking_together_get_their_new_trials_from_one_batch()
    {
        var sampler = new RecordingSampler();
        var tuner = new Tuner(Study(), new TunerOptions { Sampler = sampler });
        var outcomes = tuner.Suggest(["a", "b", "c"]);
        Assert.All(outcomes, o => Assert.Equal(SuggestStatus.Issued, o.Status));
        Assert.Equal([1L, 2L, 3L], outcomes.Select(o => o.Trial!.Id));
        Assert.Equal(["a", "b", "c"], outcomes.Select(o => o.Trial!.Worker));
        Assert.Equal([3], sampler.Counts);
        Assert.Equal(3, tuner.Trials.Select(t => t.Assignment).Distinct().Count());
    }

    [Fact]
    public async Task Results_are_recorded_while_a_suggestion_is_being_computed()
    {
        var sampler = new RecordingSampler();
        var tuner = new Tuner(Study(), new TunerOptions { Sampler = sampler });
        var first = tuner.Suggest("a").Trial!;
        sampler.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var asking = Task.Run(() => tuner.Suggest("b"), TestContext.Current.CancellationToken);
        while (sampler.Counts.Count < 2)
        {
            await Task.Yield(); // until the second suggestion is being computed
        }

        // The sampler holds the suggestion: recording a result must not wait for it (it used to, under the tuner's lock).
        var observed = Task.Run(() => tuner.Observe(first.Id, 0.5), TestContext.Current.CancellationToken);
        await observed.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.False(asking.IsCompleted);
        Assert.Equal(1, tuner.Progress.Completed);
        sampler.Gate.SetResult();
        var second = await asking.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(2, second.Trial!.Id);
        Assert.NotEqual(first.Assignment, second.Trial.Assignment);
    }

    [Fact]
    public async Task Requests_that_arrive_while_a_suggestion_is_computed_share_the_next_batch()
    {
        var sampler = new RecordingSampler { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var tuner = new Tuner(Study(), new TunerOptions { Sampler = sampler });
        var a = Task.Run(() => tuner.Suggest("a"), TestContext.Current.CancellationToken);
        await sampler.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var b = Task.Run(() => tuner.Suggest("b"), TestContext.Current.CancellationToken);
        var c = Task.Run(() => tuner.Suggest("c"), TestContext.Current.CancellationToken);
        while (tuner.SuggestionsAwaited < 3)
        {
            await Task.Yield(); // until b and c wait for a's computation (a counts too, until it has its trial)
        }

        sampler.Gate.SetResult();
        var outcomes = await Task.WhenAll(a, b, c).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal([1L, 2L, 3L], outcomes.Select(o => o.Trial!.Id).Order());
        Assert.Equal([1, 2], sampler.Counts); // a's own, then one batch for b and c
        Assert.Equal(3, tuner.Trials.Select(t => t.Assignment).Distinct().Count());
    }

    [Fact]
    public void Suggestions_computed_ahead_are_served_and_never_repeat_a_point()
    {
        var sampler = new RecordingSampler { Cost = TimeSpan.FromMilliseconds(3) };
        var tuner = new Tuner(Study(budget: 12, bandwidth: 1), new TunerOptions { Sampler = sampler, SuggestAhead = 2 });
        for (var i = 0; i < 12; i++)
        {
            var trial = tuner.Suggest("w").Trial!;
            tuner.Observe(trial.Id, i);
        }

        Assert.Equal(StudyStatus.Completed, tuner.Progress.Status);
        Assert.Equal(12, tuner.Trials.Select(t => t.Assignment).Distinct().Count());
        Assert.InRange(tuner.SuggestionsServedAhead, 1, 11); // the first is computed when asked: nothing says yet that it costs enough
        Assert.Equal(1, sampler.Counts[0]);
    }

    [Fact]
    public void A_sampler_that_throws_while_computing_ahead_falls_back_and_the_study_completes()
    {
        var sampler = new RecordingSampler { Cost = TimeSpan.FromMilliseconds(3), FailFrom = 2 }; // the first ahead computation throws
        var tuner = new Tuner(Study(budget: 8, bandwidth: 1), new TunerOptions { Sampler = sampler, SuggestAhead = 2 });
        for (var i = 0; i < 8; i++)
        {
            var outcome = tuner.Suggest("w");
            Assert.Equal(SuggestStatus.Issued, outcome.Status);
            tuner.Observe(outcome.Trial!.Id, i);
        }

        Assert.Equal(StudyStatus.Completed, tuner.Progress.Status);
        Assert.Equal(8, tuner.Trials.Select(t => t.Assignment).Distinct().Count());
        Assert.True(sampler.Counts.Count >= 8, "the sampler is asked again after it failed"); // each computation since fell back, none ahead
    }

    [Fact]
    public void Cheap_suggestions_are_never_computed_ahead()
    {
        var sampler = new RecordingSampler();
        var tuner = new Tuner(Study(budget: 6, bandwidth: 1), new TunerOptions { Sampler = sampler, SuggestAhead = 4 });
        for (var i = 0; i < 6; i++)
        {
            tuner.Observe(tuner.Suggest("w").Trial!.Id, i);
        }

        Assert.Equal(0, tuner.SuggestionsServedAhead);
        Assert.Equal(Enumerable.Repeat(1, 6), sampler.Counts);
    }

    [Fact]
    public void A_suggestion_whose_journal_write_failed_is_not_handed_out_twice()
    {
        var sink = new FailingOnceSink();
        var tuner = new Tuner(Study(), new TunerOptions { Sink = sink });
        Assert.Equal(SuggestStatus.Issued, tuner.Suggest("a").Status);
        sink.FailNext = true;
        Assert.Throws<IOException>(() => tuner.Suggest("b"));
        Assert.Equal(SuggestStatus.Issued, tuner.Suggest("b").Status);
        Assert.Equal(SuggestStatus.Issued, tuner.Suggest("c").Status);
        Assert.Equal([1L, 2L, 3L], tuner.Trials.Select(t => t.Id));
        Assert.Equal(3, tuner.Trials.Select(t => t.Assignment).Distinct().Count());
    }

    private sealed class FailingOnceSink : IStudyEventSink
    {
        public bool FailNext { get; set; }

        public void Append(StudyEvent studyEvent)
        {
            if (FailNext)
            {
                FailNext = false;
                throw new IOException("disk full");
            }
        }
    }
}
