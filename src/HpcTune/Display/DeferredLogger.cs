using Microsoft.Extensions.Logging;

namespace HpcTune.Cli.Display;

/// <summary>
/// A logger whose factory is made on its first log line: until then it answers <see cref="IsEnabled"/> from the minimum
/// level alone, as the console provider would (every level from the minimum up, except None).
/// </summary>
internal sealed class DeferredLogger(Lazy<ILoggerFactory> factory, string category, LogLevel minimum) : ILogger
{
    private readonly Lazy<ILogger> _logger = new(() => factory.Value.CreateLogger(category));

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= minimum;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => _logger.Value.BeginScope(state);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            _logger.Value.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
