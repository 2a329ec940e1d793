

namespace HpcTune.Tuning;

// The tuner, part: Draining: a stop hands out no more work, and cancels a suggestion in progress.
public sealed partial class Tuner
{
    /// <summary>
    /// Stops handing out work (a walltime signal): from now on <see cref="Suggest(string)"/> answers Finished with
    /// <paramref name="reason"/>, while results of trials still running are recorded as usual. Not journaled.
    /// </summary>
    public void StopHandingOut(string reason)
    {
        // First, without the lock: a suggestion being computed under it (a model that takes long) ends now, instead
        // of holding up the signal handler that called this until it is done.
        Interlocked.CompareExchange(ref _stopReason, reason, null);
        _stopping.Cancel();
        lock (_lock)
        {
            Signal(); // workers waiting for a free slot learn that none will come
        }
    }

    /// <summary>Cancelled by <see cref="StopHandingOut"/>: suggestions computed ahead of time for this study are no longer wanted.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Cancelled when a result's metric names do not match the study's: the in-process workers stop at once.</summary>
    internal CancellationToken Mismatched => _mismatched.Token;
}
