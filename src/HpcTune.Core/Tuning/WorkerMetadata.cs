using HpcTune.Objectives;
using HpcTune.Values;

namespace HpcTune.Tuning;

/// <summary>
/// Where a result was computed, recorded with it as an MPI rank's is (<c>hostname</c>, and here <c>pid</c> for the
/// in-process worker threads): HpcTune's own keys, set over any an objective gave.
/// </summary>
internal static class WorkerMetadata
{
    private static readonly string Host = Environment.MachineName;

    public static ObjectiveResult AddHost(ObjectiveResult result)
    {
        var metadata = new Dictionary<string, Scalar>(result.Metadata, StringComparer.Ordinal)
        {
            ["hostname"] = Host,
            ["pid"] = Environment.ProcessId,
        };
        return result.IsFailure ? ObjectiveResult.Failure(result.FailureReason!, metadata) : ObjectiveResult.Success(result.Values!, metadata);
    }
}
