namespace HpcTune.Mpi.Interop;

/// <summary>An MPI call returned an error code; the message names the call and the rank.</summary>
internal sealed class MpiException(string call, int code, int rank)
    : Exception($"MPI {call} failed with error code {code} on rank {rank}")
{
    /// <summary>The MPI error code.</summary>
    public int Code { get; } = code;
}
