using Grpc.Core;

namespace HpcTune.Client;

/// <summary>
/// The server stayed unreachable or unavailable for all of <see cref="ExperimentClientOptions.RetryTimeout"/>: every
/// retry of the call failed.
/// </summary>
public sealed class ServiceUnreachableException : ServiceCallException
{
    /// <summary>Creates the exception.</summary>
    public ServiceUnreachableException()
        : base(StatusCode.Unavailable, "the server is unreachable")
    {
    }

    /// <summary>Creates the exception.</summary>
    public ServiceUnreachableException(string message)
        : base(StatusCode.Unavailable, message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ServiceUnreachableException(string message, Exception innerException)
        : base(StatusCode.Unavailable, message, innerException)
    {
    }
}
