using HpcTune.Mpi.Interop;

namespace HpcTune.Cli.Commands;

/// <summary>
/// This process's share of the cores it may run on: ranks that mpiexec starts on one node share the cores of their
/// affinity mask (all of the node's when they are not bound), so each takes cores ÷ ranks.
/// </summary>
internal static class CoreShare
{
    /// <summary>
    /// Cores ÷ the ranks the launcher started on this node, at least 1. The default BLAS thread count: only the master
    /// does linear algebra, but OpenBLAS's threads spin in sched_yield between calls and take cores the workers'
    /// objectives need (64 ranks on 2 cores kept workers busy 68–74 % of the time with 2 BLAS threads in the master,
    /// 74–80 % with 1; bench/mpi-utilization.sh 64 gp 12).
    /// </summary>
    public static int PerRank() => For(Environment.ProcessorCount, MpiWorld.LauncherLocalRanks());

    /// <summary><paramref name="cores"/> divided among <paramref name="localRanks"/>, at least 1.</summary>
    public static int For(int cores, int localRanks) => Math.Max(1, cores / Math.Max(1, localRanks));
}
