using HpcTune.Sampling;
using HpcTune.Space;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Mpi.Roles;

/// <summary>
/// Keeps a few suggestions ready so a rank that asks is answered without waiting for a model fit or an acquisition
/// search. A background task takes a snapshot of the study, adds the suggestions already queued as pending points,
/// asks its own sampler for one more, and queues it; a new trial gets the oldest one that is still valid and the
/// others are dropped. It never touches MPI (the master's thread owns that).
/// </summary>
/// <remarks>
/// A prepared assignment is valid for a new trial when (1) it was computed for that trial's id: every trial created
/// since its snapshot was one of the queued assignments it counted as pending, so it is not blind to any of them and
/// cannot repeat one; (2) no trial was computed on the spot since it started (a trial from the tuner's own sampler,
/// when the queue had nothing valid, could coincide with it); and (3) it is not stale: at most <c>capacity</c>
/// results arrived since its snapshot. Prepared assignments leave the queue only inside
/// <see cref="Tuner.Suggest(string, Func{long, Assignment?}?)"/>, under the tuner's lock, and become trials there;
/// the background task reads the queue before it takes its snapshot, so each assignment is in one or the other.
/// </remarks>
public sealed class ReadySuggestions : IDisposable
{
    private readonly Tuner _tuner;
    private readonly ISampler _sampler;
    private readonly int _capacity;
    private readonly Queue<Prepared> _queue = new();
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _taken = new(0);
    private readonly Task _worker;
    private int _served;
    private int _onTheSpot; // trials computed without the queue: work prepared before the last one is blind to it

    /// <summary>Starts the background task for <paramref name="tuner"/>'s study.</summary>
    public ReadySuggestions(Tuner tuner, int capacity = 4)
    {
        _tuner = tuner ?? throw new ArgumentNullException(nameof(tuner));
        _sampler = SamplerFactory.Create(tuner.Definition);
        _capacity = Math.Max(1, capacity);
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
                if (prepared.TrialId == trialId && prepared.OnTheSpot == _onTheSpot && completed - prepared.Completed <= _capacity)
                {
                    _served++;
                    return prepared.Assignment;
                }
            }

            _onTheSpot++; // the tuner's sampler computes this one
            return null;
        }
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
        while (!_stop.IsCancellationRequested)
        {
            List<Assignment> queued;
            int onTheSpot;
            lock (_gate)
            {
                queued = [.. _queue.Select(q => q.Assignment)];
                onTheSpot = _onTheSpot;
            }

            if (queued.Count >= _capacity || _tuner.Progress.Status != StudyStatus.Running)
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

            var snapshot = _tuner.Snapshot();
            var taken = snapshot.Trials.Where(t => t.State == TrialState.Open).Select(t => (object)t.Assignment).ToHashSet(ReferenceEqualityComparer.Instance);
            foreach (var assignment in queued.Where(a => !taken.Contains(a))) // taken between the two reads: pending once, not twice
            {
                snapshot.Apply(new TrialCreated(snapshot.Trials.Count + 1, assignment, $"queued-{snapshot.Trials.Count + 1}", DateTimeOffset.UtcNow));
            }

            var next = _sampler.Suggest(new StudyView(snapshot, _tuner.Seed));
            lock (_gate)
            {
                _queue.Enqueue(new Prepared(next, snapshot.Trials.Count + 1, snapshot.CompletedCount, onTheSpot));
            }
        }
    }

    /// <summary>An assignment computed for trial <c>TrialId</c> after <c>Completed</c> results and <c>OnTheSpot</c> trials computed without the queue.</summary>
    private readonly record struct Prepared(Assignment Assignment, long TrialId, int Completed, int OnTheSpot);
}
