using HpcTune.Objectives;
using HpcTune.Sampling;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Tuning;
using Microsoft.Extensions.Logging;

namespace HpcTune.Tests.Tuning;

/// <summary>A sampler that throws or blocks never ends a study, and never keeps a stop from being heard (issue 23, item 9).</summary>
public class SamplerFailureTests
{
    private static StudyDefinition Study(int budget, int bandwidth = 2, int? maxFailures = null) =>
        new("s", [ParameterDefinition.Double("x", 0, 1), ParameterDefinition.Double("y", 0, 1)], [new MetricDefinition("loss", MetricObjective.Minimize)],
            budget, bandwidth, maxFailures, new AlgorithmSpec("sobol", 7));

    private static readonly IObjective Square = Objective.FromFunction("loss", a => a.GetDouble("x") * a.GetDouble("y"));

    [Fact]
    public async Task A_sampler_that_throws_is_logged_and_every_suggestion_falls_back_to_sobol()
    {
        var logger = new RecordingLogger();
        var tuner = new Tuner(Study(12), new TunerOptions { Sampler = new ThrowingSampler(), Logger = logger });
        var summary = await tuner.OptimizeAsync(Square, workers: 2, TestContext.Current.CancellationToken);
        Assert.Equal(StudyStatus.Completed, summary.Progress.Status);
        Assert.Equal(12, summary.Progress.Completed);
        Assert.Equal(12, tuner.Trials.Select(t => t.Assignment).Distinct().Count()); // Sobol points, none repeated
        var warnings = logger.Entries.Where(e => e.Exception is InvalidOperationException).ToList();
        Assert.Equal(12, warnings.Count);
        Assert.All(warnings, w => Assert.Contains("throwing", w.Message, StringComparison.Ordinal));
        Assert.All(warnings, w => Assert.Contains("sobol", w.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void A_sampler_that_fails_later_falls_back_for_that_suggestion_only()
    {
        var sampler = new ThrowingSampler { FailFrom = 3 }; // suggestions 1, 2 succeed, the third and later throw
        var tuner = new Tuner(Study(6, bandwidth: 6), new TunerOptions { Sampler = sampler, Logger = new RecordingLogger() });
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(SuggestStatus.Issued, tuner.Suggest($"w{i}").Status);
        }

        Assert.Equal(6, tuner.Trials.Select(t => t.Assignment).Distinct().Count());
        Assert.Equal(2, sampler.Successes);
    }

    [Fact]
    public async Task A_stop_during_a_suggestion_that_blocks_until_cancelled_ends_the_run_as_interrupted()
    {
        var sampler = new BlockingSampler();
        var tuner = new Tuner(Study(20), new TunerOptions { Sampler = sampler });
        using var stop = new GracefulStop(TimeSpan.FromMinutes(5));
        using var drain = stop.Draining.Register(() => tuner.StopHandingOut("the run was asked to stop")); // as the command line wires it
        var run = tuner.OptimizeAsync(Square, workers: 2, stop.Abandoning);
        await sampler.Entered.Task.WaitAsync(TestContext.Current.CancellationToken);
        // The signal handler's thread: it must not wait for the suggestion to end by itself.
        var request = Task.Run(stop.Request, TestContext.Current.CancellationToken);
        await request.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken); // a hang guard, not a synchronization
        var summary = await run.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(StudyStatus.Running, summary.Progress.Status); // what the command line reports as interrupted (exit 3)
        Assert.Equal(2, summary.Progress.Completed); // the two design points; nothing was made of the cancelled suggestion
        Assert.Equal(2, tuner.Trials.Count);
        Assert.Equal(SuggestStatus.Finished, tuner.Suggest("late").Status);
    }

    [Fact]
    public async Task Failures_stop_new_suggestions_at_max_failures_and_only_trials_already_out_can_add_to_them()
    {
        var journal = new EventList();
        const int bandwidth = 4;
        var started = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var objective = Objective.FromAsync(async (trial, ct) =>
        {
            if (Interlocked.Increment(ref started) == bandwidth)
            {
                release.SetResult(); // all four are out before any fails: the most that can be in flight at the threshold
            }

            await release.Task.WaitAsync(ct);
            return ObjectiveResult.Failure("boom");
        });
        var tuner = new Tuner(Study(50, bandwidth, maxFailures: 3), new TunerOptions { Sink = journal });
        var summary = await tuner.OptimizeAsync(objective, workers: bandwidth, TestContext.Current.CancellationToken);
        Assert.Equal(StudyStatus.Broken, summary.Progress.Status);
        var events = journal.Events;
        var third = events.Select((e, i) => (e, i)).Where(x => x.e is TrialFailed).Skip(2).First().i;
        Assert.DoesNotContain(events.Skip(third + 1), e => e is TrialCreated or TrialReissued); // nothing handed out after the third failure
        var openAtThird = events.Take(third + 1).Count(e => e is TrialCreated) - 3;
        Assert.Equal(3 + openAtThird, summary.Progress.Failed); // only those already out add failures (all fail here)
        Assert.InRange(summary.Progress.Failed, 3, 3 + bandwidth - 1);
    }

    private sealed class EventList : IStudyEventSink
    {
        private readonly List<StudyEvent> _events = [];

        public IReadOnlyList<StudyEvent> Events
        {
            get
            {
                lock (_events)
                {
                    return [.. _events];
                }
            }
        }

        public void Append(StudyEvent studyEvent)
        {
            lock (_events)
            {
                _events.Add(studyEvent);
            }
        }
    }

    /// <summary>Throws from its <c>FailFrom</c>-th suggestion on.</summary>
    private sealed class ThrowingSampler : ISampler
    {
        private readonly SobolSampler _sobol = new();
        private int _calls;

        public int FailFrom { get; init; } = 1;

        public int Successes { get; private set; }

        public string Name => "throwing";

        public IReadOnlyList<Assignment> Suggest(StudySnapshot snapshot, int count, CancellationToken cancellation)
        {
            if (++_calls >= FailFrom)
            {
                throw new InvalidOperationException("the model could not be built");
            }

            Successes++;
            return _sobol.Suggest(snapshot, count, cancellation);
        }
    }

    /// <summary>Two Sobol points, then a suggestion that ends only when the view's token is cancelled.</summary>
    private sealed class BlockingSampler : ISampler
    {
        private readonly SobolSampler _sobol = new();

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => "blocking";

        public IReadOnlyList<Assignment> Suggest(StudySnapshot snapshot, int count, CancellationToken cancellation)
        {
            if (snapshot.TrialsCreated < 2)
            {
                return _sobol.Suggest(snapshot, 1, cancellation);
            }

            Entered.TrySetResult();
            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30)); // a hang guard: a test that fails must not keep the host alive
            WaitHandle.WaitAny([cancellation.WaitHandle, guard.Token.WaitHandle]);
            cancellation.ThrowIfCancellationRequested();
            throw new InvalidOperationException("the suggestion was not cancelled within 30 s");
        }
    }

    private sealed class RecordingLogger : ILogger
    {
        private readonly List<(string Message, Exception? Exception)> _entries = [];

        public IReadOnlyList<(string Message, Exception? Exception)> Entries
        {
            get
            {
                lock (_entries)
                {
                    return [.. _entries];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_entries)
            {
                _entries.Add((formatter(state, exception), exception));
            }
        }
    }
}
