namespace HpcTune.Mpi.Roles;

/// <summary>
/// Waiting without spinning: the first few idle rounds only yield the core (a reply usually comes within
/// microseconds), then each round sleeps twice as long as the last, from 1 ms up to 10 ms; any activity starts over.
/// On an oversubscribed node (64 ranks on 2 cores) a blocking MPI receive busy-polls and starves the ranks that have
/// work (PLATFORM.md measured 0.5 ms ping-pongs instead of 0.5 µs); this keeps idle ranks asleep. The longest
/// sleep is the caller's: short where an answer is due soon (a worker that just reported, the master), longer where
/// a rank may idle for long.
/// </summary>
internal sealed class Backoff(int longestMilliseconds)
{
    private const int YieldRounds = 16;
    private int _idleRounds;
    private int _sleepMilliseconds = 1;

    public void Reset()
    {
        _idleRounds = 0;
        _sleepMilliseconds = 1;
    }

    public void Wait()
    {
        if (_idleRounds++ < YieldRounds)
        {
            Thread.Yield();
            return;
        }

        // Thread.Sleep has millisecond resolution: a TimeSpan below 1 ms would round to 0, a busy yield.
        Thread.Sleep(_sleepMilliseconds);
        _sleepMilliseconds = Math.Min(_sleepMilliseconds * 2, longestMilliseconds);
    }
}
