using HpcTune.Objectives;
using HpcTune.Study;
using HpcTune.Tuning;

namespace HpcTune.Tests.Tuning;

public class TunerConcurrencyTests
{
    [Fact]
    public void Sixteen_threads_racing_meet_the_budget_exactly_without_duplicates_or_overload()
    {
        const int budget = 2500, bandwidth = 8, threads = 16;
        var sink = new InvariantSink(bandwidth);
        var tuner = new Tuner(new Hartmann6().CreateStudy(budget, bandwidth, new AlgorithmSpec("random", 99)), new TunerOptions { Sink = sink });
        var handedOut = new System.Collections.Concurrent.ConcurrentDictionary<long, string>();
        using var start = new Barrier(threads);
        var errors = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        using var allHolding = new ManualResetEventSlim();
        var firstHolders = 0;
        var workers = Enumerable.Range(0, threads).Select(w => new Thread(() =>
        {
            try
            {
                var name = $"w{w}";
                var random = new Random(w);
                start.SignalAndWait();
                while (true)
                {
                    var changed = tuner.WaitForChangeAsync();
                    var outcome = tuner.Suggest(name);
                    if (outcome.Status == SuggestStatus.Finished)
                    {
                        return;
                    }

                    if (outcome.Status == SuggestStatus.Wait)
                    {
                        changed.Wait();
                        continue;
                    }

                    var trial = outcome.Trial!;
                    var holder = Interlocked.Increment(ref firstHolders);
                    if (holder <= bandwidth)
                    {
                        // The first `bandwidth` trials are held until all are out, so the limit is reached for sure.
                        if (holder == bandwidth)
                        {
                            allHolding.Set();
                        }

                        allHolding.Wait();
                    }

                    Assert.True(handedOut.TryAdd(trial.Id, name), $"trial {trial.Id} was handed to {name} and to {handedOut.GetValueOrDefault(trial.Id)}");
                    switch (random.Next(20))
                    {
                        case 0:
                            tuner.Fail(trial.Id, "injected failure");
                            break;
                        case 1:
                            handedOut.TryRemove(trial.Id, out _); // before the release: another thread may take it at once
                            tuner.Release(trial.Id);
                            break;
                        default:
                            tuner.Observe(trial.Id, random.NextDouble());
                            break;
                    }
                }
            }
            catch (Exception e)
            {
                errors.Enqueue(e); // an assertion on a raw thread would kill the test host
                tuner.DeleteOpen(); // so that the other threads are not left waiting for this one
            }
        })).ToList();
        workers.ForEach(t => t.Start());
        workers.ForEach(t => t.Join());
        Assert.Empty(errors);

        var trials = tuner.Trials;
        Assert.Equal(budget, trials.Count(t => t.State == HpcTune.Trials.TrialState.Completed));
        Assert.Equal(trials.Count, trials.Select(t => t.Id).Distinct().Count());
        Assert.Equal(StudyStatus.Completed, tuner.Progress.Status);
        Assert.Equal(0, tuner.Progress.Open);
        Assert.True(sink.MaxOpen <= bandwidth, $"{sink.MaxOpen} suggestions were open at once");
        Assert.Equal(bandwidth, sink.MaxOpen);
        Assert.True(trials.Any(t => t.Attempts > 1), "some released trials were re-issued");
    }

    /// <summary>Runs under the tuner's lock, so it sees every intermediate state.</summary>
    private sealed class InvariantSink(int bandwidth) : IStudyEventSink
    {
        private int _open;

        public int MaxOpen { get; private set; }

        public void Append(StudyEvent studyEvent)
        {
            _open += studyEvent switch
            {
                TrialCreated or TrialReissued => 1,
                _ => -1,
            };
            MaxOpen = Math.Max(MaxOpen, _open);
            Assert.InRange(_open, 0, bandwidth);
        }
    }
}
