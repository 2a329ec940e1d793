using Microsoft.Extensions.Logging;

namespace HpcTune.Cli;

/// <summary>The command line's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "journal: {Warning}")]
    public static partial void TornTail(this ILogger logger, string warning);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "{Count} suggestions that were open when the last master stopped will be handed out again first")]
    public static partial void Reissuing(this ILogger logger, int count);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "received {Signal}: no new trials; trials still running are journaled as interrupted {When}")]
    public static partial void Stopping(this ILogger logger, string signal, string when);
}
