using Microsoft.Extensions.Logging;

namespace HpcTune.Client;

/// <summary>The client's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 500, Level = LogLevel.Warning, Message = "the server did not answer; try {Attempt} in {DelaySeconds:F2} s ({Reason})")]
    public static partial void Retrying(this ILogger logger, int attempt, double delaySeconds, string reason);

    [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "trial {TrialId}: evaluation abandoned ({Reason})")]
    public static partial void Abandoned(this ILogger logger, long trialId, string reason);

    [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "trial {TrialId}: the result does not count: {Problem}")]
    public static partial void NotRecorded(this ILogger logger, long trialId, string problem);

    [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "trial {TrialId}: heartbeat failed: {Problem}")]
    public static partial void HeartbeatFailed(this ILogger logger, long trialId, string problem);

    [LoggerMessage(EventId = 504, Level = LogLevel.Information, Message = "trial {TrialId}: {Outcome}")]
    public static partial void Evaluated(this ILogger logger, long trialId, string outcome);

    [LoggerMessage(EventId = 505, Level = LogLevel.Information, Message = "trial {TrialId}: stopped early ({Reason})")]
    public static partial void StoppedEarly(this ILogger logger, long trialId, string reason);
}
