using HpcTune.Sampling;
using HpcTune.Space;
using HpcTune.Trials;

namespace HpcTune.Tuning;

// The tuner, part: Handing out work: the rules, new trials from the suggestion source, inserted trials.
public sealed partial class Tuner
{
    /// <summary>How many new trials got a suggestion computed ahead of their request (<see cref="TunerOptions.SuggestAhead"/>).</summary>
    public int SuggestionsServedAhead
    {
        get
        {
            lock (_lock)
            {
                return _source.ServedAhead;
            }
        }
    }

    /// <summary>
    /// Work for <paramref name="worker"/>. A worker that already holds an open trial gets that same trial back
    /// (a retried request never duplicates work); otherwise interrupted trials go out first, then new ones
    /// from the sampler, as long as the bandwidth and the budget allow. A new suggestion is computed outside the
    /// study's lock (results keep being recorded meanwhile), shared with the other workers asking at the same time.
    /// </summary>
    public SuggestOutcome Suggest(string worker) => Suggest([worker])[0];

    /// <summary>
    /// <see cref="Suggest(string)"/> for several workers at once: the new trials among them come from one batch of
    /// the sampler (<see cref="ISampler.Suggest"/> with their count), so a model shares its work between them.
    /// </summary>
    public IReadOnlyList<SuggestOutcome> Suggest(IReadOnlyList<string> workers)
    {
        ArgumentNullException.ThrowIfNull(workers);
        foreach (var worker in workers)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(worker, nameof(workers));
        }

        var outcomes = new SuggestOutcome?[workers.Count];
        var waited = 0;
        while (true)
        {
            SuggestionSource.Computation computation;
            bool mine;
            lock (_lock)
            {
                _source.DoneWaiting(waited);
                waited = 0;
                var needing = 0;
                for (var i = 0; i < workers.Count; i++)
                {
                    if (outcomes[i] is null && (outcomes[i] = TryAnswer(workers[i])) is null)
                    {
                        needing++;
                    }
                }

                if (needing == 0)
                {
                    StartAhead();
                    return [.. outcomes.Select(o => o!.Value)];
                }

                if (_source.CheapNow)
                {
                    _source.ComputeInPlace(_state, needing, _stopping.Token); // cut short by a stop: the rules answer Finished next
                    continue;
                }

                computation = _source.Join(_state, needing, out mine);
                waited = needing;
            }

            if (mine)
            {
                Run(computation);
            }
            else
            {
                computation.Done.Task.Wait(CancellationToken.None);
            }
        }
    }

    /// <summary>New trials wanted by requests waiting for a suggestion being computed (for tests).</summary>
    internal int SuggestionsAwaited
    {
        get
        {
            lock (_lock)
            {
                return _source.Waiting;
            }
        }
    }

    /// <summary>The answer for <paramref name="worker"/> now, or null when it needs a new suggestion that is not ready yet.</summary>
    private SuggestOutcome? TryAnswer(string worker)
    {
        var decision = SuggestionRules.Decide(_state, worker, _stopReason);
        if (decision.Outcome is { } answer)
        {
            return answer;
        }

        var now = _time.GetUtcNow();
        if (!decision.IsNewTrial)
        {
            Commit(new TrialReissued(decision.ReissueId, worker, now));
            return new SuggestOutcome(SuggestStatus.Issued, _state.Find(decision.ReissueId), null);
        }

        if (_source.Sampler is Scheduling.IPlanningSampler planner)
        {
            return Plan(planner, worker, now);
        }

        if (_source.TakeReady(_state) is not { } assignment)
        {
            return null;
        }

        var created = new TrialCreated(_state.Trials.Count + 1, assignment, worker, now);
        Commit(created);
        return new SuggestOutcome(SuggestStatus.Issued, _state.Find(created.TrialId), null);
    }

    /// <summary>
    /// A planning sampler's next trial, made under the lock (planning is cheap): Wait while it has none to give now,
    /// Finished once it never will and nothing is open or interrupted any more.
    /// </summary>
    private SuggestOutcome Plan(Scheduling.IPlanningSampler planner, string worker, DateTimeOffset now)
    {
        var snapshot = _state.Snapshot();
        if (planner.Plan(snapshot) is not { } plan)
        {
            return planner.Exhausted(snapshot)
                ? new SuggestOutcome(SuggestStatus.Finished, null, $"the {planner.Name} algorithm has handed out its last trial")
                : new SuggestOutcome(SuggestStatus.Wait, null, $"the {planner.Name} algorithm waits for results before its next trial");
        }

        var created = new TrialCreated(_state.Trials.Count + 1, plan.Assignment, worker, now, plan.Lineage);
        Commit(created);
        return new SuggestOutcome(SuggestStatus.Issued, _state.Find(created.TrialId), null);
    }

    /// <summary>Runs a computation outside the lock and makes its suggestions ready; wakes whoever waits for it.</summary>
    private void Run(SuggestionSource.Computation computation)
    {
        IReadOnlyList<Assignment>? made = null;
        try
        {
            made = _source.Compute(computation, _stopping.Token);
        }
        finally
        {
            lock (_lock)
            {
                _source.Finish(computation, made); // those waiting for it wake on Done; nothing else changed
            }

            computation.Done.TrySetResult();
        }
    }

    /// <summary>Starts a background computation of suggestions ahead of requests when one is wanted (under the lock).</summary>
    private void StartAhead()
    {
        if (_source.Ahead(_state, _stopReason is not null) is { } computation)
        {
            // A thread of its own: callers waiting for it block pool threads (a server's request threads), and a
            // computation queued behind them on the pool would wait for the pool to grow.
            _ = Task.Factory.StartNew(() => Run(computation), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Adds a trial of the user's: with <paramref name="values"/>, a completed observation (made elsewhere, say); without,
    /// a trial to evaluate, handed out before any new suggestion. The assignment must be a point of the space and new to
    /// the study, and the budget must have room for it.
    /// </summary>
    /// <exception cref="ArgumentException">A parameter is missing, unknown, out of bounds, off its grid or not a listed category, or the values are not an observation of the study.</exception>
    /// <exception cref="DuplicateTrialException">A trial that is not deleted has the same assignment.</exception>
    /// <exception cref="InvalidOperationException">The budget has no room for another trial.</exception>
    public Trial Insert(Assignment assignment, IReadOnlyDictionary<string, double>? values = null)
    {
        lock (_lock)
        {
            var inserted = TrialInsertion.Prepare(_state, assignment, values, _time.GetUtcNow());
            Commit(inserted);
            return _state.Find(inserted.TrialId)!;
        }
    }
}
