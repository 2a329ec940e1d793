using System.CommandLine;
using HpcTune.Tuning;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace HpcTune.Cli.Display;

/// <summary>
/// What the command line writes and how: <c>--quiet</c> (run, resume, worker, demo) and <c>--log-format</c> (every
/// verb), set once after parsing, before a verb runs. The log factory is made then too, so the verbs, built before
/// parsing, are handed a factory that forwards to it. With text logs the factory (options, the console provider and its
/// writer thread) is only made when something is logged: a worker rank of an MPI job logs nothing in a normal run, and
/// making it there cost every one of 64 ranks on 2 cores CPU their first trials needed (docs/mpi.md).
/// </summary>
internal sealed class CliOutput : ILoggerFactory
{
    /// <summary>The environment variable that sets the log format where <c>--log-format</c> is not given.</summary>
    public const string LogFormatVariable = "HPCTUNE_LOG_FORMAT";

    private Lazy<ILoggerFactory>? _factory;
    private LogLevel _minimum = LogLevel.Information;

    /// <summary><c>--quiet</c>: one option, added to each verb that has it.</summary>
    public Option<bool> Quiet { get; } = new("--quiet", "-q")
    {
        Description = "Print only the result (how the study ended and its best trial) on stdout, and warnings and errors on stderr: no banner, no progress, no informational log lines.",
    };

    /// <summary><c>--log-format</c>: text or json.</summary>
    public Option<string?> LogFormat { get; } = new("--log-format")
    {
        Description = $"Log lines on stderr as text (default) or json: one JSON object per line (Timestamp, LogLevel, Category, Message, State with the message's fields), for cluster log collectors; with json each finished trial is a log line too. Default: {LogFormatVariable}, else text.",
        Recursive = true,
    };

    /// <summary>True with <c>--quiet</c>.</summary>
    public bool IsQuiet { get; private set; }

    /// <summary>True with <c>--log-format json</c>.</summary>
    public bool IsJson { get; private set; }

    /// <summary>Reads the options of <paramref name="parse"/> and makes the log factory; throws on an unknown format.</summary>
    public void Configure(ParseResult parse)
    {
        var given = parse.GetValue(LogFormat);
        var format = given ?? Environment.GetEnvironmentVariable(LogFormatVariable) ?? "text";
        IsJson = format switch
        {
            "text" => false,
            "json" => true,
            _ => throw new ArgumentException($"{(given is null ? LogFormatVariable : "--log-format")} must be text or json, got '{format}'"),
        };
        IsQuiet = parse.GetResult(Quiet) is not null && parse.GetValue(Quiet);
        _minimum = IsQuiet ? LogLevel.Warning : LogLevel.Information;
        _factory = new Lazy<ILoggerFactory>(() => LoggerFactory.Create(builder =>
        {
            builder.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace); // stdout carries results; diagnostics go to stderr
            if (IsJson)
            {
                builder.AddJsonConsole(o =>
                {
                    o.UseUtcTimestamp = true;
                    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                    o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
                });
            }
            else
            {
                builder.AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    // The console logger decides on colour from stdout; diagnostics go to stderr, which a batch system sends to a file.
                    o.ColorBehavior = Terminal.ColorOnStandardError ? LoggerColorBehavior.Default : LoggerColorBehavior.Disabled;
                });
            }

            builder.SetMinimumLevel(_minimum);
        }));
        if (IsJson)
        {
            // The console provider takes Console.Error as it is made: made now, it writes to stderr itself, and messages
            // written to stderr directly (errors, "stopped: ...") become log lines of the same shape.
            var errors = Console.Error;
            _ = _factory.Value;
            Console.SetError(new JsonLineWriter(errors));
        }
    }

    /// <summary>The display of a study's progress: none when quiet, log lines with json, live on a terminal, else plain lines.</summary>
    public IProgressDisplay Display(ILogger logger) =>
        IsQuiet ? new PlainProgressDisplay(TextWriter.Null)
        : IsJson ? new PlainProgressDisplay(TextWriter.Null, events: logger)
        : Terminal.IsInteractive ? new LiveProgressDisplay()
        : new PlainProgressDisplay(Console.Out);

    /// <summary>The MPI master's display: plain lines held until their round is on disk (or log lines), none when quiet.</summary>
    public PlainProgressDisplay MasterDisplay(ILogger logger) =>
        new(IsQuiet || IsJson ? TextWriter.Null : Console.Out, holdUntilReleased: true, events: IsJson && !IsQuiet ? logger : null);

    /// <summary>Prints the banner of a study unless quiet.</summary>
    public void Banner(Study.StudyDefinition definition)
    {
        if (!IsQuiet)
        {
            StudyBanner.Print(definition, Console.Out);
        }
    }

    /// <summary>Prints how a study ended and its best trial: the result, shown even when quiet.</summary>
    public static void Summary(Study.StudyDefinition definition, StudySummary summary) => SummaryPrinter.Print(definition, summary, Console.Out);

    public ILogger CreateLogger(string categoryName)
    {
        var factory = _factory ?? throw new InvalidOperationException("logging is configured after the command line is parsed");
        return factory.IsValueCreated ? factory.Value.CreateLogger(categoryName) : new DeferredLogger(factory, categoryName, _minimum);
    }

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("the command line's log providers are fixed");

    public void Dispose()
    {
        if (_factory is { IsValueCreated: true } factory)
        {
            factory.Value.Dispose(); // writes what the console provider still holds
        }
    }
}
