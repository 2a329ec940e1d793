using HpcTune.Sampling;
using HpcTune.Space;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Mpi.Roles;

/// <summary>
/// Keeps a few suggestions ready so a rank that asks is answered without waiting for a model fit or an acquisition
/// search. A background task takes a snapshot of the study, adds the suggestions already queued as pending points,
/// and fills the queue from one series of its own sampler (<see cref="ISampler.SuggestSeries"/>); a new trial gets
/// the oldest one that is still valid and the others are dropped. It never touches MPI (the master's thread owns that).
/// </summary>
/// <remarks>
/// A prepared assignment is served only to the trial it was computed for: every trial created after its snapshot is
/// one of the queued assignments it counted as pending, and there were exactly as many, so its view of the study
/// was the true one. A trial computed on the spot by the tuner's own sampler, or created past this class, makes the
/// items prepared before it invalid (they could coincide with it), and so does a dropped item for those that
/// counted it (samplers that index their points by the trial count would give a later trial the same point).
/// Stale items (more than <c>capacity</c> results since their snapshot) are dropped too. An item already invalid
/// when it is ready is not queued, so the queue does not keep invalidating what comes after it. Prepared assignments
/// leave the queue only inside <see cref="Tuner.Suggest(string, Func{long, Assignment?}?)"/>, under the tuner's lock,
/// and become trials there; the background task reads the queue before it takes its snapshot, so each assignment is
/// in one or the other.
/// </remarks>
internal sealed class ReadySuggestions : IDisposable
{
    private readonly Tuner _tuner;
    private readonly ISampler _sampler;
    private readonly int _capacity;
    private readonly Queue<Prepared> _queue = new();
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop;
    private readonly SemaphoreSlim _taken = new(0);
    private readonly Task _worker;
    private int _served;
    private bool _samplerFailed;

    /// <summary>
    /// Starts the background task for <paramref name="tuner"/>'s study, computing with <paramref name="sampler"/>
    /// (by default a new one of the kind the study names).
    /// </summary>
    public ReadySuggestions(Tuner tuner, int capacity = 4, ISampler? sampler = null)
    {
        _tuner = tuner ?? throw new ArgumentNullException(nameof(tuner));
        _sampler = sampler ?? SamplerFactory.Create(tuner.Definition);
        _capacity = Math.Max(1, capacity);
        _stop = CancellationTokenSource.CreateLinkedTokenSource(tuner.Stopping); // a stop request ends a suggestion in progress
        _worker = Task.Run(FillAsync);
    }

    /// <summary>
    /// <see cref="Tuner.Suggest(string)"/> for <paramref name="worker"/>, a new trial getting a prepared assignment
    /// when a fresh one is queued (otherwise the tuner asks its sampler).
    /// </summary>
    public SuggestOutcome Suggest(string worker) => _tuner.Suggest(worker, TryTake);

    /// <summary>Prepared assignments waiting now (stale ones included until a new trial meets them).</summary>
    public int Queued
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>How many new trials got a prepared assignment (the rest were computed on the spot).</summary>
    public int Served => Volatile.Read(ref _served);

    private Assignment? TryTake(long trialId)
    {
        var completed = _tuner.Progress.Completed;
        lock (_gate)
        {
            while (_queue.Count > 0)
            {
                var prepared = _queue.Dequeue();
                _taken.Release();
                if (completed - prepared.Completed <= _capacity && prepared.TrialId == trialId && SawEveryTrialBefore(prepared, trialId, _tuner.GetTrial))
                {
                    _served++;
                    return prepared.Assignment;
                }
            }

            return null; // the tuner's sampler computes this one
        }
    }

    /// <summary>Whether every trial after the item's snapshot and before <paramref name="trialId"/> is one it counted as pending.</summary>
    private static bool SawEveryTrialBefore(Prepared prepared, long trialId, Func<long, Trial> trial)
    {
        for (var id = prepared.KnownTrials + 1; id < trialId; id++)
        {
            var assignment = trial(id).Assignment;
            if (!prepared.Ahead.Any(a => ReferenceEquals(a, assignment)))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _stop.Cancel();
        _taken.Release();
        try
        {
            _worker.Wait(TimeSpan.FromSeconds(30));
        }
        catch (AggregateException)
        {
            // A failed background suggestion only means the master computes its own.
        }

        _stop.Dispose();
        _taken.Dispose();
    }

    private async Task FillAsync()
    {
        while (!_stop.IsCancellationRequested && !_samplerFailed)
        {
            if (Full() || _tuner.Progress.Status != StudyStatus.Running)
            {
                try
                {
                    await _taken.WaitAsync(TimeSpan.FromMilliseconds(100), _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            List<Assignment> queued;
            lock (_gate)
            {
                queued = [.. _queue.Select(q => q.Assignment)];
            }

            var snapshot = _tuner.Snapshot();
            var known = snapshot.Trials.Count;
            var inStudy = snapshot.Trials.Select(t => (object)t.Assignment).ToHashSet(ReferenceEqualityComparer.Instance);
            Assignment[] ahead = [.. queued.Where(a => !inStudy.Contains(a))]; // taken between the two reads: counted once
            foreach (var assignment in ahead)
            {
                AddPending(snapshot, assignment);
            }

            // One series fills the queue: after its first item each costs a model a fraction of a suggestion.
            var chain = new List<Assignment>(ahead);
            using var series = _sampler.SuggestSeries(new StudyView(snapshot, _tuner.Seed, _stop.Token)).GetEnumerator();
            while (!_stop.IsCancellationRequested && MoveNext(series))
            {
                var prepared = new Prepared(series.Current, known, [.. chain], snapshot.CompletedCount);
                var trials = _tuner.Trials; // not under _gate: the tuner's lock comes first wherever both are taken
                if (!SawEveryTrialBefore(prepared, trials.Count + 1, id => trials[(int)id - 1]))
                {
                    break; // a trial this series did not count: start over from a new snapshot
                }

                lock (_gate)
                {
                    _queue.Enqueue(prepared);
                }

                chain.Add(series.Current);
                AddPending(snapshot, series.Current);
                var progress = _tuner.Progress;
                if (Full() || progress.Status != StudyStatus.Running || progress.Completed - prepared.Completed > _capacity)
                {
                    break;
                }
            }
        }
    }

    /// <summary>
    /// The series' next suggestion; false when a stop cut it short or the sampler failed. A failure ends the
    /// preparing for good: the master's tuner then computes every suggestion, and falls back to Sobol where its own
    /// sampler fails, with the error logged there.
    /// </summary>
    private bool MoveNext(IEnumerator<Assignment> series)
    {
        try
        {
            return series.MoveNext();
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            return false;
        }
#pragma warning disable CA1031 // whatever the sampler throws, the tuner's own suggestion path copes with it
        catch (Exception)
#pragma warning restore CA1031
        {
            _samplerFailed = true;
            return false;
        }
    }

    /// <summary>A queued assignment counted in <paramref name="snapshot"/> as the trial it will become.</summary>
    private static void AddPending(StudyState snapshot, Assignment assignment) =>
        snapshot.Apply(new TrialCreated(snapshot.Trials.Count + 1, assignment, $"queued-{snapshot.Trials.Count + 1}", DateTimeOffset.UtcNow));

    /// <summary>
    /// True when the queue holds <c>capacity</c> items. Signals of takes already seen are consumed first, so the wait
    /// that follows sleeps until the next take instead of returning at once for each old one.
    /// </summary>
    private bool Full()
    {
        while (_taken.Wait(0))
        {
        }

        lock (_gate)
        {
            return _queue.Count >= _capacity;
        }
    }

    /// <summary>
    /// An assignment computed from a snapshot of <c>KnownTrials</c> trials and <c>Completed</c> results, with the
    /// queued assignments <c>Ahead</c> counted as pending.
    /// </summary>
    private sealed record Prepared(Assignment Assignment, long KnownTrials, Assignment[] Ahead, int Completed)
    {
        /// <summary>The trial it was computed for: the next one after the snapshot's and the pending ones'.</summary>
        public long TrialId => KnownTrials + Ahead.Length + 1;
    }
}
