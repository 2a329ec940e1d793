using HpcTune.Mpi.Roles;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Tuning;

namespace HpcTune.Mpi.Tests;

public class ReadySuggestionsTests
{
    private static Tuner NewTuner() => new(new StudyDefinition("ahead",
        [ParameterDefinition.Double("x", 0, 1), ParameterDefinition.Double("y", 0, 1)],
        [new MetricDefinition("loss", MetricObjective.Minimize)], 50, 8, algorithm: new AlgorithmSpec("random", 5)));

    /// <summary>The queue fills on a background task; wait for it, bounded.</summary>
    private static Assignment TakeEventually(ReadySuggestions ready)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (ready.TryTake() is { } assignment)
            {
                return assignment;
            }

            Thread.Sleep(5);
        }

        throw new TimeoutException("no suggestion was prepared within 30 s");
    }

    [Fact]
    public void Prepared_suggestions_become_trials_and_differ_from_the_open_ones()
    {
        var tuner = NewTuner();
        using var ready = new ReadySuggestions(tuner, capacity: 3);
        var issued = new List<Assignment>();
        for (var i = 0; i < 6; i++)
        {
            var prepared = TakeEventually(ready);
            var outcome = tuner.Suggest($"w{i}", prepared);
            Assert.Equal(SuggestStatus.Issued, outcome.Status);
            Assert.Same(prepared, outcome.Trial!.Assignment);
            issued.Add(prepared);
        }

        Assert.Equal(issued.Count, issued.Distinct().Count());
        Assert.Equal(6, tuner.OpenSuggestions().Count);
    }

    [Fact]
    public void After_many_new_results_the_queue_still_serves_valid_suggestions()
    {
        var tuner = NewTuner();
        using var ready = new ReadySuggestions(tuner, capacity: 2);
        _ = TakeEventually(ready); // the queue is running
        for (var i = 0; i < 5; i++)
        {
            var trial = tuner.Suggest($"w{i}").Trial!;
            tuner.Observe(trial.Id, i);
        }

        // Items prepared before these 5 results are stale (capacity 2) and dropped; a later one is served.
        var fresh = TakeEventually(ready);
        Assert.NotNull(fresh);
        Assert.Equal(SuggestStatus.Issued, tuner.Suggest("late", fresh).Status);
    }
}
