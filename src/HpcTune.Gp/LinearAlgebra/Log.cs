using Microsoft.Extensions.Logging;

namespace HpcTune.Gp.LinearAlgebra;

/// <summary>The linear-algebra layer's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "linear algebra: {Provider} ({Reason})")]
    public static partial void LinearAlgebraChosen(this ILogger logger, string provider, string reason);
}
