namespace HpcTune.Journal;

/// <summary>
/// Acknowledgements that wait for the disk together: a master that answers many independent callers (the network
/// service) writes records without syncing each one (<see cref="JournalWriter.SyncEachRecord"/> off), and before it
/// answers a caller awaits <see cref="WhenDurableAsync"/>, which completes once every record written before the call is
/// synced. One sync covers every caller waiting at that moment (group commit), so N concurrent results cost one fsync,
/// not N, and a result is never acknowledged before it is on stable storage.
/// </summary>
internal sealed class GroupCommit : IDisposable
{
    private readonly JournalWriter _writer;
    private readonly Lock _lock = new();
    private readonly List<(long Target, TaskCompletionSource Done)> _waiting = [];
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _synced;

    public GroupCommit(JournalWriter writer)
    {
        _writer = writer;
        _writer.SyncEachRecord = false;
        _synced = writer.Written;
        _loop = Task.Run(SyncLoopAsync);
    }

    /// <summary>Completes when every record written so far is on stable storage; faults if the journal cannot be synced.</summary>
    public Task WhenDurableAsync()
    {
        var target = _writer.Written;
        lock (_lock)
        {
            if (target <= _synced)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Add((target, done));
            if (_waiting.Count == 1)
            {
                _wake.Release();
            }

            return done.Task;
        }
    }

    private async Task SyncLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            // Everything written up to here is covered by this sync, whoever is waiting for it.
            var upTo = _writer.Written;
            Exception? failure = null;
            try
            {
                _writer.SyncHandle();
            }
            catch (JournalWriteException e)
            {
                failure = e;
            }

            List<TaskCompletionSource> finished = [];
            lock (_lock)
            {
                if (failure is null)
                {
                    _synced = Math.Max(_synced, upTo);
                }

                for (var i = _waiting.Count - 1; i >= 0; i--)
                {
                    if (failure is not null || _waiting[i].Target <= _synced)
                    {
                        finished.Add(_waiting[i].Done);
                        _waiting.RemoveAt(i);
                    }
                }

                if (_waiting.Count > 0)
                {
                    _wake.Release(); // written after this sync began: the next one covers them
                }
            }

            foreach (var done in finished)
            {
                if (failure is null)
                {
                    done.TrySetResult();
                }
                else
                {
                    done.TrySetException(failure);
                }
            }
        }
    }

    /// <summary>Stops the sync loop; callers still waiting are failed (the master is closing).</summary>
    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _loop.Wait();
        }
        catch (AggregateException)
        {
            // The loop ends by cancellation only.
        }

        lock (_lock)
        {
            foreach (var (_, done) in _waiting)
            {
                done.TrySetException(new ObjectDisposedException(nameof(GroupCommit), "the master closed before the record was synced"));
            }

            _waiting.Clear();
        }

        _stop.Dispose();
        _wake.Dispose();
    }
}
