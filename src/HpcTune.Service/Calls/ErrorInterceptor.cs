using System.Text.Json;
using Grpc.Core;
using Grpc.Core.Interceptors;
using HpcTune.Journal;
using HpcTune.Study;
using HpcTune.Trials;
using Microsoft.Extensions.Logging;

namespace HpcTune.Service.Calls;

/// <summary>
/// Turns what the study says into the status that tells a caller what to do (studies.proto): fix the request
/// (INVALID_ARGUMENT), give up on a conflict (ALREADY_EXISTS, ABORTED), wait for a state that will not come
/// (FAILED_PRECONDITION), or retry later (UNAVAILABLE: the journal cannot be written, the server is closing).
/// </summary>
internal sealed partial class ErrorInterceptor(ILogger<ErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not RpcException && Map(e) is { } status)
        {
            if (status.StatusCode is StatusCode.Internal or StatusCode.Unavailable)
            {
                LogFailed(logger, context.Method, e);
            }

            throw new RpcException(status);
        }
    }

    /// <summary>The status for <paramref name="e"/>.</summary>
    public static Status Map(Exception e) => e switch
    {
        DuplicateTrialException => new Status(StatusCode.AlreadyExists, e.Message),
        TrialStateException => new Status(StatusCode.Aborted, e.Message),
        DefinitionException or ArgumentException or JsonException or FormatException or InvalidDataException => new Status(StatusCode.InvalidArgument, e.Message),
        JournalWriteException => new Status(StatusCode.Unavailable, $"the study's journal cannot be written, nothing more is recorded: {e.Message}"),
        ObjectDisposedException or OperationCanceledException => new Status(StatusCode.Unavailable, "the server is closing; retry after it restarts"),
        CheckpointException => new Status(StatusCode.FailedPrecondition, e.Message),
        InvalidOperationException => new Status(StatusCode.FailedPrecondition, e.Message),
        _ => new Status(StatusCode.Internal, $"{e.GetType().Name}: {e.Message}"),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} failed")]
    private static partial void LogFailed(ILogger logger, string method, Exception e);
}
