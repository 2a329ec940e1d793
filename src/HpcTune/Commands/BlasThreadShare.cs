using HpcTune.Mpi.Interop;

namespace HpcTune.Cli.Commands;

/// <summary>The BLAS threads of a process started without --blas-threads: its share of the cores it may run on.</summary>
internal static class BlasThreadShare
{
    /// <summary>
    /// Ranks that mpiexec starts on one node share the cores of their affinity mask (all of the node's when they are
    /// not bound), so each takes cores ÷ ranks. Only the master does linear algebra, but OpenBLAS's threads spin in
    /// sched_yield between calls and take cores the workers' objectives need: 64 ranks on 2 cores kept workers busy
    /// 68–74 % of the time with 2 BLAS threads in the master, 74–80 % with 1 (bench/mpi-utilization.sh 64 gp 12).
    /// </summary>
    public static int Default() => For(Environment.ProcessorCount, MpiWorld.LauncherLocalRanks());

    /// <summary><paramref name="cores"/> divided among <paramref name="localRanks"/>, at least 1.</summary>
    public static int For(int cores, int localRanks) => Math.Max(1, cores / Math.Max(1, localRanks));
}
