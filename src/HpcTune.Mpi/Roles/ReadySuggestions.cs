using HpcTune.Sampling;
using HpcTune.Space;
using HpcTune.Tuning;

namespace HpcTune.Mpi.Roles;

/// <summary>
/// Keeps a few suggestions ready so a rank that asks is answered without waiting for a model fit or an acquisition
/// search. A background task takes a snapshot of the study, adds the suggestions already queued as pending points,
/// asks its own sampler for one more, and queues it with the number of completed trials it saw; the master takes the
/// oldest one that is not stale (computed more than <c>capacity</c> completions ago) and drops the rest. It never
/// touches MPI (the master's thread owns that) and never changes the study (the master's <see cref="Tuner.Suggest(string, Assignment?)"/> does).
/// </summary>
public sealed class ReadySuggestions : IDisposable
{
    private readonly Tuner _tuner;
    private readonly ISampler _sampler;
    private readonly int _capacity;
    private readonly Queue<(Assignment Assignment, int Completed)> _queue = new();
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _taken = new(0);
    private readonly Task _worker;

    /// <summary>Starts the background task for <paramref name="tuner"/>'s study.</summary>
    public ReadySuggestions(Tuner tuner, int capacity = 4)
    {
        _tuner = tuner ?? throw new ArgumentNullException(nameof(tuner));
        _sampler = SamplerFactory.Create(tuner.Definition);
        _capacity = Math.Max(1, capacity);
        _worker = Task.Run(FillAsync);
    }

    /// <summary>A fresh prepared assignment, or null (then the master asks the sampler itself).</summary>
    public Assignment? TryTake()
    {
        var completed = _tuner.Progress.Completed;
        lock (_gate)
        {
            while (_queue.Count > 0)
            {
                var (assignment, seen) = _queue.Dequeue();
                _taken.Release();
                if (completed - seen <= _capacity)
                {
                    return assignment;
                }
            }
        }

        return null;
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
            lock (_gate)
            {
                queued = [.. _queue.Select(q => q.Assignment)];
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
            foreach (var assignment in queued)
            {
                snapshot.Apply(new TrialCreated(snapshot.Trials.Count + 1, assignment, $"queued-{snapshot.Trials.Count + 1}", DateTimeOffset.UtcNow));
            }

            var next = _sampler.Suggest(new StudyView(snapshot, _tuner.Seed));
            lock (_gate)
            {
                _queue.Enqueue((next, snapshot.CompletedCount));
            }
        }
    }
}
