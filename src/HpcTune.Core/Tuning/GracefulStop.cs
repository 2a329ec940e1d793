namespace HpcTune.Tuning;

/// <summary>
/// A stop in two stages, for walltime signals: the first request starts <see cref="Draining"/> (hand out no more work,
/// keep recording results of trials in flight); <see cref="Abandoning"/> follows after the grace period, or at once on
/// a second request, and then whatever still runs is interrupted so the next job re-issues it.
/// </summary>
internal sealed class GracefulStop : IDisposable
{
    private readonly CancellationTokenSource _draining = new();
    private readonly CancellationTokenSource _abandoning;
    private readonly TimeSpan _grace;
    private int _requests;

    /// <summary>A stop whose grace period is <paramref name="grace"/>, measured by <paramref name="time"/> (default: the system clock).</summary>
    public GracefulStop(TimeSpan grace, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(grace, TimeSpan.Zero);
        _grace = grace;
        _abandoning = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time ?? TimeProvider.System);
    }

    /// <summary>Cancelled at the first request.</summary>
    public CancellationToken Draining => _draining.Token;

    /// <summary>Cancelled when the grace period after the first request is over, or at the second request.</summary>
    public CancellationToken Abandoning => _abandoning.Token;

    /// <summary>How long results in flight are waited for.</summary>
    public TimeSpan Grace => _grace;

    /// <summary>Asks to stop (a signal arrived); safe from any thread.</summary>
    public void Request()
    {
        if (Interlocked.Increment(ref _requests) == 1)
        {
            _abandoning.CancelAfter(_grace);
            _draining.Cancel();
        }
        else
        {
            _abandoning.Cancel();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _draining.Dispose();
        _abandoning.Dispose();
    }
}
