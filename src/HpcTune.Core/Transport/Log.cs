using Microsoft.Extensions.Logging;

namespace HpcTune.Transport;

/// <summary>The hub's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Result of trial {TrialId} from {Worker} dropped: {Problem}")]
    public static partial void ResultDropped(this ILogger logger, long trialId, string worker, string problem);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "{Worker} left ({Reason}); {Count} of its trials go out again first")]
    public static partial void WorkerLeft(this ILogger logger, string worker, string reason, int count);
}
