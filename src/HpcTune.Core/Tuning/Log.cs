using Microsoft.Extensions.Logging;

namespace HpcTune.Tuning;

/// <summary>The tuner's log messages, generated once (no formatting work when the level is off).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Trial {TrialId} failed: {Reason}")]
    public static partial void TrialFailed(this ILogger logger, long trialId, string? reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Result of trial {TrialId} dropped: {Problem}")]
    public static partial void ResultDropped(this ILogger logger, long trialId, string problem);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Trial {TrialId} interrupted, it goes out again: {Reason}")]
    public static partial void LeaseExpired(this ILogger logger, long trialId, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Trial {TrialId} abandoned by {Worker}: it was finished elsewhere")]
    public static partial void Abandoned(this ILogger logger, long trialId, string worker);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "{Count} suggestions that were open when the last master stopped will be handed out again first")]
    public static partial void Reissuing(this ILogger logger, int count);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "The {Sampler} sampler failed to suggest trial {TrialId}; it gets a {Fallback} point instead and the study goes on")]
    public static partial void SamplerFailed(this ILogger logger, string sampler, long trialId, string fallback, Exception exception);
}
