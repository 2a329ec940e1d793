using HpcTune.Mpi.Roles;
using HpcTune.Sampling;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Tuning;

namespace HpcTune.Mpi.Tests;

/// <summary>The MPI master's suggestion path with a sampler that throws or blocks (issue 23, item 9).</summary>
public class ReadySuggestionsFailureTests
{
    private static StudyDefinition Study(int budget) => new("ahead",
        [ParameterDefinition.Double("x", 0, 1), ParameterDefinition.Double("y", 0, 1)],
        [new MetricDefinition("loss", MetricObjective.Minimize)], budget, 4, algorithm: new AlgorithmSpec("sobol", 5));

    [Fact]
    public void A_sampler_that_throws_in_the_background_and_on_the_spot_does_not_end_the_study()
    {
        var sampler = new ThrowingSampler();
        var tuner = new Tuner(Study(10), new TunerOptions { Sampler = sampler });
        using var ready = new ReadySuggestions(tuner, capacity: 2, sampler);
        var asked = 0;
        while (ready.Suggest($"rank-{asked++}") is { Status: SuggestStatus.Issued, Trial: { } trial })
        {
            tuner.Observe(trial.Id, trial.Assignment.GetDouble("x"));
        }

        Assert.Equal(StudyStatus.Completed, tuner.Progress.Status);
        Assert.Equal(10, tuner.Trials.Select(t => t.Assignment).Distinct().Count());
    }

    [Fact]
    public void A_stop_request_ends_a_suggestion_being_prepared_in_the_background()
    {
        var sampler = new BlockingSampler();
        var tuner = new Tuner(Study(10), new TunerOptions { Sampler = new SobolSampler() });
        var ready = new ReadySuggestions(tuner, capacity: 2, sampler);
        Assert.True(sampler.Entered.Wait(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken)); // a hang guard
        tuner.StopHandingOut("the master was asked to stop");
        ready.Dispose(); // waits for the background task
        Assert.True(sampler.Cancelled);
    }

    private sealed class ThrowingSampler : ISampler
    {
        public string Name => "throwing";

        public Assignment Suggest(StudyView view) => throw new InvalidOperationException("no model");
    }

    /// <summary>Blocks until the view's token is cancelled (or, as a hang guard, 30 s).</summary>
    private sealed class BlockingSampler : ISampler
    {
        public ManualResetEventSlim Entered { get; } = new();

        public bool Cancelled { get; private set; }

        public string Name => "blocking";

        public Assignment Suggest(StudyView view)
        {
            Entered.Set();
            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            WaitHandle.WaitAny([view.Cancellation.WaitHandle, guard.Token.WaitHandle]);
            Cancelled = view.Cancellation.IsCancellationRequested;
            view.Cancellation.ThrowIfCancellationRequested();
            throw new InvalidOperationException("not cancelled within 30 s");
        }
    }
}
