using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Authentication;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace HpcTune.Client.Wire;

/// <summary>
/// Runs calls through a Polly retry pipeline: exponential backoff with jitter while the server is unreachable or
/// unavailable (a restart), for up to <see cref="ExperimentClientOptions.RetryTimeout"/> per call. A refusal that says
/// the request itself is wrong or conflicts (InvalidArgument, NotFound, AlreadyExists, Aborted, ...) is never retried:
/// sending it again cannot change the answer. Every call the client makes may be sent again safely: suggest gives a
/// worker its own open trials back, and a repeated result is acknowledged as a duplicate and counted once.
/// </summary>
internal sealed class CallRetry
{
    /// <summary>A request too large stays too large; a few tries tell an overloaded server from that.</summary>
    private const int ResourceExhaustedAttempts = 3;

    private static readonly ResiliencePropertyKey<long> Started = new("hpctune.started");
    private readonly ResiliencePipeline _pipeline;
    private readonly TimeSpan _timeout;
    private readonly string _server;

    public CallRetry(ExperimentClientOptions options)
    {
        _timeout = options.RetryTimeout;
        _server = options.Url.ToString();
        var logger = options.Logger;
        _pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && IsTransient(e, args.AttemptNumber) && Elapsed(args.Context) < _timeout),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.FirstRetryDelay,
                MaxDelay = options.MaxRetryDelay,
                MaxRetryAttempts = int.MaxValue,
                OnRetry = args =>
                {
                    if (logger is not null && logger.IsEnabled(LogLevel.Warning))
                    {
                        logger.Retrying(args.AttemptNumber + 1, args.RetryDelay.TotalSeconds, Describe(args.Outcome.Exception));
                    }

                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>Runs <paramref name="call"/> until it succeeds, fails for good, or the retry time is spent.</summary>
    public async Task<T> RunAsync<T>(string what, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(Started, Stopwatch.GetTimestamp());
        try
        {
            return await _pipeline.ExecuteAsync(static async (context, call) => await call(context.CancellationToken).ConfigureAwait(false), context, call).ConfigureAwait(false);
        }
        catch (Exception e) when (IsTransient(e, 0) && !cancellationToken.IsCancellationRequested)
        {
            throw new ServiceUnreachableException(
                $"{what}: the server at {_server} did not answer for {Elapsed(context).TotalSeconds:F1} s (retried with backoff): {Describe(e)}", e);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException($"{what}: cancelled", e, cancellationToken);
        }
        catch (RpcException e)
        {
            throw new ServiceCallException(e.StatusCode, $"{what}: {Describe(e)}", e);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static TimeSpan Elapsed(ResilienceContext context) =>
        context.Properties.TryGetValue(Started, out var started) ? Stopwatch.GetElapsedTime(started) : TimeSpan.Zero;

    /// <summary>
    /// The server is down, restarting, overloaded or cut off mid-answer; <paramref name="attempt"/> (0 first) bounds
    /// the tries of ResourceExhausted.
    /// </summary>
    internal static bool IsTransient(Exception e, int attempt) => e switch
    {
        // An untrusted or mismatched certificate stays so: say it at once rather than after the retry time.
        _ when Innermost(e) is AuthenticationException => false,
        RpcException { StatusCode: StatusCode.Unavailable or StatusCode.DeadlineExceeded } => true,
        RpcException { StatusCode: StatusCode.ResourceExhausted } => attempt + 1 < ResourceExhaustedAttempts,
        // A connection cut mid-answer (the server killed) surfaces as Internal or Unknown with the I/O error inside.
        RpcException { StatusCode: StatusCode.Internal or StatusCode.Unknown } rpc => rpc.Status.DebugException is HttpRequestException or IOException or SocketException,
        HttpRequestException or IOException or SocketException => true,
        _ => false,
    };

    /// <summary>The deepest cause, through a gRPC status's debug exception: what the connection itself reported.</summary>
    private static Exception Innermost(Exception e)
    {
        var cause = e is RpcException { Status.DebugException: { } debug } ? debug : e;
        while (cause.InnerException is { } inner)
        {
            cause = inner;
        }

        return cause;
    }

    private static string Describe(Exception? e) => e switch
    {
        RpcException { Status.DebugException: { } debug } rpc => $"{rpc.StatusCode}: {rpc.Status.Detail} ({Innermost(debug).Message})",
        RpcException rpc => $"{rpc.StatusCode}: {(rpc.Status.Detail.Length > 0 ? rpc.Status.Detail : "no detail")}",
        null => "no answer",
        _ => e.Message,
    };
}
