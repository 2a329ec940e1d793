using Microsoft.Extensions.Logging;

namespace HpcTune.Mpi.Roles;

/// <summary>The MPI roles' log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "message from rank {Rank} ignored: {Problem}")]
    public static partial void BadMessage(this ILogger logger, int rank, string problem);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "rank {Rank} has been silent for {Seconds:F1} s after the study ended; not waiting for it")]
    public static partial void RankGivenUp(this ILogger logger, int rank, double seconds);

    [LoggerMessage(EventId = 303, Level = LogLevel.Information, Message = "master CPU {CpuSeconds:F2} s in {Seconds:F2} s since every rank was ready ({Share:P0} of a core; its threads together)")]
    public static partial void MasterCpu(this ILogger logger, double cpuSeconds, double seconds, double share);
}
