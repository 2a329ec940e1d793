using Microsoft.Extensions.Logging;

namespace HpcTune.Cli;

/// <summary>The command line's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "journal: {Warning}")]
    public static partial void TornTail(this ILogger logger, string warning);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "received {Signal}: no new trials; trials still running are journaled as interrupted {When}")]
    public static partial void Stopping(this ILogger logger, string signal, string when);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Suggestions computed ahead on a background thread: {State} ({Cores} of this node's cores for this rank)")]
    public static partial void PreparingAhead(this ILogger logger, string state, int cores);

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "trial {TrialId} {State} on {Worker}: {Outcome} | done {Completed}/{Budget} failed {Failed} open {Open} | best {Best}")]
    public static partial void TrialFinished(this ILogger logger, long trialId, string state, string worker, string outcome, int completed, int budget, int failed, int open, string best);
}
