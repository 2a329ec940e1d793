using Grpc.Core;

namespace HpcTune.Client;

/// <summary>
/// The server refused a call, or could not be reached: <see cref="Status"/> says what to do (the proto's error table:
/// InvalidArgument fix the request, Unauthenticated give the token, NotFound no such study or trial, AlreadyExists or
/// Aborted a conflict, FailedPrecondition the study cannot do this now, Unavailable try again later).
/// </summary>
public class ServiceCallException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ServiceCallException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public ServiceCallException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ServiceCallException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with the status the server answered.</summary>
    public ServiceCallException(StatusCode status, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Status = status;
    }

    /// <summary>The gRPC status of the refusal.</summary>
    public StatusCode Status { get; }

    /// <summary>True for a conflict (a duplicate, a trial finished with another result or held by another worker).</summary>
    public bool IsConflict => Status is StatusCode.AlreadyExists or StatusCode.Aborted;
}
