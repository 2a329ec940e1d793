using Microsoft.Extensions.Logging;

namespace HpcTune.Cli;

/// <summary>The log messages of the verbs that talk to a server.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 150, Level = LogLevel.Information, Message = "worker {Worker} joined study '{Study}' at {Url} ({Objective})")]
    public static partial void WorkerJoined(this ILogger logger, string worker, string study, string url, string objective);

    [LoggerMessage(EventId = 151, Level = LogLevel.Information, Message = "worker {Worker} leaves after {Evaluated} trials: the study is {Status} ({Reason})")]
    public static partial void WorkerLeft(this ILogger logger, string worker, int evaluated, string status, string reason);

    [LoggerMessage(EventId = 152, Level = LogLevel.Warning, Message = "received {Signal}: the trial in hand is released and the worker leaves")]
    public static partial void WorkerStopping(this ILogger logger, string signal);
}
