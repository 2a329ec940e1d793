using Microsoft.Extensions.Logging;

namespace HpcTune.Objectives;

/// <summary>The command objective's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "Trial {TrialId}: report line skipped: {Problem}")]
    public static partial void ReportLineSkipped(this ILogger logger, long trialId, string problem);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "Trial {TrialId}: {Skipped} report lines skipped in all ({Unlogged} not logged one by one)")]
    public static partial void ReportLinesSkipped(this ILogger logger, long trialId, int skipped, int unlogged);

    [LoggerMessage(EventId = 32, Level = LogLevel.Information, Message = "Trial {TrialId} stopped early ({Reason}): {Ending}")]
    public static partial void CommandStopped(this ILogger logger, long trialId, string? reason, string ending);
}
