using HpcTune.Mpi.Roles;
using HpcTune.Sampling;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Tuning;

namespace HpcTune.Mpi.Tests;

public class ReadySuggestionsTests
{
    private static Tuner NewTuner(int budget = 50, int bandwidth = 8) => new(new StudyDefinition("ahead",
        [ParameterDefinition.Double("x", 0, 1), ParameterDefinition.Double("y", 0, 1)],
        [new MetricDefinition("loss", MetricObjective.Minimize)], budget, bandwidth, algorithm: new AlgorithmSpec("random", 5)));

    /// <summary>The queue fills on a background task; wait for it, bounded.</summary>
    private static void WaitUntilQueued(ReadySuggestions ready, int atLeast = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (ready.Queued < atLeast)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("no suggestion was prepared within 30 s");
            }

            Thread.Sleep(5);
        }
    }

    [Fact]
    public void Prepared_suggestions_become_trials_and_differ_from_the_open_ones()
    {
        var tuner = NewTuner();
        using var ready = new ReadySuggestions(tuner, capacity: 3);
        var issued = new List<Assignment>();
        for (var i = 0; i < 6; i++)
        {
            WaitUntilQueued(ready);
            var outcome = ready.Suggest($"w{i}");
            Assert.Equal(SuggestStatus.Issued, outcome.Status);
            Assert.Equal(i + 1, ready.Served);
            issued.Add(outcome.Trial!.Assignment);
        }

        Assert.Equal(issued.Count, issued.Distinct().Count());
        Assert.Equal(6, tuner.OpenSuggestions().Count);
    }

    /// <summary>
    /// CI once caught the master repeating a point: a prepared assignment taken from the queue before its trial was
    /// committed was in neither the queue nor the snapshot the next one was computed from, and the random sampler
    /// (seeded by the trial count) gave the same point again. Taking now happens under the tuner's lock.
    /// </summary>
    [Fact]
    public void Suggestions_taken_as_fast_as_they_are_prepared_never_repeat()
    {
        const int count = 300;
        var tuner = NewTuner(budget: count, bandwidth: count);
        using var ready = new ReadySuggestions(tuner, capacity: 2);
        var issued = new List<Assignment>();
        for (var i = 0; i < count; i++)
        {
            var outcome = ready.Suggest($"w{i}");
            Assert.Equal(SuggestStatus.Issued, outcome.Status);
            issued.Add(outcome.Trial!.Assignment);
        }

        Assert.Equal(count, issued.Distinct().Count());
    }

    /// <summary>A random sampler whose first suggestion waits until the test lets it go.</summary>
    private sealed class HeldFirstSampler : ISampler
    {
        private readonly RandomSampler _random = new();
        private int _calls;

        public ManualResetEventSlim Go { get; } = new();

        public string Name => "held-first";

        public Assignment Suggest(StudyView view)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                Go.Wait(TimeSpan.FromSeconds(30));
            }

            return _random.Suggest(view);
        }
    }

    /// <summary>
    /// A review found the queue could stop serving for good: an item computed while a trial was made on the spot
    /// was dropped, but every item computed after it, counting it as pending, was dropped too.
    /// </summary>
    [Fact]
    public void After_a_trial_computed_on_the_spot_later_prepared_ones_are_served_again()
    {
        var tuner = NewTuner();
        var sampler = new HeldFirstSampler();
        using var ready = new ReadySuggestions(tuner, capacity: 3, sampler);
        var first = ready.Suggest("w0"); // nothing prepared yet: the tuner's own sampler
        Assert.Equal(SuggestStatus.Issued, first.Status);
        Assert.Equal(0, ready.Served);

        sampler.Go.Set(); // the held item, blind to trial 1, and then items that saw it
        WaitUntilQueued(ready, atLeast: 3);
        var second = ready.Suggest("w1");
        Assert.Equal(SuggestStatus.Issued, second.Status);
        Assert.Equal(1, ready.Served);
        Assert.NotEqual(first.Trial!.Assignment, second.Trial!.Assignment);
    }

    /// <summary>A trial created past the queue (the tuner's own <c>Suggest</c>) makes every item prepared before it invalid.</summary>
    [Fact]
    public void Items_prepared_before_a_trial_created_past_the_queue_are_not_served()
    {
        var tuner = NewTuner();
        using var ready = new ReadySuggestions(tuner, capacity: 2);
        WaitUntilQueued(ready, atLeast: 2); // full: both prepared before the trial below
        Assert.Equal(SuggestStatus.Issued, tuner.Suggest("direct").Status);
        Assert.Equal(SuggestStatus.Issued, ready.Suggest("w").Status);
        Assert.Equal(0, ready.Served);
    }

    [Fact]
    public void After_many_new_results_the_queue_still_serves_valid_suggestions()
    {
        var tuner = NewTuner();
        using var ready = new ReadySuggestions(tuner, capacity: 2);
        WaitUntilQueued(ready, atLeast: 2); // full: nothing more is prepared until one is taken
        for (var i = 0; i < 5; i++)
        {
            var trial = tuner.Suggest($"w{i}").Trial!;
            tuner.Observe(trial.Id, i);
        }

        // The two items prepared before these 5 results are stale (capacity 2): dropped, and this one computed on the spot.
        var first = ready.Suggest("late-1");
        Assert.Equal(SuggestStatus.Issued, first.Status);
        Assert.Equal(0, ready.Served);

        WaitUntilQueued(ready); // refilled from the 5 results
        var second = ready.Suggest("late-2");
        Assert.Equal(SuggestStatus.Issued, second.Status);
        Assert.Equal(1, ready.Served);
        Assert.NotEqual(first.Trial!.Assignment, second.Trial!.Assignment);
    }
}
