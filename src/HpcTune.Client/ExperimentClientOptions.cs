using Microsoft.Extensions.Logging;

namespace HpcTune.Client;

/// <summary>How an <see cref="ExperimentClient"/> reaches a study served by <c>HpcTune serve</c> (CONTRACTS.md §7).</summary>
public sealed class ExperimentClientOptions
{
    /// <summary>The environment variable that holds the bearer token when neither <see cref="Token"/> nor <see cref="TokenFile"/> is given.</summary>
    public const string TokenVariable = "HPCTUNE_TOKEN";

    /// <summary>The study of <c>serve --checkpoint</c>, the only one it serves.</summary>
    public const string OnlyStudy = "-";

    /// <summary>
    /// The server: <c>http://HOST:PORT</c> (gRPC-Web over HTTP/1.1, the port that also serves HTTP/JSON) or
    /// <c>https://HOST:PORT</c> (gRPC over HTTP/2 with TLS).
    /// </summary>
    public required Uri Url { get; init; }

    /// <summary>The bearer token; default: the contents of <see cref="TokenFile"/>, else <see cref="TokenVariable"/>.</summary>
    public string? Token { get; init; }

    /// <summary>A file that holds the token (<c>serve</c> writes it to <c>CHECKPOINT/token</c>).</summary>
    public string? TokenFile { get; init; }

    /// <summary>The study's id on the server; <see cref="OnlyStudy"/> (the default) for <c>serve --checkpoint</c>.</summary>
    public string Study { get; init; } = OnlyStudy;

    /// <summary>
    /// This worker's name (letters, digits and <c>-_@:</c>, at most 100): a worker that asks again gets its own open
    /// trials back. Default: this host's name and process id.
    /// </summary>
    public string? Worker { get; init; }

    /// <summary>
    /// How long one call keeps being retried (with exponential backoff and jitter) while the server is unreachable or
    /// unavailable, so that a worker outlives a restart of the server; past it the call throws
    /// <see cref="ServiceUnreachableException"/>. Default: 2 minutes.
    /// </summary>
    public TimeSpan RetryTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The first delay between retries; each next one doubles, up to <see cref="MaxRetryDelay"/>. Default: 100 ms.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest delay between retries. Default: 5 s.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one suggest call waits on the server for a trial before asking again (at most 60 s). Default: 20 s.</summary>
    public TimeSpan SuggestWait { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long the server may take to answer one call (besides a suggest's wait) before the call is retried. Default: 60 s.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Labels recorded with every result this worker sends, besides <c>hostname</c> and <c>pid</c> (which are always
    /// sent): string, number or boolean values.
    /// </summary>
    public IReadOnlyDictionary<string, Values.Scalar>? Labels { get; init; }

    /// <summary>The innermost HTTP handler (a proxy, a certificate check); default: a new <see cref="SocketsHttpHandler"/>.</summary>
    public HttpMessageHandler? HttpHandler { get; init; }

    /// <summary>Where retries, abandoned trials and results that did not count are logged; default: nowhere.</summary>
    public ILogger? Logger { get; init; }
}
