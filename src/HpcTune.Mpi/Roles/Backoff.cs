using System.Runtime.InteropServices;

namespace HpcTune.Mpi.Roles;

/// <summary>
/// Waiting without spinning: each idle round sleeps twice as long as the last, from 50 µs up to the caller's longest;
/// any activity starts over. On an oversubscribed node (64 ranks on 2 cores) a blocking MPI receive busy-polls and
/// starves the ranks that have work (PLATFORM.md measured 0.5 ms ping-pongs instead of 0.5 µs); short sleeps keep
/// idle ranks off the cores. Not <c>sched_yield</c>: in a virtual machine every yield is a trip to the hypervisor,
/// and a storm of them took a quarter of all cycles in the dispatch benchmark (perf: pvm_irq_enable). Not
/// <see cref="Thread.Sleep(int)"/> either: its millisecond resolution would add a millisecond to every answer.
/// </summary>
internal sealed partial class Backoff(int longestMilliseconds)
{
    private const uint FirstMicroseconds = 50;
    private uint _microseconds = FirstMicroseconds;

    public void Reset() => _microseconds = FirstMicroseconds;

    public void Wait()
    {
        _ = MicroSleep(_microseconds);
        _microseconds = Math.Min(_microseconds * 2, (uint)longestMilliseconds * 1000);
    }

    [LibraryImport("libc", EntryPoint = "usleep", SetLastError = false)]
    private static partial int MicroSleep(uint microseconds);
}
