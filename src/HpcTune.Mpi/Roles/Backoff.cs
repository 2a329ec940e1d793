namespace HpcTune.Mpi.Roles;

/// <summary>
/// Waiting without spinning: each idle round sleeps twice as long as the last, from 50 µs up to 10 ms; any activity
/// starts over. On an oversubscribed node (64 ranks on 2 cores) a blocking MPI receive busy-polls and starves the
/// ranks that have work (PLATFORM.md measured 0.5 ms ping-pongs instead of 0.5 µs); this keeps idle ranks asleep.
/// </summary>
internal sealed class Backoff
{
    private static readonly TimeSpan Shortest = TimeSpan.FromMicroseconds(50);
    private static readonly TimeSpan Longest = TimeSpan.FromMilliseconds(10);
    private TimeSpan _next = Shortest;

    public void Reset() => _next = Shortest;

    public void Wait()
    {
        Thread.Sleep(_next);
        _next = _next * 2 > Longest ? Longest : _next * 2;
    }
}
