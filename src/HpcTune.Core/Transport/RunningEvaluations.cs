namespace HpcTune.Transport;

/// <summary>
/// The evaluations a process's worker threads are running, so that an <see cref="AbandonOrder"/> for one of them (its
/// trial was reported first by a worker whose lease had run out) cancels it.
/// </summary>
internal sealed class RunningEvaluations
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(WorkerId Worker, long TrialId), CancellationTokenSource> _running = [];

    /// <summary>Registers <paramref name="worker"/>'s evaluation of <paramref name="trialId"/> until the result is disposed.</summary>
    public IDisposable Add(WorkerId worker, long trialId, CancellationTokenSource abandon)
    {
        lock (_lock)
        {
            _running[(worker, trialId)] = abandon;
        }

        return new Registration(this, (worker, trialId));
    }

    /// <summary>Cancels the evaluation <paramref name="order"/> names, if it still runs.</summary>
    public void Abandon(AbandonOrder order)
    {
        lock (_lock)
        {
            if (_running.Remove((order.Worker, order.TrialId), out var abandon))
            {
                abandon.Cancel();
            }
        }
    }

    private void Remove((WorkerId, long) key)
    {
        lock (_lock)
        {
            _running.Remove(key);
        }
    }

    private sealed class Registration(RunningEvaluations owner, (WorkerId, long) key) : IDisposable
    {
        public void Dispose() => owner.Remove(key);
    }
}
